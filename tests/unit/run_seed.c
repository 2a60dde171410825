/* Runs the 14 documented scenarios of fixtures/seed-scenarios.json (SPEC 3.2).
 * Usage: run_seed PATH-TO-seed-scenarios.json */
#include <stdio.h>

#include "case_runner.h"

#define SEED_CASES 14

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s seed-scenarios.json\n", argv[0]);
        return 2;
    }
    return tt_run_case_files("seed_scenarios", &argv[1], 1, SEED_CASES);
}
