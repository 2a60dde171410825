/* Sorted directory listing for the data-driven runners. */
#include "dir_list.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char *tt_path_join(const char *dir, const char *name, const char *suffix)
{
    size_t n = strlen(dir) + strlen(name) + strlen(suffix) + 2;
    char *p = malloc(n);
    if (p != NULL) {
        strcpy(p, dir);
        strcat(p, "/");
        strcat(p, name);
        strcat(p, suffix);
    }
    return p;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t ls = strlen(s), lx = strlen(suffix);
    return ls > lx && strcmp(s + ls - lx, suffix) == 0;
}

static int push(tt_dir_list *l, size_t *cap, const char *name, size_t base_len)
{
    if (l->count == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        char **bigger = realloc(l->names, *cap * sizeof *bigger);
        if (bigger == NULL) {
            return -1;
        }
        l->names = bigger;
    }
    char *copy = malloc(base_len + 1);
    if (copy == NULL) {
        return -1;
    }
    memcpy(copy, name, base_len);
    copy[base_len] = '\0';
    l->names[l->count++] = copy;
    return 0;
}

int tt_dir_list_read(tt_dir_list *out, const char *dir, const char *suffix)
{
    memset(out, 0, sizeof *out);
    DIR *d = opendir(dir);
    if (d == NULL) {
        return -1;
    }
    size_t cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (ends_with(e->d_name, suffix) &&
            push(out, &cap, e->d_name, strlen(e->d_name) - strlen(suffix)) != 0) {
            closedir(d);
            tt_dir_list_free(out);
            return -1;
        }
    }
    closedir(d);
    if (out->count == 0) {
        return 0;
    }
    qsort(out->names, out->count, sizeof *out->names, by_name);
    out->paths = calloc(out->count, sizeof *out->paths);
    if (out->paths == NULL) {
        tt_dir_list_free(out);
        return -1;
    }
    for (size_t i = 0; i < out->count; i++) {
        out->paths[i] = tt_path_join(dir, out->names[i], suffix);
    }
    return 0;
}

void tt_dir_list_free(tt_dir_list *list)
{
    for (size_t i = 0; i < list->count; i++) {
        free(list->names[i]);
        if (list->paths != NULL) {
            free(list->paths[i]);
        }
    }
    free(list->names);
    free(list->paths);
    memset(list, 0, sizeof *list);
}
