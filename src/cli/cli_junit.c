/* JUnit XML for `test` (see cli_junit.h). Each suite's test cases are
 * collected in memory, then wrapped in their <testsuite> with its counts. */
#include "cli_junit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli_decision.h"
#include "cli_report.h"
#include "internal.h"

/* Names and messages are cut to this (a case name can be any JSON string). */
#define JUNIT_TEXT_MAX 2048

typedef struct counts {
    unsigned long tests, failures, errors;
    double seconds;
} counts;

struct cli_junit {
    const char *path;
    FILE *doc; /* the <testsuite> elements so far */
    char *doc_buf;
    size_t doc_len;
    FILE *suite; /* the open suite's <testcase> elements */
    char *suite_buf;
    size_t suite_len;
    char *suite_name;
    char timestamp[32];
    counts suite_counts, total;
    int broken;  /* out of memory on the way: finish reports it */
    int refused; /* the exit code of refusing an input as the report */
};

int cli_junit_open(cli_junit **out, const cli_ctx *ctx, const cli_args *args)
{
    *out = NULL;
    if (args->junit == NULL) {
        return 0;
    }
    int rc = cli_output_check_args(ctx, "--junit", args->junit, args);
    if (rc != 0) {
        return rc;
    }
    cli_junit *j = calloc(1, sizeof *j);
    if (j == NULL || (j->doc = open_memstream(&j->doc_buf, &j->doc_len)) == NULL) {
        free(j);
        return cli_fail_nomem(ctx);
    }
    j->path = args->junit;
    *out = j;
    return 0;
}

/* Writes `text` as XML character data, or as an attribute value when
 * `attr`. The text is first made one printable line (every control
 * character, which XML 1.0 forbids, replaced; invalid UTF-8 replaced);
 * U+FFFE and U+FFFF, also forbidden, become '?'. */
static void put_xml(FILE *out, const char *text, int attr)
{
    static const char *const entity[] = {['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;"};
    char clean[JUNIT_TEXT_MAX];
    tiso__text_clean(clean, sizeof clean, text, text != NULL ? strlen(text) : 0, TISO__TEXT_MARK_CONTROLS);
    for (const char *p = clean; *p != '\0'; p++) {
        unsigned char c = (unsigned char)*p;
        int forbidden = p[0] == '\xEF' && p[1] == '\xBF' && (p[2] == '\xBE' || p[2] == '\xBF');
        const char *as = forbidden ? "?" : c < sizeof entity / sizeof entity[0] && (c != '"' || attr) ? entity[c] : NULL;
        if (as != NULL) {
            fputs(as, out);
        } else {
            fputc(c, out);
        }
        p += forbidden ? 2 : 0;
    }
}

/* Character data of several lines: each line cleaned as by put_xml. */
static void put_xml_lines(FILE *out, const char *text)
{
    char line[JUNIT_TEXT_MAX];
    for (size_t n; *text != '\0'; text += n) {
        n = strcspn(text, "\n");
        snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line ? n : sizeof line), text);
        put_xml(out, line, 0);
        if (text[n] == '\n') {
            fputc('\n', out);
            n++;
        }
    }
}

static void end_suite(cli_junit *j)
{
    if (j->suite == NULL) {
        return;
    }
    if (fclose(j->suite) != 0) {
        j->broken = 1;
    }
    j->suite = NULL;
    const counts *c = &j->suite_counts;
    char host[256] = "localhost";
    if (gethostname(host, sizeof host) != 0 || host[0] == '\0') {
        snprintf(host, sizeof host, "localhost");
    }
    host[sizeof host - 1] = '\0';
    fputs("  <testsuite name=\"", j->doc);
    put_xml(j->doc, j->suite_name, 1);
    fprintf(j->doc, "\" tests=\"%lu\" failures=\"%lu\" errors=\"%lu\" skipped=\"0\" time=\"%.6f\" timestamp=\"%s\"",
            c->tests, c->failures, c->errors, c->seconds, j->timestamp);
    fputs(" hostname=\"", j->doc);
    put_xml(j->doc, host, 1);
    fputs("\">\n", j->doc);
    if (j->suite_buf != NULL) {
        fwrite(j->suite_buf, 1, j->suite_len, j->doc);
    }
    fputs("  </testsuite>\n", j->doc);
    free(j->suite_buf);
    free(j->suite_name);
    j->suite_buf = NULL;
    j->suite_name = NULL;
    j->total.tests += c->tests;
    j->total.failures += c->failures;
    j->total.errors += c->errors;
    j->total.seconds += c->seconds;
}

void cli_junit_suite(cli_junit *j, const char *cases_path)
{
    if (j == NULL) {
        return;
    }
    end_suite(j);
    memset(&j->suite_counts, 0, sizeof j->suite_counts);
    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm) == NULL || strftime(j->timestamp, sizeof j->timestamp, "%Y-%m-%dT%H:%M:%S", &tm) == 0) {
        snprintf(j->timestamp, sizeof j->timestamp, "1970-01-01T00:00:00");
    }
    j->suite_name = strdup(cases_path[0] != '\0' ? cases_path : "-");
    j->suite = open_memstream(&j->suite_buf, &j->suite_len);
    if (j->suite_name == NULL || j->suite == NULL) {
        j->broken = 1;
    }
}

/* <testcase name=".." classname="<cases file>" time=".."> */
static int open_case(cli_junit *j, const char *name, double seconds)
{
    if (j->suite == NULL) {
        return 0;
    }
    j->suite_counts.tests++;
    j->suite_counts.seconds += seconds;
    fputs("    <testcase name=\"", j->suite);
    put_xml(j->suite, name, 1);
    fputs("\" classname=\"", j->suite);
    put_xml(j->suite, j->suite_name, 1);
    fprintf(j->suite, "\" time=\"%.6f\"", seconds);
    return 1;
}

/* <failure|error message=".." type="..">detail</failure|error> and the case's end. */
static void close_case(cli_junit *j, const char *element, const char *type, const char *message, const char *detail)
{
    if (element == NULL) {
        fputs("/>\n", j->suite);
        return;
    }
    fprintf(j->suite, ">\n      <%s message=\"", element);
    put_xml(j->suite, message, 1);
    fputs("\" type=\"", j->suite);
    put_xml(j->suite, type, 1);
    fputs("\">", j->suite);
    put_xml_lines(j->suite, detail);
    fprintf(j->suite, "</%s>\n    </testcase>\n", element);
}

void cli_junit_error(cli_junit *j, const char *name, const char *type, const char *message)
{
    if (j != NULL && open_case(j, name, 0.0)) {
        j->suite_counts.errors++;
        close_case(j, "error", type, message, message);
    }
}

void cli_junit_inputs(cli_junit *j, const cli_ctx *ctx, const cli_case *c, const char *cases_path)
{
    const cJSON *v = c->policy != NULL ? c->policy : c->policies->child;
    for (; j != NULL && j->refused == 0 && v != NULL; v = c->policy != NULL ? NULL : v->next) {
        char *file = cJSON_IsString(v) ? cli_case_policy_file(v, cases_path) : NULL;
        if (file != NULL) {
            j->refused = cli_output_check_not_input(ctx, "--junit", j->path, (const char *const *)&file, 1);
        }
        j->broken |= cJSON_IsString(v) && file == NULL;
        free(file);
    }
}

/* "expected ..., got ..." and, when there is one, the whole actual decision
 * with its message. */
static char *failure_detail(const cli_case_outcome *o, const char *why)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL) {
        return NULL;
    }
    fprintf(f, "%s\n", why);
    int bad = 0;
    if (o->status == TISO_OK) {
        fputs("actual decision: ", f);
        bad = cli_decision_print_text(f, &o->decision, o->as_set) != 0;
    }
    if (fclose(f) != 0 || bad) {
        free(buf);
        return NULL;
    }
    return buf;
}

void cli_junit_case(cli_junit *j, const cli_case *c, const cli_case_outcome *o, double seconds, int passed,
                    const char *why)
{
    if (j == NULL) {
        return;
    }
    char name[JUNIT_TEXT_MAX];
    snprintf(name, sizeof name, "%s%s%s", c->label, c->scenario[0] != '\0' ? ": " : "", c->scenario);
    if (!open_case(j, name, seconds)) {
        return;
    }
    if (passed) {
        close_case(j, NULL, NULL, NULL, NULL);
        return;
    }
    char *detail = failure_detail(o, why);
    if (detail == NULL) {
        j->broken = 1;
    }
    /* A case that expected a decision but could not be decided did not run. */
    int errored = o->status != TISO_OK && c->expect.error == NULL;
    if (errored) {
        j->suite_counts.errors++;
        close_case(j, "error", tiso_status_name(o->status), o->message, detail != NULL ? detail : why);
    } else {
        j->suite_counts.failures++;
        close_case(j, "failure", o->status != TISO_OK ? "unexpected_error" : "decision", why,
                   detail != NULL ? detail : why);
    }
    free(detail);
}

int cli_junit_finish(cli_junit *j, const cli_ctx *ctx)
{
    if (j == NULL) {
        return 0;
    }
    end_suite(j);
    fputs("</testsuites>\n", j->doc);
    int rc = j->refused; /* reported already */
    if ((fclose(j->doc) != 0 || j->broken) && rc == 0) {
        rc = cli_fail_nomem(ctx);
    } else if (rc == 0) {
        /* The root element, which carries the totals, then the suites (text
         * without a NUL byte: put_xml leaves none). "-" is a file here: the
         * test's own output is on standard output. */
        char root[256];
        snprintf(root, sizeof root,
                 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                 "<testsuites name=\"tenantiso test\" tests=\"%lu\" failures=\"%lu\" errors=\"%lu\" time=\"%.6f\">\n",
                 j->total.tests, j->total.failures, j->total.errors, j->total.seconds);
        rc = cli_write_file(ctx, strcmp(j->path, "-") == 0 ? "./-" : j->path, root, strlen(root), j->doc_buf);
    }
    free(j->doc_buf);
    free(j);
    return rc;
}
