/* The standalone driver for every fuzz target here (built with
 * TISO_FUZZ_STANDALONE, in every build): runs each file given, or each file
 * in each directory given, once through LLVMFuzzerTestOneInput. CTest runs it
 * over the committed seed corpus, so the sanitizer builds check the corpus
 * on every CI run without clang or libFuzzer. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_util.h"

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return -1;
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    int ok = 1;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 4096;
            uint8_t *b = realloc(buf, cap);
            if (b == NULL) {
                ok = 0;
                break;
            }
            buf = b;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        if (n == 0)
            break;
        len += n;
    }
    ok = ok && !ferror(f);
    fclose(f);
    if (ok)
        LLVMFuzzerTestOneInput(buf, len);
    free(buf);
    return ok ? 0 : -1;
}

static int run_dir(DIR *d, const char *dir, int *count)
{
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (run_file(path) != 0) {
            fprintf(stderr, "cannot read %s\n", path);
            return -1;
        }
        (*count)++;
    }
    return 0;
}

int main(int argc, char **argv)
{
    int count = 0;
    for (int i = 1; i < argc; i++) {
        DIR *d = opendir(argv[i]);
        int rc = d != NULL ? run_dir(d, argv[i], &count) : run_file(argv[i]);
        if (d != NULL)
            closedir(d);
        else if (rc == 0)
            count++;
        if (rc != 0) {
            fprintf(stderr, "cannot read %s\n", argv[i]);
            return 1;
        }
    }
    /* stderr: a target may have taken stdout over (the batch target does). */
    fprintf(stderr, "%s: %d inputs replayed\n", argv[0], count);
    return count > 0 ? 0 : 1;
}
