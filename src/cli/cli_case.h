/* One expected-decision case of `tenantiso test` (the format of
 * fixtures/seed-scenarios.json): parse it strictly, run it, compare.
 *
 * Strict on purpose: a misspelt key in a case or its "expect" would make a
 * test silently check less than its author meant, so unknown keys there are
 * errors (top-level keys of the file are free). */
#ifndef TISO_CLI_CASE_H
#define TISO_CLI_CASE_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "cli_request.h"
#include "cli_resolution.h"
#include "tenantiso.h"

typedef struct cli_case_expect {
    const char *error; /* a status name the case must fail with; NULL: a decision */
    tiso_verdict verdict;
    int has_reason;
    tiso_reason reason;
    int has_direction;
    tiso_direction direction; /* NONE for null */
    int has_rule;
    int32_t rule; /* -1 for null */
    int has_blocked_by;
    tiso_tenant_id blocked_by; /* nil for null */
} cli_case_expect;

typedef struct cli_case {
    char label[48];           /* "cases[3]" */
    char prefix[48];          /* "cases[3]." for key names in messages */
    const char *scenario;     /* "" when absent */
    const cJSON *policy;      /* an object or a path string, or NULL */
    const cJSON *policies;    /* an array of those, or NULL */
    cli_request_text request; /* strings borrow from the JSON */
    cli_case_expect expect;
} cli_case;

/* Reads case `index` from `obj`. Returns TISO_OK or TISO_E_SCHEMA with the
 * JSON path and reason in `err`. Strings in `*out` borrow from `obj`. */
tiso_status cli_case_parse(cli_case *out, const cJSON *obj, size_t index, tiso_error *err);

typedef struct cli_case_outcome {
    tiso_status status; /* TISO_OK: `decision` is valid */
    char message[TISO_ERROR_MESSAGE_MAX];
    tiso_decision decision;
    int as_set;
} cli_case_outcome;

/* The file a policy value that is a path string names: relative to the
 * directory of the cases file `cases_path` unless absolute. malloc'd; NULL
 * when out of memory. */
char *cli_case_policy_file(const cJSON *v, const char *cases_path);

/* Loads the case's policies (path strings as cli_case_policy_file has
 * them), builds its request through `res` and evaluates it. Never fails: a
 * failure is the outcome, to be compared with what the case expects. */
void cli_case_run(const cli_case *c, const char *cases_path, const cli_resolution *res, cli_case_outcome *out);

/* 1 if `o` is what the case expects; otherwise 0, with "expected ..., got
 * ..." in `buf`. */
int cli_case_check(const cli_case *c, const cli_case_outcome *o, char *buf, size_t size);

#endif /* TISO_CLI_CASE_H */
