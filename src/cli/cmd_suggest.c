/* tenantiso suggest INPUT... [--home T]
 * The allowlist that keeps every connection in INPUT working: a policy
 * document for the home tenant, isolation on, with one entry per external
 * tenant seen and exactly the directions seen (SPEC 6, 7). It is the
 * suggestion a report makes against an empty, isolated policy. Without
 * --home, the home tenant is the report pages' tenant, or the one tenant
 * that takes part in every cross-tenant connection of the inventories. */
#include <string.h>
#include <sys/stat.h>

#include "cli_policies.h"
#include "cli_report.h"
#include "commands.h"

/* Problems shown on stderr; the rest are only counted. */
#define PROBLEMS_SHOWN 20

/* The tenants that took part in every cross-tenant connection so far. */
typedef struct home_guess {
    tiso_tenant_id candidate[2];
    int count;
    int started;
} home_guess;

static void observe_guess(void *user, const tiso_connection_result *res)
{
    home_guess *g = user;
    /* Connections that need no allowlist entry say nothing about home; the
     * empty set's decision says which they are (rules 1 and 3). */
    tiso_reason why = res->decision.reason;
    if (res->status != TISO_OK || why == TISO_REASON_SAME_TENANT || why == TISO_REASON_NOT_EVALUATED_NON_ENTRA) {
        return;
    }
    if (!g->started) {
        g->candidate[0] = res->creator;
        g->candidate[1] = res->target;
        g->count = 2;
        g->started = 1;
        return;
    }
    int kept = 0;
    for (int i = 0; i < g->count; i++) {
        if (tiso_tenant_id_equal(&g->candidate[i], &res->creator) ||
            tiso_tenant_id_equal(&g->candidate[i], &res->target)) {
            g->candidate[kept++] = g->candidate[i];
        }
    }
    g->count = kept;
}

static int guess_failure(const cli_ctx *ctx, const home_guess *g)
{
    if (!g->started) {
        return cli_usage(ctx, "no cross-tenant connection in the input, so no home tenant to infer; "
                              "give --home T");
    }
    if (g->count == 2) {
        char a[TISO_TENANT_ID_LEN + 1], b[TISO_TENANT_ID_LEN + 1];
        tiso_tenant_id_format(a, &g->candidate[0]);
        tiso_tenant_id_format(b, &g->candidate[1]);
        return cli_usage(ctx, "every connection is between %s and %s: give --home T to say which is home",
                         a, b);
    }
    return cli_usage(ctx, "no tenant takes part in every cross-tenant connection, so the home "
                          "tenant cannot be inferred; give --home T");
}

/* First pass, without --home: resolve everything, find the home tenant. */
static int infer_home(const cli_ctx *ctx, const cli_args *args, const cli_resolution *res,
                      tiso_tenant_id *home)
{
    for (size_t i = 0; i < args->positional_count; i++) {
        struct stat st;
        const char *path = args->positional[i];
        /* Regular files and directories of pages can be read again; a pipe cannot. */
        if (strcmp(path, "-") == 0 || (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))) {
            return cli_usage(ctx, "%s cannot be read twice to find the home tenant: give --home T",
                             strcmp(path, "-") == 0 ? "standard input" : path);
        }
    }
    tiso_policy_set *empty = NULL;
    tiso_report *report = NULL;
    tiso_report_options opts;
    cli_report_options(&opts, args, res);
    home_guess guess = {0};
    tiso_error err;
    tiso_error_clear(&err);
    int rc = 0;
    if (tiso_policy_set_new(&empty, 0, &err) != TISO_OK) {
        rc = cli_fail_error(ctx, NULL, &err);
    }
    opts.policy_set = empty;
    if (rc == 0 && tiso_report_new(&report, &opts, &err) != TISO_OK) {
        rc = cli_fail_error(ctx, NULL, &err);
    }
    if (rc == 0) {
        /* Quiet: the second pass reports the problems. */
        tiso_report_set_observer(report, observe_guess, &guess);
        rc = cli_report_read_inputs(ctx, report, args->positional, args->positional_count, 1);
    }
    /* The tenant of the first report page, if any; else the one guessed. */
    tiso_report_input in;
    size_t next = 0;
    if (rc == 0 && cli_report_next_page(&in, report, &next)) {
        if (cli_resolve_name(res, in.tenant_id, home, &err) != TISO_OK) {
            rc = cli_fail_error(ctx, in.source, &err);
        }
    } else if (rc == 0 && guess.count == 1) {
        *home = guess.candidate[0];
    } else if (rc == 0) {
        rc = guess_failure(ctx, &guess);
    }
    tiso_report_free(report);
    tiso_policy_set_free(empty);
    return rc;
}

static void show_problems(const cli_ctx *ctx, const tiso_report *report)
{
    size_t n = tiso_report_problem_count(report);
    for (size_t i = 0; i < n && i < PROBLEMS_SHOWN; i++) {
        tiso_report_problem p;
        tiso_report_problem_at(&p, report, i);
        if (p.line) {
            cli_warn("%s: %s:%llu: %s", ctx->command, p.source ? p.source : "", (unsigned long long)p.line,
                     p.message);
        } else if (p.index >= 0) {
            cli_warn("%s: %s[%lld]: %s", ctx->command, p.source ? p.source : "", (long long)p.index, p.message);
        } else {
            cli_warn("%s: %s", ctx->command, p.message);
        }
    }
    if (n > PROBLEMS_SHOWN) {
        cli_warn("%s: and more records that could not be evaluated", ctx->command);
    }
}

/* Second pass: the report against the empty policy, and its suggestion. */
static int suggest(const cli_ctx *ctx, const cli_args *args, const cli_resolution *res,
                   const tiso_tenant_id *home)
{
    tiso_policy *policy = NULL, *suggested = NULL;
    tiso_report *report = NULL;
    char *text = NULL;
    tiso_error err;
    tiso_error_clear(&err);
    /* Against an empty, isolated policy everything cross-tenant is blocked,
     * so the suggestion lists every external tenant and direction seen. */
    int rc = cli_policy_empty(&policy, home, 1, &err) == TISO_OK ? 0 : cli_fail_error(ctx, NULL, &err);
    if (rc == 0) {
        rc = cli_report_over(ctx, args, res, NULL, policy, args->positional, args->positional_count, NULL, &report);
    }
    if (rc == 0 && (tiso_report_suggested_policy(&suggested, report, NULL, NULL, 0, &err) != TISO_OK ||
                    tiso_policy_to_json(&text, NULL, suggested, 1, &err) != TISO_OK)) {
        rc = cli_fail_error(ctx, NULL, &err);
    }
    if (rc == 0) {
        puts(text);
        show_problems(ctx, report);
        cli_report_warn_inputs(report, home);
        rc = cli_report_exit_code(ctx, report, 0);
    }
    tiso_free(text);
    tiso_policy_free(suggested);
    tiso_report_free(report);
    tiso_policy_free(policy);
    return rc;
}

int cmd_suggest(const cli_ctx *ctx, const cli_args *args)
{
    cli_resolution res;
    tiso_tenant_id home;
    tiso_error err;
    int rc = cli_resolution_open(&res, ctx, &args->resolution);
    if (rc == 0) {
        rc = cli_report_check_inputs(ctx, args->positional, args->positional_count);
    }
    if (rc == 0 && args->home != NULL && cli_resolve_name(&res, args->home, &home, &err) != TISO_OK) {
        rc = cli_fail_error(ctx, "--home", &err);
    } else if (rc == 0 && args->home == NULL) {
        rc = infer_home(ctx, args, &res, &home);
    }
    if (rc == 0) {
        rc = suggest(ctx, args, &res, &home);
    }
    cli_resolution_close(&res);
    return rc;
}
