/* Formatting and writing audit lines. */
#include "audit.h"

#include <stdlib.h>
#include <time.h>

#include <cjson/cJSON.h>

static _Thread_local unsigned long current_line;

void gw_audit_init(gw_audit *a, FILE *out)
{
    a->out = out;
    pthread_mutex_init(&a->lock, NULL);
    atomic_init(&a->allowed, 0);
    atomic_init(&a->denied, 0);
    atomic_init(&a->errors, 0);
}

void gw_audit_destroy(gw_audit *a)
{
    pthread_mutex_destroy(&a->lock);
}

void gw_audit_set_line(unsigned long line)
{
    current_line = line;
}

/* UTC with milliseconds, e.g. 2026-11-22T13:43:44.123Z. */
static void add_time(cJSON *obj)
{
    struct timespec ts;
    struct tm tm;
    char day[32], stamp[48];
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(day, sizeof day, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(stamp, sizeof stamp, "%s.%03ldZ", day, ts.tv_nsec / 1000000L);
    cJSON_AddStringToObject(obj, "time", stamp);
}

/* A tenant ID, or null for none (all zero). */
static void add_tenant(cJSON *obj, const char *key, const tiso_tenant_id *id)
{
    char text[TISO_TENANT_ID_LEN + 1];
    if (tiso_tenant_id_is_nil(id) || tiso_tenant_id_format(text, id) != TISO_OK)
        cJSON_AddNullToObject(obj, key);
    else
        cJSON_AddStringToObject(obj, key, text);
}

static void add_string_or_null(cJSON *obj, const char *key, const char *value)
{
    if (value)
        cJSON_AddStringToObject(obj, key, value);
    else
        cJSON_AddNullToObject(obj, key);
}

/* The policy that decided, found among those the evaluation consulted by the
 * decision's provenance ID, so the line says which version of which file. */
static void add_policy(cJSON *obj, const tiso_audit_record *r)
{
    const tiso_policy *consulted[2] = {r->outbound_policy, r->inbound_policy};
    for (int i = 0; i < 2; i++) {
        tiso_provenance p;
        if (consulted[i] && tiso_policy_provenance(&p, consulted[i]) == TISO_OK && p.id == r->decision->policy_id) {
            cJSON *policy = cJSON_AddObjectToObject(obj, "policy");
            cJSON_AddStringToObject(policy, "source", p.source);
            cJSON_AddStringToObject(policy, "sha256", p.sha256_hex);
            return;
        }
    }
    cJSON_AddNullToObject(obj, "policy");
}

static void add_error(cJSON *obj, tiso_status status, const char *message)
{
    cJSON *error = cJSON_AddObjectToObject(obj, "error");
    cJSON_AddStringToObject(error, "code", tiso_status_name(status));
    cJSON_AddStringToObject(error, "message", message ? message : tiso_strerror(status));
}

/* Writes `obj` as one line and frees it. */
static void emit(gw_audit *a, cJSON *obj)
{
    char *text = cJSON_PrintUnformatted(obj);
    cJSON_Delete(obj);
    if (!text)
        return;
    pthread_mutex_lock(&a->lock);
    fputs(text, a->out);
    fputc('\n', a->out);
    fflush(a->out);
    pthread_mutex_unlock(&a->lock);
    free(text);
}

void gw_audit_hook(void *user, const tiso_audit_record *r)
{
    gw_audit *a = user;
    const tiso_decision *d = r->decision;
    cJSON *obj = cJSON_CreateObject();
    if (!obj)
        return;
    add_time(obj);
    cJSON_AddNumberToObject(obj, "line", (double)current_line);
    add_tenant(obj, "creator", &r->request->creator);
    add_tenant(obj, "target", &r->request->target);
    add_string_or_null(obj, "connector", r->request->connector);
    cJSON_AddStringToObject(obj, "verdict", tiso_verdict_name(d->verdict));
    add_string_or_null(obj, "reason", r->status == TISO_OK ? tiso_reason_name(d->reason) : NULL);
    add_string_or_null(obj, "direction",
                       d->direction == TISO_DIRECTION_NONE ? NULL : tiso_direction_name(d->direction));
    add_tenant(obj, "externalTenant", &d->external_tenant);
    add_tenant(obj, "blockedBy", &d->blocked_by);
    if (d->rule >= 0)
        cJSON_AddNumberToObject(obj, "rule", d->rule);
    else
        cJSON_AddNullToObject(obj, "rule");
    add_policy(obj, r);
    if (r->status != TISO_OK) {
        add_error(obj, r->status, NULL);
        atomic_fetch_add(&a->errors, 1);
    } else {
        atomic_fetch_add(d->verdict == TISO_ALLOW ? &a->allowed : &a->denied, 1);
    }
    emit(a, obj);
}

void gw_audit_error(gw_audit *a, unsigned long line, const char *creator, const char *target, tiso_status status,
                    const char *message)
{
    cJSON *obj = cJSON_CreateObject();
    if (!obj)
        return;
    add_time(obj);
    cJSON_AddNumberToObject(obj, "line", (double)line);
    add_string_or_null(obj, "creator", creator);
    add_string_or_null(obj, "target", target);
    cJSON_AddStringToObject(obj, "verdict", "deny");
    static const char *const none[] = {"reason", "direction", "externalTenant", "blockedBy", "rule", "policy"};
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
        cJSON_AddNullToObject(obj, none[i]);
    add_error(obj, status, message);
    atomic_fetch_add(&a->errors, 1);
    emit(a, obj);
}
