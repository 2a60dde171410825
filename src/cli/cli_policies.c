/* One policy or a policy set behind one interface (see cli_policies.h). */
#include "cli_policies.h"

#include <stdio.h>
#include <string.h>

#include "internal.h"

void cli_policies_init(cli_policies *p, int as_set)
{
    memset(p, 0, sizeof *p);
    p->as_set = as_set;
}

tiso_status cli_policy_load(tiso_policy **out, const char *source, const char *json, size_t len,
                            tiso_resolver *resolver, tiso_error *err)
{
    tiso_load_options opts;
    tiso_load_options_init(&opts);
    opts.resolver = resolver;
    opts.source = source;
    return json != NULL ? tiso_policy_load_json(out, json, len, &opts, err)
                        : tiso_policy_load_file(out, source, &opts, err);
}

tiso_status cli_policies_load(cli_policies *p, const char *source, const char *json, size_t len,
                              tiso_resolver *resolver, tiso_error *err)
{
    tiso_policy *policy = NULL;
    tiso_status s = cli_policy_load(&policy, source, json, len, resolver, err);
    if (s != TISO_OK) {
        return s;
    }
    if (!p->as_set && p->single != NULL) {
        tiso_policy_free(policy);
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL,
                          "policies: several policies given where one was expected");
    }
    if (!p->as_set) {
        p->single = policy;
        return TISO_OK;
    }
    /* The set takes its own reference; ours is no longer needed. */
    s = p->set == NULL ? tiso_policy_set_new(&p->set, 0, err) : TISO_OK;
    if (s == TISO_OK) {
        s = tiso_policy_set_add(p->set, policy, err);
    }
    tiso_policy_free(policy);
    return s;
}

tiso_status cli_policy_empty(tiso_policy **out, const tiso_tenant_id *home, int isolation, tiso_error *err)
{
    tiso_policy_builder *b = NULL;
    tiso_status s = tiso_policy_builder_new(&b, err);
    if (s == TISO_OK) {
        s = tiso_policy_builder_set_home(b, home);
    }
    if (s == TISO_OK) {
        s = tiso_policy_builder_set_isolation(b, isolation);
    }
    if (s == TISO_OK) {
        s = tiso_policy_builder_build(out, b, err);
    }
    tiso_policy_builder_free(b);
    return s;
}

/* Words a failed evaluation of `request` with status `status` in `buf`. */
static void explain(const cli_policies *p, const tiso_request *request, tiso_status status, char *buf, size_t size)
{
    tiso_tenant_id home;
    int has_home = !p->as_set && p->single != NULL && tiso_policy_home_tenant(&home, p->single);
    char home_text[TISO_TENANT_ID_LEN + 1] = "", side[TISO_TENANT_ID_LEN + 1] = "";
    if (has_home) {
        tiso_tenant_id_format(home_text, &home);
    }
    switch (status) {
    case TISO_E_NO_HOME_TENANT:
        snprintf(buf, size,
                 "direction auto needs the policy's home tenant (properties.tenantId), and %s has "
                 "none; give the direction (inbound or outbound) explicitly",
                 p->single != NULL ? tiso_policy_source(p->single) : "the policy");
        return;
    case TISO_E_INCONSISTENT_DIRECTION:
        if (has_home &&
            (request->direction == TISO_DIRECTION_OUTBOUND || request->direction == TISO_DIRECTION_INBOUND)) {
            /* Outbound: the creator is the home tenant; inbound: the target. */
            int out = request->direction == TISO_DIRECTION_OUTBOUND;
            const char *role = out ? "creator" : "target";
            tiso_tenant_id_format(side, out ? &request->creator : &request->target);
            snprintf(buf, size, "direction %s means the %s is the home tenant %s, but the %s is %s",
                     tiso_direction_name(request->direction), role, home_text, role, side);
            return;
        }
        break;
    default:
        break;
    }
    snprintf(buf, size, "no decision: %s", tiso_strerror(status));
}

tiso_status cli_policies_evaluate(tiso_decision *out, char *why, size_t size, const cli_policies *p,
                                  const tiso_request *request)
{
    tiso_status s = p->as_set ? tiso_policy_set_evaluate_request(out, p->set, request)
                              : tiso_evaluate_request(out, p->single, request);
    if (s != TISO_OK) {
        explain(p, request, s, why, size);
    }
    return s;
}

void cli_policies_free(cli_policies *p)
{
    tiso_policy_free(p->single);
    tiso_policy_set_free(p->set);
    memset(p, 0, sizeof *p);
}
