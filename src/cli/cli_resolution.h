/* Turning names (tenant IDs and domains) into tenant IDs for the CLI.
 *
 * A cli_resolution owns an ordered list of resolvers and hands the library
 * one resolver that tries them in turn, so policies loaded with it and
 * requests resolved through it see the same names. Today the list holds the
 * static maps (--domains, and a cases file's own "domains"); a network
 * resolver from the resolution options joins it in cli_resolution_open.
 * Many names at once (cli_resolve_names) go to Graph in concurrent batches. */
#ifndef TISO_CLI_RESOLUTION_H
#define TISO_CLI_RESOLUTION_H

#include "cli_args.h"
#include "cli_output.h"
#include "tenantiso.h"

#define CLI_RESOLVERS_MAX 4

typedef struct cli_resolution {
    tiso_resolver *chain[CLI_RESOLVERS_MAX]; /* owned; tried in order */
    const char *origin[CLI_RESOLVERS_MAX];   /* borrowed; "--domains map.json", for messages */
    size_t count;
    tiso_resolver *resolver; /* owned; what the library is given */
} cli_resolution;

/* Builds the resolution from the command-line options: a static map from
 * --domains if given. The library's resolver points back at `*out`, so the
 * struct must stay where it is until it is closed. Returns 0, or reports the failure and returns its exit
 * code (2 for a bad map, 3 when it cannot be read). Close it either way. */
int cli_resolution_open(cli_resolution *out, const cli_ctx *ctx, const cli_resolution_opts *opts);

/* Puts `map` (ownership taken, even on failure) in front of the others: it is
 * consulted first. `origin` names it in "not found" messages and must outlive
 * the resolution. Returns TISO_OK or TISO_E_LIMIT. */
tiso_status cli_resolution_push_front(cli_resolution *res, tiso_resolver *map, const char *origin);

/* Resolves `name`, a tenant ID or a domain, classified by the library's one
 * rule (tiso_name_classify: "*", "{...}" or a nil GUID is an invalid
 * tenant). Returns the library's statuses (see tiso_resolver_resolve),
 * detail in `err`. */
tiso_status cli_resolve_name(const cli_resolution *res, const char *name, tiso_tenant_id *out, tiso_error *err);

/* Resolves `count` names into `out[0..count)`, with the outcome of calling
 * cli_resolve_name on each in argument order and stopping at the first
 * failure: returns TISO_OK when every name resolved; otherwise that first
 * failure's status, its index in `*failed` and its detail in `err` (the
 * entries of `out` before it are filled, the others are not). When Microsoft
 * Graph is the only resolver (no --domains map), the domains go out in
 * concurrent batches (tiso_graph_resolve_batch, curl multi) rather than one
 * after another; names after a name that is invalid on its face are not
 * looked up. */
tiso_status cli_resolve_names(const cli_resolution *res, const char *const *names, size_t count, tiso_tenant_id *out,
                              size_t *failed, tiso_error *err);

/* The Graph client to ask for a tenant's information by ID (display name,
 * default domain), borrowed from the resolution: only when the Graph
 * resolver has credentials and the global cloud, where Graph serves that
 * look-up; NULL otherwise. */
tiso_graph_client *cli_resolution_tenant_info_client(const cli_resolution *res);

void cli_resolution_close(cli_resolution *res);

/* Milliseconds for a number of seconds, rounded, at least 1. */
uint32_t cli_ms_of(double seconds);

/* The HTTP options every client shares into `go`: --cloud (checked by
 * cli_args), --login-url, --ca-file, --timeout (the connect timeout no
 * longer than it). */
void cli_http_options(tiso_graph_options *go, const cli_resolution_opts *opts);

/* The environment variable `name`, or NULL when it is unset or empty: an
 * empty credential variable counts as unset (as Azure Identity's
 * EnvironmentCredential does), so `TENANTISO_CLIENT_SECRET=` means no secret. */
const char *cli_env(const char *name);

/* Credentials from the environment into `go`: TENANTISO_ACCESS_TOKEN, or
 * the client-secret triple TENANTISO_TENANT_ID, TENANTISO_CLIENT_ID,
 * TENANTISO_CLIENT_SECRET (each through cli_env). */
void cli_credentials(tiso_graph_options *go);

#endif /* TISO_CLI_RESOLUTION_H */
