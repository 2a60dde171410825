/* What pushing a policy would change (see cli_plan.h). Entries are compared
 * as the service applies them: per tenant (or "*"), the union of the
 * directions its entries grant, whatever their order. */
#include "cli_plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_policies.h"
#include "cli_report.h"

/* One tenant's grant in a policy. */
typedef struct grant {
    tiso_tenant_id tenant; /* all zero for "*" */
    int wildcard;
    unsigned dirs;
    const char *label; /* borrowed display name or domain; NULL */
} grant;

typedef struct grants {
    grant *g;
    size_t n;
} grants;

static int grant_cmp(const void *a, const void *b)
{
    const grant *x = a, *y = b;
    if (x->wildcard != y->wildcard)
        return x->wildcard ? -1 : 1;
    return memcmp(x->tenant.bytes, y->tenant.bytes, sizeof x->tenant.bytes);
}

/* The policy's grants, sorted, one per tenant. */
static int grants_of(grants *out, const tiso_policy *p)
{
    size_t n = tiso_policy_entry_count(p);
    out->n = 0;
    out->g = calloc(n ? n : 1, sizeof *out->g);
    if (out->g == NULL)
        return -1;
    for (size_t i = 0; i < n; i++) {
        tiso_policy_entry e;
        if (tiso_policy_entry_at(&e, p, i) != TISO_OK)
            continue;
        grant *g = &out->g[out->n++];
        g->tenant = e.tenant;
        g->wildcard = e.is_wildcard;
        g->dirs = e.directions;
        g->label = e.display_name ? e.display_name : e.domain;
    }
    qsort(out->g, out->n, sizeof *out->g, grant_cmp);
    size_t k = 0;
    for (size_t i = 0; i < out->n; i++) {
        if (k > 0 && grant_cmp(&out->g[k - 1], &out->g[i]) == 0) {
            out->g[k - 1].dirs |= out->g[i].dirs; /* additive semantics */
            if (out->g[k - 1].label == NULL)
                out->g[k - 1].label = out->g[i].label;
        } else {
            out->g[k++] = out->g[i];
        }
    }
    out->n = k;
    return 0;
}

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

/* One tenant's change, from `from` to `to` (NULL: no grant, the tenant is
 * added or removed): a line of text, or an object added to `arr`. */
static void show_change(int text, int *bad, cJSON *arr, const grant *g, const unsigned *from, const unsigned *to)
{
    char id[TISO_TENANT_ID_LEN + 1], who[300];
    if (g->wildcard)
        snprintf(id, sizeof id, "*");
    else
        tiso_tenant_id_format(id, &g->tenant);
    if (text) {
        if (g->label != NULL)
            snprintf(who, sizeof who, "%s (%.200s)", id, g->label);
        else
            snprintf(who, sizeof who, "%s", id);
        if (from != NULL && to != NULL)
            printf("~ %s: %s -> %s\n", who, dirs_text(*from), dirs_text(*to));
        else
            printf("%c %s: %s\n", to == NULL ? '-' : '+', who, dirs_text(to == NULL ? *from : *to));
        return;
    }
    cJSON *o = cli_json_push_object(bad, arr);
    cli_json_add_string(bad, o, "tenantId", id);
    if (g->label != NULL)
        cli_json_add_string(bad, o, "label", g->label);
    if (from != NULL && to != NULL) {
        add_dirs(bad, o, "from", *from);
        add_dirs(bad, o, "to", *to);
    } else {
        add_dirs(bad, o, "directions", to == NULL ? *from : *to);
    }
}

/* Walks both sorted lists: prints (text) or collects into `root` (JSON)
 * each change. */
static void compare(cli_plan *p, const grants *a, const grants *b, int text, int *bad, cJSON *root)
{
    cJSON *added = text ? NULL : cli_json_need(bad, cJSON_AddArrayToObject(root, "added"));
    cJSON *removed = text ? NULL : cli_json_need(bad, cJSON_AddArrayToObject(root, "removed"));
    cJSON *changed = text ? NULL : cli_json_need(bad, cJSON_AddArrayToObject(root, "changed"));
    size_t i = 0, j = 0;
    while (i < a->n || j < b->n) {
        int c = i == a->n ? 1 : j == b->n ? -1 : grant_cmp(&a->g[i], &b->g[j]);
        if (c < 0) {
            p->removed++;
            show_change(text, bad, removed, &a->g[i], &a->g[i].dirs, NULL);
            i++;
        } else if (c > 0) {
            p->added++;
            show_change(text, bad, added, &b->g[j], NULL, &b->g[j].dirs);
            j++;
        } else {
            if (a->g[i].dirs != b->g[j].dirs) {
                p->changed++;
                grant g = b->g[j];
                if (g.label == NULL)
                    g.label = a->g[i].label;
                show_change(text, bad, changed, &g, &a->g[i].dirs, &b->g[j].dirs);
            }
            i++;
            j++;
        }
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

static int print_json(const cli_ctx *ctx, const cli_plan *p, int before_on, int after_on, cJSON *root, int bad)
{
    cli_json_need(&bad, cJSON_AddBoolToObject(root, "inSync", p->in_sync));
    cJSON *iso = cli_json_need(&bad, cJSON_AddObjectToObject(root, "isolation"));
    cli_json_need(&bad, cJSON_AddBoolToObject(iso, "live", before_on));
    cli_json_need(&bad, cJSON_AddBoolToObject(iso, "proposed", after_on));
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

static int compare_policies(cli_plan *p, const cli_ctx *ctx, const cli_live *live, tiso_policy *proposed, int *bad,
                            cJSON *root)
{
    grants a = {0}, b = {0};
    if (grants_of(&a, p->before) != 0 || grants_of(&b, proposed) != 0) {
        free(a.g);
        free(b.g);
        return cli_fail_nomem(ctx);
    }
    int before_on = tiso_policy_isolation_enabled(p->before), after_on = tiso_policy_isolation_enabled(proposed);
    p->isolation_changes = before_on != after_on;
    if (!ctx->json)
        print_head(p, live, before_on, after_on);
    compare(p, &a, &b, !ctx->json, bad, root);
    free(a.g);
    free(b.g);
    p->in_sync = !p->isolation_changes && p->added + p->removed + p->changed == 0;
    if (!ctx->json)
        printf(p->in_sync ? "in sync: pushing this policy would change nothing\n"
                          : "differs: %zu added, %zu removed, %zu with other directions%s\n",
               p->added, p->removed, p->changed, p->isolation_changes ? ", isolation switched" : "");
    return 0;
}

/* Reads the live policy, compares `proposed` (POLICY) with it and, with
 * INPUT, reads that into a diff report; prints the plan. Returns 0, or
 * reports the failure and returns its exit code. Free it either way. */
static int plan_run(cli_plan *out, const cli_ctx *ctx, const cli_args *args, cli_live *live, const cli_resolution *res,
                    tiso_policy *proposed)
{
    memset(out, 0, sizeof *out);
    int rc = cli_live_get(ctx, live, &out->live);
    if (rc != 0)
        return rc;
    if (out->live.found)
        out->before = tiso_policy_ref(out->live.policy);
    else if ((rc = cli_live_policy_off(ctx, &live->tenant, &out->before)) != 0)
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
        return print_json(ctx, out, tiso_policy_isolation_enabled(out->before), tiso_policy_isolation_enabled(proposed),
                          root, bad);
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
