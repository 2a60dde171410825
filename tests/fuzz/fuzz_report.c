/* Fuzz target: impact analysis over hostile input (SPEC 6). The input is
 * read twice, as a cross-tenant connection report page and as a JSON Lines
 * inventory, each into a report under a fixed proposed policy (domains
 * resolved through a static map). tests/report/fuzz_report_input.c covers
 * the readers themselves; this target checks what the analysis concludes.
 *
 * Invariants:
 *   - every record becomes exactly one connection in exactly one outcome
 *     (allowed + blocked + not covered + errors = connections = records read
 *     = observer calls), and each result's outcome matches its decision;
 *   - a page that cannot be read as a whole adds nothing;
 *   - the summary rows account for every blocked connection;
 *   - the suggested policy keeps the proposed policy's entries as they are,
 *     never suggests "*", and unblocks every blocked connection: read again
 *     under it nothing is blocked, and as a diff (before: the proposed
 *     policy) nothing is newly blocked and every blocked one newly allowed;
 *   - the JSON output is one valid JSON document whose totals are the
 *     report's;
 *   - each inventory line reads the same through the reader's quick path
 *     (short printable ASCII lines go straight to cJSON) as through its full
 *     pre-scan (forced by a string limit just under the line's length), so
 *     the quick path skips nothing the pre-scan refuses, such as escaped
 *     NULs.
 *
 * Found: the quick path let escaped NULs through, so a creator
 * "contoso.com\u0000.evil.example" was decided as contoso.com (a
 * fail-open); fixed in report_inventory.c, kept as
 * corpus/report/regress-escaped-nul.jsonl. */
#include <cjson/cJSON.h>
#include <tenantiso/report.h>

#include "fuzz_policy_oracle.h"
#include "fuzz_util.h"

#define HOME "c0a7b3e1-5d4f-4e2a-9b1c-000000c07050"

typedef struct tally {
    uint64_t results, outcomes[4];
} tally;

typedef struct buffer {
    char *data;
    size_t len, cap;
} buffer;

static tiso_resolver *resolver(void)
{
    static const char map[] =
        "{\"contoso.com\": \"" HOME "\", \"fabrikam.com\": \"fab41ca0-7e3d-4c1b-8a2f-0000000fab41\","
        " \"tailspintoys.com\": \"7c1e5a93-2d4b-4f6a-b8c0-d2e4f6a8b0c2\"}";
    static tiso_resolver *r;
    if (r == NULL)
        FUZZ_CHECK(tiso_resolver_load_map_json(&r, map, sizeof map - 1, NULL) == TISO_OK, "setup");
    return r;
}

static tiso_policy *proposed(void)
{
    static const char doc[] = "{\"tenantId\": \"" HOME "\", \"isDisabled\": false, \"allowedTenants\": ["
                              "{\"tenantId\": \"fab41ca0-7e3d-4c1b-8a2f-0000000fab41\", \"direction\": {\"inbound\": "
                              "true, \"outbound\": false}},"
                              "{\"tenantId\": \"11111111-1111-1111-1111-111111111111\", \"direction\": {\"inbound\": "
                              "false, \"outbound\": true}}]}";
    static tiso_policy *p;
    if (p == NULL)
        FUZZ_CHECK(tiso_policy_load_json(&p, doc, sizeof doc - 1, NULL, NULL) == TISO_OK, "setup");
    return p;
}

static void observe(void *user, const tiso_connection_result *r)
{
    tally *t = user;
    fuzz_check_decision_shape(&r->decision, r->status);
    tiso_outcome want = r->status != TISO_OK                                        ? TISO_OUTCOME_ERROR
                        : r->decision.reason == TISO_REASON_NOT_EVALUATED_NON_ENTRA ? TISO_OUTCOME_NOT_COVERED
                        : r->decision.verdict == TISO_DENY                          ? TISO_OUTCOME_BLOCKED
                                                                                    : TISO_OUTCOME_ALLOWED;
    FUZZ_CHECK(r->outcome == want, "outcome %s for %s/%s", tiso_outcome_name(r->outcome), tiso_status_name(r->status),
               tiso_reason_name(r->decision.reason));
    FUZZ_CHECK(r->status == TISO_OK || (r->error != NULL && r->error[0] != '\0'), "an error without words");
    t->results++;
    t->outcomes[r->outcome]++;
}

static int collect(void *user, const char *data, size_t len)
{
    buffer *b = user;
    if (b->len + len + 1 > b->cap) {
        size_t cap = (b->len + len + 1) * 2;
        char *d = realloc(b->data, cap);
        if (d == NULL)
            return -1;
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

/* Feeds `text` to a new report under `policy` (and `before`, for a diff). */
static tiso_report *analyse(const char *text, size_t len, int page, tiso_policy *policy, tiso_policy *before, tally *t,
                            tiso_status *status)
{
    tiso_report_options opts;
    tiso_report_options_init(&opts);
    opts.policy = policy;
    opts.before_policy = before;
    opts.resolver = resolver();
    tiso_report *r = NULL;
    FUZZ_CHECK(tiso_report_new(&r, &opts, NULL) == TISO_OK, "report_new");
    memset(t, 0, sizeof *t);
    FUZZ_CHECK(tiso_report_set_observer(r, observe, t) == TISO_OK, "observer");
    tiso_error err;
    tiso_error_clear(&err);
    *status = page ? tiso_report_read_page(r, text, len, "fuzz", &err)
                   : tiso_report_read_inventory(r, text, len, "fuzz", &err);
    if (*status != TISO_OK)
        fuzz_check_error(&err, *status);
    return r;
}

static tiso_report_totals totals_of(const tiso_report *r, const tally *t)
{
    tiso_report_totals tot;
    FUZZ_CHECK(tiso_report_get_totals(&tot, r) == TISO_OK, "totals");
    FUZZ_CHECK(tot.allowed + tot.blocked + tot.not_covered + tot.errors == tot.connections, "totals do not add up");
    FUZZ_CHECK(t->results == tot.connections && t->outcomes[TISO_OUTCOME_BLOCKED] == tot.blocked &&
                   t->outcomes[TISO_OUTCOME_ERROR] == tot.errors && t->outcomes[TISO_OUTCOME_ALLOWED] == tot.allowed,
               "observer saw %llu connections, totals say %llu", (unsigned long long)t->results,
               (unsigned long long)tot.connections);
    return tot;
}

static void check_rows(const tiso_report *r, const tiso_report_totals *tot)
{
    uint64_t blocked = 0, decided = 0;
    for (size_t i = 0; i < tiso_report_tenant_count(r); i++) {
        tiso_report_tenant row;
        FUZZ_CHECK(tiso_report_tenant_at(&row, r, i) == TISO_OK, "row %zu", i);
        FUZZ_CHECK(row.blocked <= row.connections && row.connections > 0, "row %zu counts", i);
        FUZZ_CHECK(row.direction == TISO_DIRECTION_INBOUND || row.direction == TISO_DIRECTION_OUTBOUND,
                   "row direction");
        blocked += row.blocked;
        decided += row.connections;
    }
    FUZZ_CHECK(blocked == tot->blocked, "rows hold %llu blocked, totals %llu", (unsigned long long)blocked,
               (unsigned long long)tot->blocked);
    FUZZ_CHECK(decided <= tot->allowed + tot->blocked, "rows hold more than the decided connections");
}

/* The JSON output parses, and says what the API says. */
static void check_json_output(const tiso_report *r, const tiso_report_totals *tot, tiso_report_format format)
{
    buffer b = {0};
    tiso_report_writer *w = NULL;
    FUZZ_CHECK(tiso_report_writer_new(&w, r, format, collect, &b, NULL) == TISO_OK, "writer_new");
    FUZZ_CHECK(tiso_report_writer_finish(w, NULL) == TISO_OK, "writer_finish");
    tiso_report_writer_free(w);
    cJSON *doc = cJSON_ParseWithLength(b.data ? b.data : "", b.len);
    FUZZ_CHECK(cJSON_IsObject(doc), "JSON output does not parse:\n%s", b.data ? b.data : "");
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(doc, "totals");
    const char *key = format == TISO_FORMAT_JSON ? "connections" : "changed";
    uint64_t want = format == TISO_FORMAT_JSON ? tot->connections : tot->changed;
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(t, key);
    FUZZ_CHECK(cJSON_IsNumber(n) && n->valuedouble == (double)want, "JSON totals.%s differs", key);
    cJSON_Delete(doc);
    free(b.data);
}

static void check_suggestion(const char *text, size_t len, int page, const tiso_report *r,
                             const tiso_report_totals *tot)
{
    tiso_policy *s = NULL;
    tiso_error err;
    FUZZ_CHECK(tiso_report_suggested_policy(&s, r, NULL, NULL, 0, &err) == TISO_OK, "suggested_policy: %s",
               err.message);
    size_t base = tiso_policy_entry_count(proposed()), n = tiso_policy_entry_count(s);
    FUZZ_CHECK(n == base + tiso_report_suggested_count(r, NULL), "suggested_count differs");
    for (size_t i = 0; i < n; i++) {
        tiso_policy_entry got, was;
        FUZZ_CHECK(tiso_policy_entry_at(&got, s, i) == TISO_OK && !(i >= base && got.is_wildcard), "entry %zu", i);
        FUZZ_CHECK(i >= base || (tiso_policy_entry_at(&was, proposed(), i) == TISO_OK &&
                                 tiso_tenant_id_equal(&was.tenant, &got.tenant) && was.directions == got.directions),
                   "entry %zu of the proposed policy changed", i);
    }
    fuzz_oracle_check_grid(s);
    tally t;
    tiso_status st;
    tiso_report *again = analyse(text, len, page, s, NULL, &t, &st);
    tiso_report_totals a = totals_of(again, &t);
    FUZZ_CHECK(a.blocked == 0 && a.connections == tot->connections && a.errors == tot->errors,
               "under the suggested policy %llu of %llu are still blocked", (unsigned long long)a.blocked,
               (unsigned long long)a.connections);
    tiso_report_free(again);
    tiso_report *diff = analyse(text, len, page, s, proposed(), &t, &st);
    tiso_report_totals d = totals_of(diff, &t);
    FUZZ_CHECK(d.newly_blocked == 0 && d.newly_allowed == tot->blocked && d.changed == tot->blocked, "diff totals");
    check_json_output(diff, &d, TISO_FORMAT_DIFF_JSON);
    tiso_report_free(diff);
    tiso_policy_free(s);
}

/* The first record a reader gives, copied. */
typedef struct record {
    int calls, problem;
    tiso_status status;
    char creator[128], target[128], connector[128];
} record;

static tiso_status first_record(void *user, const tiso_connection *c, const tiso_error *problem)
{
    record *r = user;
    if (r->calls++ > 0)
        return TISO_OK;
    r->problem = problem != NULL;
    r->status = problem ? problem->status : TISO_OK;
    snprintf(r->creator, sizeof r->creator, "%s", c->creator ? c->creator : "(none)");
    snprintf(r->target, sizeof r->target, "%s", c->target ? c->target : "(none)");
    snprintf(r->connector, sizeof r->connector, "%s", c->connector ? c->connector : "(none)");
    return TISO_OK;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void check_line_paths(const char *line, size_t len)
{
    size_t start = 0, end = len;
    while (start < end && is_space(line[start]))
        start++;
    while (end > start && is_space(line[end - 1]))
        end--;
    if (end - start < 3)
        return;
    tiso_report_options slow;
    tiso_report_options_init(&slow);
    slow.max_string_bytes = (uint32_t)(end - start - 1); /* no string can be longer; the quick path is off */
    record quick = {0}, full = {0};
    tiso_read_inventory_line(first_record, &quick, line, len, "fuzz", 1, NULL);
    tiso_read_inventory_line(first_record, &full, line, len, "fuzz", 1, &slow);
    FUZZ_CHECK(quick.calls == 1 && full.calls == 1, "%d and %d records from one line", quick.calls, full.calls);
    FUZZ_CHECK(quick.problem == full.problem && quick.status == full.status,
               "quick path: %s, full pre-scan: %s, for: %.*s", tiso_status_name(quick.status),
               tiso_status_name(full.status), (int)len, line);
    FUZZ_CHECK(strcmp(quick.creator, full.creator) == 0 && strcmp(quick.target, full.target) == 0 &&
                   strcmp(quick.connector, full.connector) == 0,
               "the quick path read other names");
}

static void check_inventory_lines(const char *text, size_t len)
{
    for (size_t start = 0; start < len;) {
        const char *nl = memchr(text + start, '\n', len - start);
        size_t end = nl != NULL ? (size_t)(nl - text) : len;
        if (end - start < 65536)
            check_line_paths(text + start, end - start);
        start = end + 1;
    }
}

static void run(const char *text, size_t len, int page)
{
    tally t;
    tiso_status st;
    tiso_report *r = analyse(text, len, page, proposed(), NULL, &t, &st);
    tiso_report_totals tot = totals_of(r, &t);
    if (st != TISO_OK) {
        FUZZ_CHECK(page && tot.connections == 0, "a failed read (%s) added %llu connections", tiso_status_name(st),
                   (unsigned long long)tot.connections);
        FUZZ_CHECK(st == TISO_E_SYNTAX || st == TISO_E_SCHEMA || st == TISO_E_LIMIT, "status %s", tiso_status_name(st));
    } else {
        check_rows(r, &tot);
        check_json_output(r, &tot, TISO_FORMAT_JSON);
        check_suggestion(text, len, page, r, &tot);
    }
    tiso_report_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_copy(data, size);
    if (text == NULL)
        return 0;
    run(text, size, 1);
    run(text, size, 0);
    check_inventory_lines(text, size);
    free(text);
    return 0;
}
