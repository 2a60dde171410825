/* Fuzz targets for the Graph client's response parsers (graph_parse.c): one
 * libFuzzer binary per parser, fuzz_graph_{tenant_info,openid,token,error,
 * retry_after}, each this file compiled with TISO_FUZZ_GRAPH_PARSER set to
 * its parser. The input is the response body (or header value), passed in an
 * exact-size heap copy so that any read past its end is caught.
 *
 * Without libFuzzer (TISO_FUZZ_STANDALONE): fuzz_graph_parse_replay
 * FILE-OR-DIR... runs each input through every parser, as CI does with the
 * seed corpora in fuzz_corpus/PARSER/. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "graph/graph_parse.h"
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { PARSE_TENANT_INFO, PARSE_OPENID, PARSE_TOKEN, PARSE_ERROR, PARSE_RETRY_AFTER, PARSERS };

static void fuzz_parser(unsigned which, const uint8_t *data, size_t size)
{
    char *body = malloc(size ? size : 1);
    if (body == NULL)
        return;
    memcpy(body, data, size);
    tiso_error err;
    switch (which) {
    case PARSE_TENANT_INFO: {
        tiso_graph_tenant_info info;
        if (tiso__parse_tenant_info(&info, body, size, &err) == TISO_OK && tiso__id_nil(&info.tenant_id))
            abort();
        break;
    }
    case PARSE_OPENID: {
        tiso_tenant_id id;
        if (tiso__parse_openid_config(&id, body, size, &err) == TISO_OK && tiso__id_nil(&id))
            abort();
        break;
    }
    case PARSE_TOKEN: {
        char *token = NULL;
        uint64_t life = 0;
        if (tiso__parse_token_response(&token, &life, body, size, &err) == TISO_OK) {
            if (!tiso__token_chars_ok(token, strlen(token)))
                abort();
            tiso__free(token);
        } else if (token != NULL) {
            abort();
        }
        break;
    }
    case PARSE_ERROR: {
        tiso__service_error e;
        char text[512];
        tiso__parse_service_error(&e, body, size);
        (void)tiso__service_error_is_unknown_tenant(&e);
        tiso__service_error_text(&e, text, sizeof text);
        tiso__sanitize_text(text, 64, body, size);
        break;
    }
    default: {
        uint64_t ms;
        (void)tiso__parse_retry_after(&ms, body, size, 1700000000);
        char *enc = tiso__url_encode(body, size, "");
        tiso__free(enc);
        break;
    }
    }
    free(body);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
#ifdef TISO_FUZZ_GRAPH_PARSER
    fuzz_parser(TISO_FUZZ_GRAPH_PARSER, data, size);
#else
    for (unsigned k = 0; k < PARSERS; k++)
        fuzz_parser(k, data, size);
#endif
    return 0;
}

#ifdef TISO_FUZZ_STANDALONE
#include <dirent.h>
#include <stdio.h>

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return -1;
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 4096;
            uint8_t *b = realloc(buf, cap);
            if (b == NULL)
                break;
            buf = b;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        if (n == 0)
            break;
        len += n;
    }
    fclose(f);
    LLVMFuzzerTestOneInput(buf, len);
    free(buf);
    return 0;
}

int main(int argc, char **argv)
{
    int count = 0;
    for (int i = 1; i < argc; i++) {
        DIR *d = opendir(argv[i]);
        if (d == NULL) {
            if (run_file(argv[i]) != 0) {
                fprintf(stderr, "cannot read %s\n", argv[i]);
                return 1;
            }
            count++;
            continue;
        }
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
            if (run_file(path) == 0)
                count++;
        }
        closedir(d);
    }
    printf("%d inputs ran through the Graph parsers\n", count);
    return count > 0 ? 0 : 1;
}
#endif
