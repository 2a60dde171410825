/* What pushing a policy would change (see cli_plan.h). The entries are
 * compared by the library (tiso_policy_compare), as the service applies them. */
#include "cli_plan.h"

#include <stdio.h>
#include <string.h>

#include "cli_policies.h"
#include "cli_report.h"

static const char *dirs_text(unsigned d)
{
    static const char *const names[] = {"none", "inbound", "outbound", "inbound, outbound"};
    return names[d & 3u];
}

/* {"inbound": bool, "outbound": bool} as `key` of `obj`. */
static void add_dirs(int *bad, cJSON *obj, const char *key, unsigned d)
{
    cJSON *o = cli_json_need(bad, cJSON_AddObjectToObject(obj, key));
    cli_json_need(bad, cJSON_AddBoolToObject(o, "inbound", (d & TISO_ALLOW_INBOUND) != 0));
    cli_json_need(bad, cJSON_AddBoolToObject(o, "outbound", (d & TISO_ALLOW_OUTBOUND) != 0));
}

/* Where the changes go: printed (text), or into the "added", "removed" and
 * "changed" arrays (JSON; indexed by kind - 1). */
typedef struct shown {
    int text, *bad;
    cJSON *arr[3];
} shown;

/* One tenant's change: a line of text, or an object added to its array. */
static void show_change(void *user, const tiso_policy_change *c)
{
    const shown *s = user;
    char id[TISO_TENANT_ID_LEN + 1], who[300];
    if (c->is_wildcard)
        snprintf(id, sizeof id, "*");
    else
        tiso_tenant_id_format(id, &c->tenant);
    unsigned only = c->kind == TISO_CHANGE_ADDED ? c->after : c->before; /* added or removed */
    if (s->text) {
        if (c->label != NULL)
            snprintf(who, sizeof who, "%s (%.200s)", id, c->label);
        else
            snprintf(who, sizeof who, "%s", id);
        if (c->kind == TISO_CHANGE_CHANGED)
            printf("~ %s: %s -> %s\n", who, dirs_text(c->before), dirs_text(c->after));
        else
            printf("%c %s: %s\n", c->kind == TISO_CHANGE_ADDED ? '+' : '-', who, dirs_text(only));
        return;
    }
    cJSON *o = cli_json_push_object(s->bad, s->arr[c->kind - 1]);
    cli_json_add_string(s->bad, o, "tenantId", id);
    if (c->label != NULL)
        cli_json_add_string(s->bad, o, "label", c->label);
    if (c->kind == TISO_CHANGE_CHANGED) {
        add_dirs(s->bad, o, "from", c->before);
        add_dirs(s->bad, o, "to", c->after);
    } else {
        add_dirs(s->bad, o, "directions", only);
    }
}

static const char *on_off(int on)
{
    return on ? "on" : "off";
}

static void print_head(const cli_plan *p, const cli_live *live, int before_on, int after_on)
{
    printf("live policy of tenant %s: %sSHA-256 %s\n", live->tenant_text, p->live.found ? "" : "none (isolation off); ",
           p->live.sha256);
    if (before_on == after_on)
        printf("isolation: %s (unchanged)\n", on_off(after_on));
    else
        printf("isolation: %s -> %s\n", on_off(before_on), on_off(after_on));
}

static int print_json(const cli_ctx *ctx, const cli_plan *p, cJSON *root, int bad)
{
    cli_json_need(&bad, cJSON_AddBoolToObject(root, "inSync", p->in_sync));
    cJSON *iso = cli_json_need(&bad, cJSON_AddObjectToObject(root, "isolation"));
    cli_json_need(&bad, cJSON_AddBoolToObject(iso, "live", p->diff.isolation_before));
    cli_json_need(&bad, cJSON_AddBoolToObject(iso, "proposed", p->diff.isolation_after));
    if (p->report != NULL) {
        tiso_report_totals t;
        tiso_report_get_totals(&t, p->report);
        cJSON *c = cli_json_need(&bad, cJSON_AddObjectToObject(root, "connections"));
        cli_json_add_number(&bad, c, "total", (double)t.connections);
        cli_json_add_number(&bad, c, "changed", (double)t.changed);
        cli_json_add_number(&bad, c, "newlyBlocked", (double)t.newly_blocked);
        cli_json_add_number(&bad, c, "newlyAllowed", (double)t.newly_allowed);
    }
    return cli_json_print(ctx, root, bad, 1);
}

/* The library's comparison of the live policy with `proposed`, each change
 * printed (text) or collected into `root` (JSON) as it comes. */
static int compare_policies(cli_plan *p, const cli_ctx *ctx, const cli_live *live, const tiso_policy *proposed,
                            int *bad, cJSON *root)
{
    static const char *const keys[] = {"added", "removed", "changed"};
    shown s = {!ctx->json, bad, {NULL, NULL, NULL}};
    for (size_t k = 0; ctx->json && k < 3; k++)
        s.arr[k] = cli_json_need(bad, cJSON_AddArrayToObject(root, keys[k]));
    if (!ctx->json)
        print_head(p, live, tiso_policy_isolation_enabled(p->before), tiso_policy_isolation_enabled(proposed));
    tiso_error err;
    tiso_error_clear(&err);
    if (tiso_policy_compare(&p->diff, show_change, &s, p->before, proposed, &err) != TISO_OK)
        return cli_fail_error(ctx, NULL, &err);
    const tiso_policy_comparison *d = &p->diff;
    int switched = d->isolation_before != d->isolation_after;
    p->in_sync = !switched && d->added + d->removed + d->changed == 0;
    if (!ctx->json)
        printf(p->in_sync ? "in sync: pushing this policy would change nothing\n"
                          : "differs: %zu added, %zu removed, %zu with other directions%s\n",
               d->added, d->removed, d->changed, switched ? ", isolation switched" : "");
    return 0;
}

/* Reads the live policy, compares `proposed` (POLICY) with it and, with
 * INPUT, reads that into a diff report; prints the plan. Returns 0, or
 * reports the failure and returns its exit code. Free it either way. */
static int plan_run(cli_plan *out, const cli_ctx *ctx, const cli_args *args, cli_live *live, const cli_resolution *res,
                    tiso_policy *proposed)
{
    memset(out, 0, sizeof *out);
    int rc = cli_live_get(ctx, live, &out->live, &out->before);
    if (rc != 0)
        return rc;
    int bad = 0;
    cJSON *root = ctx->json ? cli_json_need(&bad, cJSON_CreateObject()) : NULL;
    if (ctx->json) {
        cli_json_add_string(&bad, root, "tenant", live->tenant_text);
        cli_json_add_string(&bad, root, "liveSha256", out->live.sha256);
        cli_json_need(&bad, cJSON_AddBoolToObject(root, "liveFound", out->live.found));
    }
    rc = compare_policies(out, ctx, live, proposed, &bad, root);
    if (rc == 0 && args->positional_count > 1) {
        if (!ctx->json)
            printf("\nconnections of the input under the live policy and under this one:\n");
        fflush(stdout);
        static const tiso_report_format diff_text = TISO_FORMAT_DIFF_TEXT;
        rc = cli_report_over(ctx, args, res, out->before, proposed, args->positional + 1, args->positional_count - 1,
                             ctx->json ? NULL : &diff_text, &out->report);
        if (rc == 0)
            cli_report_warn_inputs(out->report, &live->tenant);
    }
    if (rc == 0 && ctx->json)
        return print_json(ctx, out, root, bad);
    cJSON_Delete(root);
    return rc;
}

/* Before the live service is asked anything: the resolution opened, POLICY
 * loaded with its domains resolved, the client opened, and the library's
 * refusals of a policy that could not be pushed. */
static int prepare(const cli_ctx *ctx, const cli_args *args, cli_resolution *res, cli_live *live,
                   tiso_policy **policy)
{
    memset(live, 0, sizeof *live);
    *policy = NULL;
    tiso_error err;
    tiso_error_clear(&err);
    int rc = cli_resolution_open(res, ctx, &args->resolution);
    if (rc == 0 && cli_policy_load(policy, args->positional[0], NULL, 0, res->resolver, &err) != TISO_OK)
        return cli_fail_error(ctx, args->positional[0], &err);
    if (rc == 0)
        rc = cli_live_open(live, ctx, args, res);
    if (rc == 0 && tiso_live_policy_check_pushable(*policy, &live->tenant, args->expect, &err) != TISO_OK)
        rc = cli_fail_error(ctx, args->positional[0], &err);
    return rc;
}

int cli_plan_command(const cli_ctx *ctx, const cli_args *args, cli_plan_then then)
{
    cli_resolution res;
    cli_live live;
    tiso_policy *policy = NULL;
    cli_plan plan;
    memset(&plan, 0, sizeof plan);
    int rc = prepare(ctx, args, &res, &live, &policy);
    if (rc == 0)
        rc = plan_run(&plan, ctx, args, &live, &res, policy);
    if (rc == 0)
        rc = then(ctx, args, &live, policy, &plan);
    tiso_live_policy_clear(&plan.live);
    tiso_policy_free(plan.before);
    tiso_report_free(plan.report);
    tiso_policy_free(policy);
    cli_live_end(&live, &res);
    return rc;
}
