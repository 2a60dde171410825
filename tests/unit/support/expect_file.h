/* Reading a data case: `<name>.json` (the input, loaded as raw bytes) and
 * its sidecar `<name>.expect` (JSON: what the library must report). */
#ifndef TISO_TEST_EXPECT_FILE_H
#define TISO_TEST_EXPECT_FILE_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "test_util.h"

typedef struct tt_data_case {
    const char *name;     /* file name without extension */
    const char *json_path;
    const char *expect_path;
    char *input;          /* raw bytes of the .json, NUL added after `input_len` */
    size_t input_len;
    cJSON *expect;        /* parsed .expect */
    tiso_resolver *resolver; /* from "domains" in the .expect, or NULL */
    tiso_load_options opts;  /* defaults, with "limits" from the .expect */
} tt_data_case;

/* Reads both files; fails the current test on any problem. */
void tt_data_case_open(tt_data_case *c);
void tt_data_case_close(tt_data_case *c);

/* Runs one cmocka test per `<name>.json` in `dir` (each must have a
 * `<name>.expect`), calling `check` with the opened case. Returns cmocka's
 * failure count, or 1 if the directory is empty or unreadable. */
int tt_run_data_dir(const char *group, const char *dir, void (*check)(tt_data_case *c));

/* The string member `key` of `obj`, or NULL. */
const char *tt_json_str(const cJSON *obj, const char *key);

#endif /* TISO_TEST_EXPECT_FILE_H */
