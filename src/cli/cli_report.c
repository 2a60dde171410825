/* Shared plumbing of report, suggest and diff (see cli_report.h). */
#define _XOPEN_SOURCE 700 /* realpath, beside the build's _POSIX_C_SOURCE */
#include "cli_report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <dirent.h>
#include <unistd.h>

#include "cli_policies.h"

void cli_report_options(tiso_report_options *opts, const cli_args *args, const cli_resolution *res)
{
    tiso_report_options_init(opts);
    opts->resolver = res->resolver;
    if (args->input_format != NULL) {
        tiso_input_format_parse(&opts->input_format, args->input_format, strlen(args->input_format));
    }
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
        /* Try a regular file's permissions now (a directory's pages are
         * opened when read); a pipe or a FIFO must not be opened twice, or
         * what its writer sent first could be lost. */
        struct stat st;
        int fd = -1;
        if (stat(paths[i], &st) != 0 || (S_ISREG(st.st_mode) && (fd = open(paths[i], O_RDONLY | O_CLOEXEC)) < 0)) {
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

/* Where output goes. With a path, bytes go to a temporary file beside it,
 * renamed over it by sink_close only when everything went well (over a
 * symbolic link's target, not the link); a path that is a device or a FIFO
 * (/dev/full, a terminal) is written in place. A failed write is
 * remembered with its errno, so that it is reported once, with its cause. */
typedef struct out_sink {
    FILE *fp;
    const char *path; /* NULL: standard output */
    char *tmp_path;   /* owned; NULL when written in place */
    char *target;     /* owned; the file a symbolic link `path` names, else NULL */
    int error;        /* errno of the first failed write; 0 none */
} out_sink;

/* The stream of `fd` (-1: its open failed) as the sink's; on failure the
 * descriptor and a temporary file are removed. */
static int sink_fdopen(out_sink *s, const cli_ctx *ctx, int fd)
{
    s->fp = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (s->fp != NULL) {
        return 0;
    }
    int e = errno;
    if (fd >= 0) {
        close(fd);
    }
    if (s->tmp_path != NULL) {
        unlink(s->tmp_path);
    }
    return cli_fail(ctx, TISO_E_IO, "%s: cannot open: %s", s->path, strerror(e));
}

/* Opens an existing device or FIFO for writing in place: it cannot be
 * replaced, and renaming over it would destroy it. */
static int sink_open_in_place(out_sink *s, const cli_ctx *ctx)
{
    return sink_fdopen(s, ctx, open(s->path, O_WRONLY | O_CLOEXEC));
}

/* Creates the temporary file beside the output that replaces it when done.
 * An existing symbolic link's target is what is replaced, never the link. */
static int sink_open_temporary(out_sink *s, const cli_ctx *ctx)
{
    struct stat st;
    if (lstat(s->path, &st) == 0 && S_ISLNK(st.st_mode)) {
        s->target = realpath(s->path, NULL); /* NULL for a dangling link: the link is replaced */
    }
    const char *target = s->target != NULL ? s->target : s->path;
    size_t len = strlen(target) + sizeof ".XXXXXX";
    s->tmp_path = malloc(len);
    if (s->tmp_path == NULL) {
        return cli_fail_nomem(ctx);
    }
    snprintf(s->tmp_path, len, "%s.XXXXXX", target);
    int fd = mkstemp(s->tmp_path);
    if (fd < 0) {
        return cli_fail(ctx, TISO_E_IO, "%s: cannot create: %s", s->path, strerror(errno));
    }
    /* mkstemp makes the file private; give it the mode a plain create would. */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, (mode_t)(0666 & ~mask));
    return sink_fdopen(s, ctx, fd);
}

int cli_output_check_args(const cli_ctx *ctx, const char *option, const char *path, const cli_args *args)
{
    const char *files[] = {args->resolution.domains, args->resolution.ca_file};
    int rc = cli_output_check_not_input(ctx, option, path, args->positional, args->positional_count);
    return rc != 0 ? rc : cli_output_check_not_input(ctx, option, path, files, 2);
}

/* Opens the output: standard output for NULL or "-", else `path`, which must
 * not be any file the command of `args` (NULL: none) reads
 * (cli_output_check_args). */
static int sink_open(out_sink *s, const cli_ctx *ctx, const char *path, const cli_args *args)
{
    memset(s, 0, sizeof *s);
    if (path == NULL || strcmp(path, "-") == 0) {
        s->fp = stdout;
        return 0;
    }
    s->path = path;
    int rc = args != NULL ? cli_output_check_args(ctx, "--output", path, args) : 0;
    if (rc != 0) {
        return rc;
    }
    struct stat st;
    int exists = stat(path, &st) == 0;
    if (exists && S_ISDIR(st.st_mode)) {
        return cli_fail_write(ctx, path, EISDIR);
    }
    if (exists && !S_ISREG(st.st_mode)) {
        return sink_open_in_place(s, ctx);
    }
    rc = sink_open_temporary(s, ctx);
    if (rc != 0) { /* not opened: sink_close is not called */
        free(s->target);
        free(s->tmp_path);
        s->target = s->tmp_path = NULL;
    }
    return rc;
}

/* A tiso_write_fn over a sink (`user`). */
static int sink_write(void *user, const char *data, size_t len)
{
    out_sink *s = user;
    errno = 0;
    if (fwrite(data, 1, len, s->fp) == len) {
        return 0;
    }
    if (s->error == 0) {
        s->error = errno != 0 ? errno : EIO;
    }
    return -1;
}

/* Finishes `writer`, which writes into `s`, reporting its failure (a
 * write's cause when one failed). */
static int sink_finish(out_sink *s, const cli_ctx *ctx, tiso_report_writer *writer)
{
    tiso_error err;
    tiso_error_clear(&err);
    if (tiso_report_writer_finish(writer, &err) == TISO_OK) {
        return 0;
    }
    if (err.status == TISO_E_IO && s->error != 0) {
        return cli_fail_write(ctx, s->path, s->error);
    }
    return cli_fail_error(ctx, s->path, &err);
}

/* Flushes and closes a file sink, remembering the first failure's cause. */
static void sink_flush_close(out_sink *s)
{
    errno = 0;
    if ((fflush(s->fp) != 0 || ferror(s->fp)) && s->error == 0) {
        s->error = errno != 0 ? errno : EIO;
    }
    errno = 0;
    if (fclose(s->fp) != 0 && s->error == 0) {
        s->error = errno != 0 ? errno : EIO;
    }
}

/* Finishes the output: with `commit`, flushes and renames into place;
 * otherwise removes the temporary file (the failure that stopped it is
 * reported by whoever found it). */
static int sink_close(out_sink *s, const cli_ctx *ctx, int commit)
{
    int rc = 0;
    if (s->path == NULL) {
        if (commit) {
            rc = s->error != 0 ? cli_fail_write(ctx, NULL, s->error) : cli_stdout_finish(ctx);
        }
        memset(s, 0, sizeof *s);
        return rc;
    }
    sink_flush_close(s);
    if (commit && s->error != 0) {
        rc = cli_fail_write(ctx, s->path, s->error);
    } else if (commit && s->tmp_path != NULL && rename(s->tmp_path, s->target != NULL ? s->target : s->path) != 0) {
        rc = cli_fail(ctx, TISO_E_IO, "%s: cannot replace: %s", s->path, strerror(errno));
    }
    if (s->tmp_path != NULL && (!commit || rc != 0)) {
        unlink(s->tmp_path);
    }
    free(s->tmp_path);
    free(s->target);
    memset(s, 0, sizeof *s);
    return rc;
}

/* ---- progress ---- */

/* Feeds a writer (may be NULL) and counts the connections read. */
typedef struct progress_state {
    tiso_report_writer *writer;
    uint64_t seen;
    cli_progress shown;
} progress_state;

static void progress_observe(void *user, const tiso_connection_result *res)
{
    progress_state *p = user;
    if (p->writer != NULL) {
        tiso_report_writer_observe(p->writer, res);
    }
    /* Look at the clock only now and then: this runs once per connection. */
    if (++p->seen % 65536 == 0) {
        cli_progress_show(&p->shown, p->seen, 0);
    }
}

/* ---- after the report ---- */

int cli_report_next_page(tiso_report_input *in, const tiso_report *report, size_t *i)
{
    size_t n = tiso_report_input_count(report);
    while (*i < n) {
        if (tiso_report_input_at(in, report, (*i)++) == TISO_OK && in->is_page) {
            return 1;
        }
    }
    return 0;
}

void cli_report_warn_inputs(const tiso_report *report, const tiso_tenant_id *home)
{
    char home_text[TISO_TENANT_ID_LEN + 1] = "";
    if (home != NULL) {
        tiso_tenant_id_format(home_text, home);
    }
    tiso_report_input in;
    tiso_tenant_id id;
    for (size_t i = 0; cli_report_next_page(&in, report, &i);) {
        if (in.status[0] != '\0' && strcasecmp(in.status, "Completed") != 0) {
            cli_warn("%s: the report's status is \"%s\", not \"Completed\": it may not list every "
                     "connection yet",
                     in.source, in.status);
        }
        if (home != NULL && (tiso_tenant_id_parse(&id, in.tenant_id, strlen(in.tenant_id)) != TISO_OK ||
                             !tiso_tenant_id_equal(&id, home))) {
            cli_warn("%s: this report is of tenant %s, but the policy's home tenant is %s: its "
                     "connections are judged from %s's side",
                     in.source, in.tenant_id, home_text, home_text);
        }
    }
}

int cli_report_run(const cli_ctx *ctx, const cli_args *args, size_t npolicies, tiso_report_format format,
                   int fail_on_blocked)
{
    const char *const *inputs = args->positional + npolicies;
    size_t ninputs = args->positional_count - npolicies;
    cli_resolution res;
    tiso_policy *policies[2] = {NULL, NULL}; /* a diff's OLD and NEW, or the report's policy */
    tiso_report *report = NULL;
    tiso_error err;
    int rc = cli_resolution_open(&res, ctx, &args->resolution);
    for (size_t i = 0; rc == 0 && i < npolicies; i++) {
        if (cli_policy_load(&policies[i], args->positional[i], NULL, 0, res.resolver, &err) != TISO_OK) {
            rc = cli_fail_error(ctx, args->positional[i], &err);
        }
    }
    if (rc == 0) {
        rc = cli_report_over(ctx, args, &res, npolicies == 2 ? policies[0] : NULL, policies[npolicies - 1], inputs,
                             ninputs, &format, &report);
    }
    if (rc == 0) {
        tiso_tenant_id home;
        int has_home = npolicies == 1 && tiso_policy_home_tenant(&home, policies[0]);
        cli_report_warn_inputs(report, has_home ? &home : NULL);
        rc = cli_report_exit_code(ctx, report, fail_on_blocked);
    }
    tiso_report_free(report);
    tiso_policy_free(policies[0]);
    tiso_policy_free(policies[1]);
    cli_resolution_close(&res);
    return rc;
}

int cli_report_exit_code(const cli_ctx *ctx, const tiso_report *report, int fail_on_blocked)
{
    tiso_report_totals t;
    tiso_report_get_totals(&t, report);
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

int cli_report_over(const cli_ctx *ctx, const cli_args *args, const cli_resolution *res, tiso_policy *before,
                    tiso_policy *after, const char *const *inputs, size_t n, const tiso_report_format *format,
                    tiso_report **report)
{
    tiso_report_options opts;
    cli_report_options(&opts, args, res);
    opts.policy = after;
    opts.before_policy = before;
    out_sink sink;
    memset(&sink, 0, sizeof sink);
    tiso_report_writer *writer = NULL;
    tiso_error err;
    tiso_error_clear(&err);
    int rc = cli_report_check_inputs(ctx, inputs, n);
    if (rc == 0 && format != NULL) {
        rc = sink_open(&sink, ctx, args->output, args);
    }
    if (rc != 0) {
        return rc;
    }
    if (tiso_report_new(report, &opts, &err) != TISO_OK ||
        (format != NULL && tiso_report_writer_new(&writer, *report, *format, sink_write, &sink, &err) != TISO_OK)) {
        rc = cli_fail_error(ctx, NULL, &err);
    }
    if (rc == 0) {
        progress_state progress = {writer, 0, {ctx->command, "connections read", 0, isatty(STDERR_FILENO)}};
        tiso_report_set_observer(*report, progress_observe, &progress);
        rc = cli_report_read_inputs(ctx, *report, inputs, n, 0);
        cli_progress_show(&progress.shown, progress.seen, 1);
        tiso_report_set_observer(*report, NULL, NULL);
        if (rc == 0 && writer != NULL) {
            rc = sink_finish(&sink, ctx, writer);
        }
    }
    int close_rc = format != NULL ? sink_close(&sink, ctx, rc == 0) : 0;
    tiso_report_writer_free(writer);
    return rc != 0 ? rc : close_rc;
}

/* ---- a whole file at once ---- */

int cli_write_file(const cli_ctx *ctx, const char *path, const char *data, size_t len, const char *tail)
{
    out_sink sink;
    int rc = sink_open(&sink, ctx, path, NULL);
    if (rc != 0)
        return rc;
    /* A failed write stays in the sink, which reports it once when closed:
     * standard output by that name, however it was asked for. */
    if (sink_write(&sink, data, len) == 0 && tail != NULL)
        sink_write(&sink, tail, strlen(tail));
    return sink_close(&sink, ctx, 1);
}
