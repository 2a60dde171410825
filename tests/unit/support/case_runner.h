/* Runs expected-decision cases in the format of fixtures/seed-scenarios.json:
 *   {"domains": {"name": "tenant-id"}?, "cases": [{"scenario", "policy" | "policies",
 *    "creator", "target", "direction"?, "connector"?,
 *    "expect": {"verdict", "reason", "direction", "rule"?, "blockedBy"?} | {"error"}}]}
 * Each case becomes one cmocka test. */
#ifndef TISO_TEST_CASE_RUNNER_H
#define TISO_TEST_CASE_RUNNER_H

#include <stddef.h>

/* Runs every case of every file as one cmocka group named `group`.
 * `expected_cases` > 0 also checks the total number of cases.
 * Returns the number of failures (cmocka's count), or 1 when a file cannot
 * be read or has no cases. */
int tt_run_case_files(const char *group, char *const *paths, size_t n_paths, size_t expected_cases);

#endif /* TISO_TEST_CASE_RUNNER_H */
