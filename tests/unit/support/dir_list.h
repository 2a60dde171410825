/* Lists the files of a directory whose names end in a suffix, sorted, so a
 * data-driven runner gets one test per file and adding a case is adding a file. */
#ifndef TISO_TEST_DIR_LIST_H
#define TISO_TEST_DIR_LIST_H

#include <stddef.h>

typedef struct tt_dir_list {
    char **paths; /* full paths, malloc'ed */
    char **names; /* file names without the suffix, malloc'ed */
    size_t count;
} tt_dir_list;

/* Returns 0 on success, -1 if the directory cannot be read. */
int tt_dir_list_read(tt_dir_list *out, const char *dir, const char *suffix);
void tt_dir_list_free(tt_dir_list *list);

/* A malloc'ed "<dir>/<name><suffix>". */
char *tt_path_join(const char *dir, const char *name, const char *suffix);

#endif /* TISO_TEST_DIR_LIST_H */
