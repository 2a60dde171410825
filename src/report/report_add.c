/* Adding one connection to a report: resolve both tenants, decide under the
 * policy (and the `before` policy of a diff), count, tell the observer. */
#include <stdio.h>
#include <string.h>

#include "evaluator.h"
#include "policy_internal.h"
#include "report_internal.h"

/* What a connection's tenants resolved to, with the domains they were
 * given by (copied: the name cache may move). */
typedef struct resolved {
    char domain[2][TISO_DOMAIN_MAX + 1]; /* [0] creator, [1] target; "" for an ID */
} resolved;

/* No decision on either side, for `status`: both deny (fail closed). */
static void fail_closed(tiso_connection_result *res, tiso_status status)
{
    tiso_decision deny; /* a local: handing out &res->decision would make gcc doubt res->status */
    tiso__deny_error(&deny, status);
    res->status = res->before_status = status;
    res->decision = res->before = deny;
}

static tiso_status resolve_one(tiso_report *r, const char *what, const char *name, tiso_tenant_id *out, char *domain,
                               tiso_error *e)
{
    const char *dom = NULL;
    tiso_status s = tiso__report_names_resolve(&r->names, r->opts.resolver, name, out, &dom, e);
    if (s == TISO_OK) {
        snprintf(domain, TISO_DOMAIN_MAX + 1, "%s", dom ? dom : "");
        return s;
    }
    memset(out, 0, sizeof *out);
    snprintf(r->message, sizeof r->message, "%s tenant '%.100s': %s", what, name, e->message);
    return s;
}

/* Why an evaluation gave no decision, in words a person can act on. */
static void explain(tiso_report *r, const char *side, tiso_status s)
{
    if (s == TISO_E_NO_HOME_TENANT)
        snprintf(r->message, sizeof r->message,
                 "the %spolicy has no home tenant (properties.tenantId), so the direction of a "
                 "connection cannot be told",
                 side);
    else
        snprintf(r->message, sizeof r->message, "no decision under the %spolicy: %s", side, tiso_strerror(s));
}

/* Evaluates `req` under a policy or a set; fails closed. A set's two sides
 * come with the decision (one evaluation, one audit call); for a single
 * policy both are copies of the decision. */
static tiso_status judge(const tiso__report_judge *j, const tiso_request *req, tiso_set_decision *out)
{
    if (j->set)
        return tiso_policy_set_decide(out, j->set, req);
    tiso_status s = tiso_evaluate_request(&out->decision, j->policy, req);
    out->outbound = out->inbound = out->decision;
    return s;
}

/* Decides under the policy (and the `before` policy of a diff); the
 * inbound side of a set's decision goes to `inbound` for the tally. */
static void evaluate(tiso_report *r, const tiso_connection *c, tiso_connection_result *res, tiso_decision *inbound)
{
    tiso_request req = {res->creator, res->target, TISO_DIRECTION_AUTO, c->connector, c->auth};
    tiso_set_decision d;
    res->status = judge(&r->after, &req, &d);
    res->decision = d.decision;
    *inbound = d.inbound;
    if (res->status != TISO_OK)
        explain(r, "", res->status);
    if (!tiso_report_is_diff(r))
        return;
    res->before_status = judge(&r->before, &req, &d);
    res->before = d.decision;
    if (res->before_status != TISO_OK && res->status == TISO_OK)
        explain(r, "before ", res->before_status);
}

tiso_tenant_id tiso__report_home_of(const tiso_report *r, const tiso_connection_result *res, tiso_direction dir)
{
    tiso_tenant_id home = {{0}};
    if (!r->after.set)
        tiso_policy_home_tenant(&home, r->after.policy);
    else
        home = dir == TISO_DIRECTION_OUTBOUND ? res->creator : res->target;
    return home;
}

/* A name for `external` as seen from `home`'s policy: its
 * tenantDisplayName, or NULL. */
static const char *policy_label(const tiso_report *r, const tiso_tenant_id *home, const tiso_tenant_id *external)
{
    const tiso_policy *p = r->after.policy;
    if (!p || !p->has_home || !tiso__id_eq(&p->home, home))
        return NULL;
    const tiso__id_slot *slot = tiso__id_table_find(&p->index, external);
    if (!slot)
        return NULL;
    int32_t rule = slot->rule[0] >= 0 ? slot->rule[0] : slot->rule[1];
    if (rule < 0)
        return NULL;
    return tiso__arena_str(p->strings, p->entries[rule].name);
}

/* The row for (home, external) with its label set on creation. */
static tiso__report_tally_row *row_for(tiso_report *r, const tiso_tenant_id *home, const tiso_tenant_id *ext,
                                       const char *domain)
{
    bool created;
    tiso__report_tally_row *row = tiso__report_tally_get(&r->tally, home, ext, &created);
    if (!row || !created)
        return row;
    const char *label = policy_label(r, home, ext);
    if (!label && domain && *domain) {
        label = domain;
        row->label_is_domain = true;
    }
    if (label) {
        size_t ref;
        if (tiso__arena_add(&r->strings, label, strlen(label), &ref) != TISO_OK)
            return NULL;
        /* The arena may have moved nothing in the tally: refs, not pointers. */
        row->label = ref;
    }
    return row;
}

static void need(tiso__report_tally *t, tiso__report_tally_row *row, unsigned dir)
{
    if (!row->needs)
        row->first_blocked = ++t->needs_seen;
    row->needs |= dir ? TISO_ALLOW_OUTBOUND : TISO_ALLOW_INBOUND;
}

/* In a set the creator's side blocks first; when the target's side blocks
 * too, a suggestion must cover both. */
static tiso_status need_other_side(tiso_report *r, const tiso_connection_result *res, const tiso_decision *inbound,
                                   const resolved *names)
{
    if (!r->after.set || !tiso__id_eq(&res->decision.blocked_by, &res->creator) || inbound->verdict == TISO_ALLOW)
        return TISO_OK;
    tiso__report_tally_row *row = row_for(r, &res->target, &res->creator, names->domain[0]);
    if (!row)
        return TISO_E_NOMEM;
    need(&r->tally, row, 0);
    return TISO_OK;
}

static tiso_status tally(tiso_report *r, const tiso_connection_result *res, const tiso_decision *inbound,
                         const resolved *names)
{
    const tiso_decision *d = &res->decision;
    if (res->status != TISO_OK || d->direction == TISO_DIRECTION_NONE)
        return TISO_OK;
    unsigned dir = d->direction == TISO_DIRECTION_OUTBOUND;
    tiso_tenant_id home = tiso__report_home_of(r, res, d->direction);
    tiso__report_tally_row *row = row_for(r, &home, &d->external_tenant, names->domain[dir]);
    if (!row)
        return TISO_E_NOMEM;
    bool blocked = d->verdict != TISO_ALLOW;
    if (tiso__report_tally_count(&r->tally, row, (uint32_t)(row - r->tally.rows), dir, blocked) != TISO_OK)
        return TISO_E_NOMEM;
    if (!blocked)
        return TISO_OK;
    need(&r->tally, row, dir);
    return need_other_side(r, res, inbound, names);
}

static void count(tiso_report *r, const tiso_connection_result *res)
{
    tiso_report_totals *t = &r->totals;
    t->connections++;
    t->allowed += res->outcome == TISO_OUTCOME_ALLOWED;
    t->blocked += res->outcome == TISO_OUTCOME_BLOCKED;
    t->not_covered += res->outcome == TISO_OUTCOME_NOT_COVERED;
    t->errors += res->outcome == TISO_OUTCOME_ERROR;
    if (res->changed) {
        t->changed++;
        t->newly_blocked += res->decision.verdict != TISO_ALLOW;
        t->newly_allowed += res->decision.verdict == TISO_ALLOW;
    }
    if (r->current_input) {
        tiso_report_input *in = &r->inputs[r->current_input - 1].info;
        in->connections++;
        in->errors += res->outcome == TISO_OUTCOME_ERROR;
    }
}

static tiso_outcome outcome_of(tiso_status status, const tiso_decision *d)
{
    if (status != TISO_OK)
        return TISO_OUTCOME_ERROR;
    if (d->verdict != TISO_ALLOW)
        return TISO_OUTCOME_BLOCKED;
    return d->reason == TISO_REASON_NOT_EVALUATED_NON_ENTRA ? TISO_OUTCOME_NOT_COVERED : TISO_OUTCOME_ALLOWED;
}

/* Counts the result, keeps its problem, and tells the observer. */
static tiso_status finish(tiso_report *r, const tiso_connection *c, tiso_connection_result *res, const char *path,
                          tiso_connection_result *out, tiso_error *err)
{
    res->outcome = outcome_of(res->status, &res->decision);
    if (tiso_report_is_diff(r)) {
        res->before_outcome = outcome_of(res->before_status, &res->before);
        res->changed = tiso__report_allows(res->status, &res->decision) !=
                       tiso__report_allows(res->before_status, &res->before);
    }
    res->error = res->outcome == TISO_OUTCOME_ERROR ? r->message : "";
    if (res->outcome == TISO_OUTCOME_ERROR && tiso__report_keep_problem(r, c, res->status, path, r->message) != TISO_OK)
        return tiso__fail(err, TISO_E_NOMEM, NULL, "out of memory keeping a problem");
    count(r, res);
    if (r->observer)
        r->observer(r->observer_user, res);
    if (out)
        *out = *res;
    return TISO_OK;
}

tiso_status tiso_report_add(tiso_connection_result *out, tiso_report *r, const tiso_connection *c, tiso_error *err)
{
    if (!r || !c)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "report_add: NULL pointer");
    if (!c->creator || !c->target) {
        tiso_error p;
        tiso__fail(&p, TISO_E_INVALID_ARGUMENT, NULL, "the connection has no %s tenant",
                   c->creator ? "target" : "creator");
        return tiso_report_add_problem(r, c, &p, err);
    }
    tiso_connection_result res = {.connection = c};
    resolved names;
    tiso_error e; /* filled only on a failure */
    r->message[0] = '\0';
    res.status = resolve_one(r, "creator", c->creator, &res.creator, names.domain[0], &e);
    if (res.status == TISO_OK)
        res.status = resolve_one(r, "target", c->target, &res.target, names.domain[1], &e);
    if (res.status == TISO_E_NOMEM)
        return tiso__fail(err, TISO_E_NOMEM, NULL, "out of memory resolving a tenant");
    tiso_decision inbound;
    if (res.status == TISO_OK)
        evaluate(r, c, &res, &inbound);
    else
        fail_closed(&res, res.status);
    if (tally(r, &res, &inbound, &names) != TISO_OK)
        return tiso__fail(err, TISO_E_NOMEM, NULL, "out of memory counting a connection");
    return finish(r, c, &res, NULL, out, err);
}

tiso_status tiso_report_add_problem(tiso_report *r, const tiso_connection *c, const tiso_error *problem,
                                    tiso_error *err)
{
    if (!r || !c || !problem)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "report_add_problem: NULL pointer");
    tiso_connection_result res = {.connection = c};
    fail_closed(&res, problem->status != TISO_OK ? problem->status : TISO_E_SCHEMA);
    snprintf(r->message, sizeof r->message, "%s", problem->message[0] ? problem->message : tiso_strerror(res.status));
    return finish(r, c, &res, problem->path, NULL, err);
}
