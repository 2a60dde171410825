/* Fuzz target for the report's readers and what follows them. The first
 * byte picks: a report page (tiso_read_report_page), one inventory line
 * (tiso_read_inventory_line), or a whole inventory fed to a report and
 * written out as JSON, CSV and HTML. The input is passed in an exact-size
 * heap copy, so any read past its end is caught.
 *
 * With libFuzzer (TENANTISO_BUILD_FUZZ=ON, clang): fuzz_report_input CORPUS...
 * Without (TISO_FUZZ_STANDALONE): fuzz_report_input_replay FILE-OR-DIR...
 * runs each input once through every path, as CI does with fuzz_corpus/. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <tenantiso.h>
#include <tenantiso/report.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static tiso_status count(void *user, const tiso_connection *c, const tiso_error *problem)
{
    /* Whatever the input, a record is either a connection with both names
     * or a problem with a message. */
    if (!problem && (!c->creator || !c->target))
        abort();
    if (problem && problem->message[0] == '\0')
        abort();
    (*(size_t *)user)++;
    return TISO_OK;
}

static int discard(void *user, const char *data, size_t len)
{
    (void)user;
    (void)data;
    (void)len;
    return 0;
}

static void whole_report(const char *text, size_t len)
{
    static tiso_policy *policy;
    if (!policy) {
        const char *doc = "{\"tenantId\": \"c0a7b3e1-5d4f-4e2a-9b1c-000000c07050\", \"isDisabled\": false,"
                          " \"allowedTenants\": [{\"tenantId\": \"11111111-1111-1111-1111-111111111111\","
                          " \"direction\": {\"inbound\": true, \"outbound\": false}}]}";
        if (tiso_policy_load_json(&policy, doc, strlen(doc), NULL, NULL) != TISO_OK)
            abort();
    }
    static const tiso_report_format formats[] = {TISO_FORMAT_JSON, TISO_FORMAT_CSV, TISO_FORMAT_HTML};
    for (size_t f = 0; f < 3; f++) {
        tiso_report_options opts;
        tiso_report_options_init(&opts);
        opts.policy = policy;
        tiso_report *r = NULL;
        tiso_report_writer *w = NULL;
        if (tiso_report_new(&r, &opts, NULL) != TISO_OK ||
            tiso_report_writer_new(&w, r, formats[f], discard, NULL, NULL) != TISO_OK)
            abort();
        tiso_report_set_observer(r, tiso_report_writer_observe, w);
        if (tiso_report_read_inventory(r, text, len, "fuzz", NULL) != TISO_OK ||
            tiso_report_writer_finish(w, NULL) != TISO_OK)
            abort();
        tiso_report_totals t;
        tiso_report_get_totals(&t, r);
        if (t.allowed + t.blocked + t.not_covered + t.errors != t.connections)
            abort();
        tiso_report_writer_free(w);
        tiso_report_free(r);
    }
}

/* The page reader never builds the page as one tree; what it reads as a
 * page, cJSON reads as one document with as many connections. */
static void same_as_one_tree(const char *text, size_t len, const tiso_page_info *info, size_t records)
{
    cJSON *root = cJSON_ParseWithLength(text, len);
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "connections");
    if (!cJSON_IsArray(list) || (uint64_t)cJSON_GetArraySize(list) != info->entries || records != info->entries)
        abort();
    cJSON_Delete(root);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    unsigned which = data[0] % 3u;
    size--;
    char *text = malloc(size ? size : 1);
    if (!text)
        return 0;
    memcpy(text, data + 1, size);
    size_t records = 0;
    tiso_page_info info;
    switch (which) {
    case 0:
        if (tiso_read_report_page(&info, count, &records, text, size, "fuzz", NULL, NULL) == TISO_OK)
            same_as_one_tree(text, size, &info, records);
        break;
    case 1:
        if (tiso_read_inventory_line(count, &records, text, size, "fuzz", 1, NULL) != TISO_OK || records > 1)
            abort();
        break;
    default:
        whole_report(text, size);
        break;
    }
    free(text);
    return 0;
}

#ifdef TISO_FUZZ_STANDALONE
#include <dirent.h>
#include <stdio.h>

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    uint8_t *buf = NULL;
    size_t len = 1, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 4096;
            uint8_t *b = realloc(buf, cap);
            if (!b)
                break;
            buf = b;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        if (n == 0)
            break;
        len += n;
    }
    fclose(f);
    /* Each input through every path, not only the one its first byte picks. */
    for (uint8_t k = 0; k < 3 && buf; k++) {
        buf[0] = k;
        LLVMFuzzerTestOneInput(buf, len);
    }
    free(buf);
    return 0;
}

int main(int argc, char **argv)
{
    int count_files = 0;
    for (int i = 1; i < argc; i++) {
        DIR *d = opendir(argv[i]);
        if (!d) {
            if (run_file(argv[i]) != 0) {
                fprintf(stderr, "cannot read %s\n", argv[i]);
                return 1;
            }
            count_files++;
            continue;
        }
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
            if (run_file(path) != 0) {
                fprintf(stderr, "cannot read %s\n", path);
                closedir(d);
                return 1;
            }
            count_files++;
        }
        closedir(d);
    }
    printf("%d inputs replayed\n", count_files);
    return count_files > 0 ? 0 : 1;
}
#endif
