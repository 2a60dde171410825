/* A connection request as the CLI receives it: text from the command line,
 * a --batch line or a test case, turned into a tiso_request. */
#ifndef TISO_CLI_REQUEST_H
#define TISO_CLI_REQUEST_H

#include <cjson/cJSON.h>

#include "cli_output.h"
#include "cli_resolution.h"
#include "tenantiso.h"

/* The request's fields as text, and how to name each in messages. */
typedef struct cli_request_text {
    const char *creator;      /* tenant ID or domain; required */
    const char *target;       /* tenant ID or domain; required */
    const char *direction;    /* auto|inbound|outbound; NULL: auto */
    const char *connector;    /* NULL: none */
    const char *label_prefix; /* "--" for options, "" or "cases[3]." for JSON keys */
} cli_request_text;

/* Resolves and checks `in` into `*out`; out->connector borrows in->connector.
 * On failure `err` says which field and why. Returns TISO_OK or the status
 * of the first bad field. */
tiso_status cli_request_build(tiso_request *out, const cli_request_text *in, const cli_resolution *res,
                              tiso_error *err);

struct cli_policies;

/* Builds the request of `in` through `res` and evaluates it against `p`:
 * TISO_OK with the decision in `*out`, or the first failure's status with
 * what went wrong in `why` (`size` bytes): the field and why, or what the
 * evaluation needed (cli_policies_evaluate). */
tiso_status cli_request_decide(tiso_decision *out, char *why, size_t size, const cli_request_text *in,
                               const struct cli_policies *p, const cli_resolution *res);

/* Reads the fields of a JSON request object ({"creator", "target",
 * "direction", "connector"}; other keys are ignored) into `*out`, whose
 * strings borrow from `obj`. `label_prefix` is put before key names in
 * messages. Returns TISO_OK or TISO_E_SCHEMA (missing, duplicated or
 * non-string field), detail in `err`. */
tiso_status cli_request_text_from_json(cli_request_text *out, const cJSON *obj, const char *label_prefix,
                                       tiso_error *err);

/* Fills `err` with `status`, JSON path "<prefix><key>" and the formatted
 * reason; returns `status`. */
tiso_status cli_field_error(tiso_error *err, tiso_status status, const char *prefix, const char *key, const char *fmt,
                            ...) CLI_PRINTF(5, 6);

#endif /* TISO_CLI_REQUEST_H */
