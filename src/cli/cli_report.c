/* Shared plumbing of report, suggest and diff (see cli_report.h). */
#include "cli_report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <dirent.h>
#include <unistd.h>

int cli_report_load_policy(const cli_ctx *ctx, const char *path, const cli_resolution *res,
                           tiso_policy **out)
{
    tiso_load_options opts;
    tiso_load_options_init(&opts);
    opts.resolver = res->resolver;
    opts.source = path;
    tiso_error err;
    tiso_error_clear(&err);
    if (tiso_policy_load_file(out, path, &opts, &err) != TISO_OK) {
        return cli_fail_error(ctx, path, &err);
    }
    return 0;
}

int cli_report_check_inputs(const cli_ctx *ctx, const char *const *paths, size_t n)
{
    int stdin_seen = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(paths[i], "-") == 0) {
            if (stdin_seen++) {
                return cli_usage(ctx, "standard input ('-') can be read only once");
            }
            continue;
        }
        struct stat st;
        if (stat(paths[i], &st) != 0) {
            return cli_fail(ctx, TISO_E_IO, "%s: cannot open: %s", paths[i], strerror(errno));
        }
        if (S_ISDIR(st.st_mode)) {
            continue; /* its pages are opened when read */
        }
        /* Try a regular file's permissions now; a pipe or a FIFO must not be
         * opened twice, or what its writer sent first could be lost. */
        int fd = S_ISREG(st.st_mode) ? open(paths[i], O_RDONLY | O_CLOEXEC) : -2;
        if (fd == -1) {
            return cli_fail(ctx, TISO_E_IO, "%s: cannot open: %s", paths[i], strerror(errno));
        }
        if (fd >= 0) {
            close(fd);
        }
    }
    return 0;
}

/* A whole page that cannot be read becomes one counted error, so the
 * report still says what it could read and that something is missing. */
static int count_bad_page(const cli_ctx *ctx, tiso_report *report, const char *path,
                          const tiso_error *err, int quiet)
{
    char message[CLI_MESSAGE_MAX];
    cli_format_error(message, sizeof message, path, err);
    if (!quiet) {
        cli_warn("%s: %s (skipped; counted as an error)", ctx->command, message);
    }
    tiso_connection where = {.source = path, .index = -1};
    tiso_error problem = *err;
    snprintf(problem.message, sizeof problem.message, "%.400s", message);
    tiso_error e2;
    if (tiso_report_add_problem(report, &where, &problem, &e2) != TISO_OK) {
        return cli_fail_nomem(ctx);
    }
    return 0;
}

/* A directory's pages, as fetch-report writes them: its *.json files in
 * name order. */
static int json_file(const struct dirent *d)
{
    size_t n = strlen(d->d_name);
    return d->d_name[0] != '.' && n > 5 && strcmp(d->d_name + n - 5, ".json") == 0;
}

static int read_directory(const cli_ctx *ctx, tiso_report *report, const char *dir, int quiet)
{
    struct dirent **names = NULL;
    int count = scandir(dir, &names, json_file, alphasort);
    if (count < 0)
        return cli_fail(ctx, TISO_E_IO, "%s: cannot read the directory: %s", dir, strerror(errno));
    int rc = count == 0 ? cli_fail(ctx, TISO_E_IO, "%s: a directory without *.json pages", dir) : 0;
    for (int i = 0; i < count; i++) {
        char path[4096];
        if (rc == 0 && snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name) < (int)sizeof path) {
            const char *one = path;
            rc = cli_report_read_inputs(ctx, report, &one, 1, quiet);
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

int cli_report_read_inputs(const cli_ctx *ctx, tiso_report *report, const char *const *paths,
                           size_t n, int quiet)
{
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (strcmp(paths[i], "-") != 0 && stat(paths[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            int rc = read_directory(ctx, report, paths[i], quiet);
            if (rc != 0) {
                return rc;
            }
            continue;
        }
        tiso_error err;
        tiso_error_clear(&err);
        const char *path = paths[i];
        tiso_status s = strcmp(path, "-") == 0
                            ? tiso_report_read_fd(report, STDIN_FILENO, "standard input", &err)
                            : tiso_report_read_file(report, path, &err);
        if (s == TISO_E_SYNTAX || s == TISO_E_SCHEMA || s == TISO_E_LIMIT) {
            int rc = count_bad_page(ctx, report, path, &err, quiet);
            if (rc != 0) {
                return rc;
            }
        } else if (s != TISO_OK) {
            return cli_fail_error(ctx, path, &err);
        }
    }
    return 0;
}

/* ---- output ---- */

int cli_sink_open(cli_sink *s, const cli_ctx *ctx, const char *path)
{
    memset(s, 0, sizeof *s);
    s->path = path;
    if (path == NULL || strcmp(path, "-") == 0) {
        s->path = NULL;
        s->fp = stdout;
        return 0;
    }
    size_t len = strlen(path) + sizeof ".XXXXXX";
    s->tmp_path = malloc(len);
    if (s->tmp_path == NULL) {
        return cli_fail_nomem(ctx);
    }
    snprintf(s->tmp_path, len, "%s.XXXXXX", path);
    int fd = mkstemp(s->tmp_path);
    if (fd < 0) {
        int e = errno;
        free(s->tmp_path);
        s->tmp_path = NULL;
        return cli_fail(ctx, TISO_E_IO, "%s: cannot create: %s", path, strerror(e));
    }
    /* mkstemp makes the file private; give it the mode a plain create would. */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, (mode_t)(0666 & ~mask));
    s->fp = fdopen(fd, "w");
    if (s->fp == NULL) {
        close(fd);
        unlink(s->tmp_path);
        return cli_fail(ctx, TISO_E_IO, "%s: cannot open: %s", path, strerror(errno));
    }
    return 0;
}

int cli_sink_write(void *user, const char *data, size_t len)
{
    cli_sink *s = user;
    return fwrite(data, 1, len, s->fp) == len ? 0 : -1;
}

int cli_sink_close(cli_sink *s, const cli_ctx *ctx, int commit)
{
    int rc = 0;
    if (s->path == NULL) {
        if (commit && (fflush(stdout) != 0 || ferror(stdout))) {
            rc = cli_fail(ctx, TISO_E_IO, "standard output: write error");
        }
        return rc;
    }
    int failed = ferror(s->fp) != 0;
    failed |= fclose(s->fp) != 0;
    if (commit && failed) {
        rc = cli_fail(ctx, TISO_E_IO, "%s: write error", s->path);
    } else if (commit && rename(s->tmp_path, s->path) != 0) {
        rc = cli_fail(ctx, TISO_E_IO, "%s: cannot replace: %s", s->path, strerror(errno));
    }
    if (!commit || rc != 0) {
        unlink(s->tmp_path);
    }
    free(s->tmp_path);
    memset(s, 0, sizeof *s);
    return rc;
}

/* ---- progress ---- */

void cli_progress_init(cli_progress *p, const char *command, tiso_report_writer *writer)
{
    memset(p, 0, sizeof *p);
    p->command = command;
    p->writer = writer;
    p->on = isatty(STDERR_FILENO);
}

void cli_progress_observe(void *user, const tiso_connection_result *res)
{
    cli_progress *p = user;
    if (p->writer != NULL) {
        tiso_report_writer_observe(p->writer, res);
    }
    if (p->also != NULL) {
        p->also(p->also_user, res);
    }
    /* Look at the clock only now and then: this runs once per connection. */
    if (++p->seen % 65536 != 0 || !p->on) {
        return;
    }
    time_t now = time(NULL);
    if (now != p->last) {
        fprintf(stderr, "\rtenantiso: %s: %llu connections read", p->command,
                (unsigned long long)p->seen);
        p->last = now;
    }
}

void cli_progress_done(cli_progress *p)
{
    if (p->on && p->last != 0) {
        fprintf(stderr, "\rtenantiso: %s: %llu connections read\n", p->command,
                (unsigned long long)p->seen);
    }
}

/* ---- after the report ---- */

static int same_tenant(const char *text, const tiso_tenant_id *home)
{
    tiso_tenant_id id;
    return tiso_tenant_id_parse(&id, text, strlen(text)) == TISO_OK &&
           tiso_tenant_id_equal(&id, home);
}

void cli_report_warn_inputs(const tiso_report *report, const tiso_tenant_id *home)
{
    char home_text[TISO_TENANT_ID_LEN + 1] = "";
    if (home != NULL) {
        tiso_tenant_id_format(home, home_text);
    }
    size_t n = tiso_report_input_count(report);
    for (size_t i = 0; i < n; i++) {
        tiso_report_input in;
        tiso_report_input_at(report, i, &in);
        if (!in.is_page) {
            continue;
        }
        if (in.status[0] != '\0' && strcasecmp(in.status, "Completed") != 0) {
            cli_warn("%s: the report's status is \"%s\", not \"Completed\": it may not list every "
                     "connection yet",
                     in.source, in.status);
        }
        if (home != NULL && !same_tenant(in.tenant_id, home)) {
            cli_warn("%s: this report is of tenant %s, but the policy's home tenant is %s: its "
                     "connections are judged from %s's side",
                     in.source, in.tenant_id, home_text, home_text);
        }
    }
}

int cli_report_exit_code(const cli_ctx *ctx, const tiso_report *report, int fail_on_blocked)
{
    tiso_report_totals t;
    tiso_report_get_totals(report, &t);
    if (fail_on_blocked && t.blocked > 0) {
        cli_warn("%s: %llu of %llu connections would be blocked", ctx->command,
                 (unsigned long long)t.blocked, (unsigned long long)t.connections);
        return CLI_EXIT_DENIED;
    }
    if (t.errors > 0) {
        cli_warn("%s: %llu of %llu records could not be evaluated",
                 ctx->command, (unsigned long long)t.errors, (unsigned long long)t.connections);
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

/* ---- a whole file at once ---- */

int cli_write_file(const cli_ctx *ctx, const char *path, const char *data, size_t len, const char *tail)
{
    cli_sink sink;
    int rc = cli_sink_open(&sink, ctx, path);
    if (rc != 0)
        return rc;
    int ok = cli_sink_write(&sink, data, len) == 0 && (tail == NULL || cli_sink_write(&sink, tail, strlen(tail)) == 0);
    int close_rc = cli_sink_close(&sink, ctx, ok);
    return ok ? close_rc : cli_fail(ctx, TISO_E_IO, "%s: write error", path ? path : "standard output");
}

/* ---- a diff between two policies over the inputs ---- */

static int diff_start(const cli_ctx *ctx, tiso_policy *before, tiso_policy *after, const cli_resolution *res,
                      int format, cli_sink *sink, tiso_report **report, tiso_report_writer **writer)
{
    tiso_report_options opts;
    tiso_report_options_init(&opts);
    opts.policy = after;
    opts.before_policy = before;
    opts.resolver = res->resolver;
    tiso_error err;
    tiso_error_clear(&err);
    if (tiso_report_new(report, &opts, &err) != TISO_OK ||
        (format >= 0 &&
         tiso_report_writer_new(writer, *report, (tiso_report_format)format, cli_sink_write, sink, &err) != TISO_OK)) {
        return cli_fail_error(ctx, NULL, &err);
    }
    return 0;
}

static int diff_produce(const cli_ctx *ctx, tiso_report *report, tiso_report_writer *writer,
                        const char *const *inputs, size_t n)
{
    cli_progress progress;
    cli_progress_init(&progress, ctx->command, writer);
    tiso_report_set_observer(report, cli_progress_observe, &progress);
    int rc = cli_report_read_inputs(ctx, report, inputs, n, 0);
    cli_progress_done(&progress);
    tiso_error err;
    tiso_error_clear(&err);
    if (rc == 0 && writer != NULL && tiso_report_writer_finish(writer, &err) != TISO_OK) {
        rc = cli_fail_error(ctx, NULL, &err);
    }
    return rc;
}

int cli_report_diff(const cli_ctx *ctx, tiso_policy *before, tiso_policy *after, const cli_resolution *res,
                    const char *const *inputs, size_t n, int format, tiso_report **out)
{
    *out = NULL;
    int rc = cli_report_check_inputs(ctx, inputs, n);
    if (rc != 0) {
        return rc;
    }
    cli_sink sink;
    memset(&sink, 0, sizeof sink);
    if (format >= 0 && (rc = cli_sink_open(&sink, ctx, NULL)) != 0) {
        return rc;
    }
    tiso_report *report = NULL;
    tiso_report_writer *writer = NULL;
    rc = diff_start(ctx, before, after, res, format, &sink, &report, &writer);
    if (rc == 0) {
        rc = diff_produce(ctx, report, writer, inputs, n);
    }
    if (format >= 0) {
        int close_rc = cli_sink_close(&sink, ctx, rc == 0);
        rc = rc != 0 ? rc : close_rc;
    }
    tiso_report_writer_free(writer);
    if (rc != 0) {
        tiso_report_free(report);
        return rc;
    }
    *out = report;
    return 0;
}
