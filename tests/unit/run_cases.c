/* Runs every tests/data/cases/<name>.json file: expected decisions per rule of
 * SPEC 3 and 3.1. Usage: run_cases DIR */
#include <stdio.h>

#include "case_runner.h"
#include "dir_list.h"

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s CASES-DIR\n", argv[0]);
        return 2;
    }
    tt_dir_list files;
    if (tt_dir_list_read(&files, argv[1], ".json") != 0 || files.count == 0) {
        fprintf(stderr, "%s: no case files\n", argv[1]);
        return 1;
    }
    int rc = tt_run_case_files("cases", files.paths, files.count, 0);
    tt_dir_list_free(&files);
    return rc;
}
