/* tenantiso fetch-report [--tenant T] [--report ID | --list] [--output-dir DIR] [--wait SECONDS]
 * Creates or finds today's cross-tenant connection report (or takes --report
 * ID), waits until it is Completed (or Failed: exit 3 with the service's
 * words), follows every @odata.nextLink (on the Power Platform API host
 * only), and writes each page as received to DIR/page-0001.json, ... so that
 * `report POLICY DIR` reads them all. --list prints the tenant's reports. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_live.h"
#include "cli_report.h"
#include "internal.h"
#include "commands.h"

#define MAX_PAGES 100000u

static void progress(void *user, unsigned polls, uint64_t next_wait_ms)
{
    (void)next_wait_ms;
    fprintf(stderr, "\rtenantiso: fetch-report: waiting for report %s (%u polls)   ", *(const char *const *)user,
            polls);
}

static int write_page(const cli_ctx *ctx, const char *dir, unsigned n, const tiso_live_page *page)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s/page-%04u.json", dir, n) >= (int)sizeof path)
        return cli_fail(ctx, TISO_E_IO, "%.200s: the directory name is too long", dir);
    return cli_write_file(ctx, path, page->body, page->len, NULL);
}

/* Replaces `*page` by the one its @odata.nextLink names. */
static int next_page(const cli_ctx *ctx, cli_live *live, tiso_live_page *page)
{
    char *link = page->next_link;
    page->next_link = NULL;
    tiso_live_page_clear(page);
    tiso_error err;
    tiso_error_clear(&err);
    tiso_status st = tiso_live_report_next(page, live->client, link, &err);
    tiso_free(link);
    return st == TISO_OK ? 0 : cli_fail_error(ctx, NULL, &err);
}

/* Page 1 in `*page`; writes it and every page after it. */
static int fetch_pages(const cli_ctx *ctx, cli_live *live, const char *dir, tiso_live_page *page)
{
    unsigned n = 1;
    int rc = write_page(ctx, dir, n, page);
    while (rc == 0 && page->next_link != NULL) {
        if (n == MAX_PAGES)
            return cli_fail(ctx, TISO_E_LIMIT, "more than %u pages: stopped", MAX_PAGES);
        rc = next_page(ctx, live, page);
        if (rc == 0)
            rc = write_page(ctx, dir, ++n, page);
    }
    if (rc == 0)
        fprintf(stderr, "tenantiso: fetch-report: report %s of tenant %s: %u page%s written to %s\n",
                page->report_id, live->tenant_text, n, n == 1 ? "" : "s", dir);
    return rc;
}

/* One report of the list as one line: its ID, status and dates. */
static void print_report(void *user, const tiso_live_report_info *r)
{
    (void)user;
    const char *const fields[] = {r->report_id, r->status, r->start_date, r->end_date};
    for (size_t k = 0; k < 4; k++) {
        char text[256]; /* the service's text, one printable line for the terminal */
        const char *field = fields[k] ? fields[k] : "-";
        tiso__text_clean(text, sizeof text, field, strlen(field), TISO__TEXT_MARK_CONTROLS);
        printf("%s%s", k ? "  " : "", text);
    }
    printf("\n");
}

static int list_reports(const cli_ctx *ctx, cli_live *live)
{
    tiso_live_page page;
    tiso_error err;
    tiso_error_clear(&err);
    tiso_status st = tiso_live_report_get(&page, live->client, NULL, &err);
    int rc = st == TISO_OK ? 0 : cli_fail_error(ctx, NULL, &err);
    for (unsigned n = 0; rc == 0 && n < MAX_PAGES; n++) {
        if (tiso_live_report_list_each(print_report, NULL, &page, &err) != TISO_OK)
            rc = cli_fail_error(ctx, NULL, &err);
        else if (page.next_link == NULL)
            break;
        else
            rc = next_page(ctx, live, &page);
    }
    tiso_live_page_clear(&page);
    return rc;
}

static int fetch(const cli_ctx *ctx, const cli_args *args, cli_live *live)
{
    const char *dir = args->output_dir ? args->output_dir : ".";
    struct stat st;
    /* A missing DIR is made (not its parents), so that the pages of a new
     * report can go to a new directory as `report DIR` expects them. */
    if (stat(dir, &st) != 0 && errno == ENOENT && mkdir(dir, 0777) != 0)
        return cli_fail(ctx, TISO_E_IO, "%s: cannot create the directory: %s", dir, strerror(errno));
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return cli_fail(ctx, TISO_E_IO, "%s: not a directory", dir);
    tiso_live_page page;
    memset(&page, 0, sizeof page);
    tiso_error err;
    tiso_error_clear(&err);
    /* --report as given (the library refuses what is no report ID), or the
     * one created, copied: the wait clears `page` first. */
    char created[sizeof page.report_id];
    const char *id = args->report;
    if (id == NULL) {
        if (tiso_live_report_create(&page, live->client, &err) != TISO_OK)
            return cli_fail_error(ctx, NULL, &err);
        id = memcpy(created, page.report_id, sizeof created);
        tiso_live_page_clear(&page);
    }
    int tty = isatty(STDERR_FILENO);
    tiso_status s = tiso_live_report_wait(&page, live->client, id, tty ? progress : NULL, &id, &err);
    if (tty)
        fputs("\r\033[K", stderr);
    int rc = s == TISO_OK ? fetch_pages(ctx, live, dir, &page) : cli_fail_error(ctx, NULL, &err);
    tiso_live_page_clear(&page);
    return rc;
}

int cmd_fetch_report(const cli_ctx *ctx, const cli_args *args)
{
    if (args->list && (args->report || args->output_dir))
        return cli_usage(ctx, "--list lists the reports; it takes neither --report nor --output-dir");
    cli_resolution res;
    cli_live live;
    int rc = cli_live_start(&live, &res, ctx, args);
    if (rc == 0)
        rc = args->list ? list_reports(ctx, &live) : fetch(ctx, args, &live);
    cli_live_end(&live, &res);
    return rc;
}
