/* tenantiso_gateway: a small connector gateway built on libtenantiso.
 *
 *   tenantiso_gateway [-t THREADS] [-i INPUT] [-o OUTPUT] [-d DOMAINS.json]
 *                     [-u] [-W] POLICY.json...
 *
 * Loads one policy per file into a policy set, reads connection attempts as
 * JSON Lines ({"creator", "target", "connector", "direction"}; tenant IDs,
 * or domains with -d) from INPUT or stdin, decides each on one of THREADS
 * workers and writes one audit line per attempt to OUTPUT or stdout. The
 * policy files are watched and reloaded when they change, and on SIGHUP
 * (-W: only on SIGHUP); an invalid file keeps the last good policy.
 * -u treats tenants without a policy as isolated.
 *
 * Exit status: 0 once every line is answered (whatever the verdicts), 2 for
 * bad usage or a policy that does not load at start, 3 for an I/O failure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <tenantiso.h>

#include "audit.h"
#include "queue.h"
#include "reload.h"

#define MAX_THREADS 64
#define QUEUE_CAPACITY 1024
#define MAX_LINE_BYTES (64u * 1024u)

typedef struct options {
    unsigned threads;
    const char *input, *output, *domains;
    unsigned set_flags;
    int watch;
    const char *const *paths;
    size_t count;
} options;

typedef struct gateway {
    tiso_policy_set *set;
    tiso_resolver *resolver; /* NULL: requests must give tenant IDs */
    tiso_load_options load;  /* for every (re)load; its resolver is the one above */
    tiso_watcher *watcher;   /* NULL with -W */
    FILE *in;
    gw_queue queue;
    gw_audit audit; /* owns the output */
} gateway;

static int usage(void)
{
    fputs("usage: tenantiso_gateway [-t THREADS] [-i INPUT] [-o OUTPUT] [-d DOMAINS.json] [-u] [-W] "
          "POLICY.json...\n",
          stderr);
    return 2;
}

static int parse_options(options *o, int argc, char **argv)
{
    *o = (options){.threads = 4, .watch = 1};
    int c;
    while ((c = getopt(argc, argv, "t:i:o:d:uWh")) != -1) {
        switch (c) {
        case 't':
            o->threads = (unsigned)strtoul(optarg, NULL, 10);
            if (o->threads < 1 || o->threads > MAX_THREADS)
                return -1;
            break;
        case 'i':
            o->input = optarg;
            break;
        case 'o':
            o->output = optarg;
            break;
        case 'd':
            o->domains = optarg;
            break;
        case 'u':
            o->set_flags |= TISO_SET_UNKNOWN_ISOLATED;
            break;
        case 'W':
            o->watch = 0;
            break;
        default:
            return -1;
        }
    }
    if (optind >= argc)
        return -1;
    o->paths = (const char *const *)&argv[optind];
    o->count = (size_t)(argc - optind);
    return 0;
}

/* ---- one connection attempt ---- */

static const char *string_field(const cJSON *obj, const char *key)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(item) ? item->valuestring : NULL;
}

/* Why a line cannot become a request, in `err`; TISO_OK if it can. */
static tiso_status read_request(const gateway *g, const cJSON *obj, tiso_request *req, tiso_error *err)
{
    const char *creator = string_field(obj, "creator"), *target = string_field(obj, "target");
    const char *direction = string_field(obj, "direction");
    *req = (tiso_request){.direction = TISO_DIRECTION_AUTO, .connector = string_field(obj, "connector")};
    if (!creator || !target) {
        snprintf(err->message, sizeof err->message, "\"creator\" and \"target\" must be strings");
        return TISO_E_SCHEMA;
    }
    if (direction && tiso_direction_parse(&req->direction, direction, strlen(direction)) != TISO_OK) {
        snprintf(err->message, sizeof err->message, "\"direction\" must be auto, inbound or outbound");
        return TISO_E_SCHEMA;
    }
    tiso_status s = tiso_resolver_resolve(&req->creator, g->resolver, creator, err);
    return s == TISO_OK ? tiso_resolver_resolve(&req->target, g->resolver, target, err) : s;
}

static void handle(gateway *g, const gw_job *job)
{
    cJSON *obj = cJSON_Parse(job->text);
    tiso_request req;
    tiso_error err;
    tiso_error_clear(&err);
    tiso_status s = cJSON_IsObject(obj) ? read_request(g, obj, &req, &err) : TISO_E_SYNTAX;
    if (s == TISO_OK) {
        tiso_decision d;
        gw_audit_set_line(job->line);
        tiso_policy_set_evaluate_request(&d, g->set, &req); /* the audit hook writes the line */
    } else {
        gw_audit_error(&g->audit, job->line, string_field(obj, "creator"), string_field(obj, "target"), s,
                       err.message[0] ? err.message : "the line is not a JSON object");
    }
    cJSON_Delete(obj);
}

static void *worker(void *arg)
{
    gateway *g = arg;
    gw_job job;
    while (gw_queue_pop(&g->queue, &job)) {
        handle(g, &job);
        free(job.text);
    }
    return NULL;
}

/* ---- reading the input ---- */

static int blank(const char *s)
{
    return s[strspn(s, " \t\r\n")] == '\0';
}

/* Feeds every line of `in` to the queue. Returns 0, or -1 on a read error
 * or when out of memory. */
static int read_input(gateway *g, FILE *in)
{
    char *text = NULL;
    size_t size = 0;
    unsigned long line = 0;
    ssize_t len;
    int status = 0;
    while (status == 0 && (len = getline(&text, &size, in)) >= 0) {
        line++;
        if ((size_t)len > MAX_LINE_BYTES) { /* refused here, so workers never hold huge lines */
            gw_audit_error(&g->audit, line, NULL, NULL, TISO_E_LIMIT, "the line is longer than 64 KiB");
            continue;
        }
        if (blank(text))
            continue;
        gw_job job = {line, strdup(text)};
        if (!job.text || gw_queue_push(&g->queue, job) != 0) {
            free(job.text);
            status = -1;
        }
    }
    free(text);
    return ferror(in) ? -1 : status;
}

/* ---- setting up and tearing down ---- */

/* The set, with the audit hook installed before any thread can touch it, and
 * every policy file in it (watched unless -W). Returns 0, or -1 after saying
 * why on stderr. */
static int load_policies(gateway *g, const options *o)
{
    tiso_error err;
    tiso_status s = TISO_OK;
    if (o->domains)
        s = tiso_resolver_load_map_file(&g->resolver, o->domains, &err);
    tiso_load_options_init(&g->load);
    g->load.resolver = g->resolver;
    if (s == TISO_OK)
        s = tiso_policy_set_new(&g->set, o->set_flags, &err);
    if (s == TISO_OK)
        s = tiso_policy_set_set_audit(g->set, gw_audit_hook, &g->audit, &err);
    if (s == TISO_OK && o->watch) {
        tiso_watch_options wo;
        tiso_watch_options_init(&wo);
        wo.load = &g->load;
        wo.on_reload = gw_reload_report;
        s = tiso_watcher_new(&g->watcher, g->set, o->paths, o->count, &wo, &err);
    }
    for (size_t i = 0; s == TISO_OK && !o->watch && i < o->count; i++)
        s = tiso_policy_set_load_file(g->set, o->paths[i], &g->load, &err);
    if (s != TISO_OK)
        fprintf(stderr, "tenantiso_gateway: %s\n", err.message);
    return s == TISO_OK ? 0 : -1;
}

static int open_files(gateway *g, const options *o)
{
    g->in = o->input ? fopen(o->input, "r") : stdin;
    g->audit.out = o->output ? fopen(o->output, "w") : stdout;
    if (g->in && g->audit.out)
        return 0;
    perror(g->in ? o->output : o->input);
    return -1;
}

/* Runs the workers over the input. Returns the exit status. */
static int serve(gateway *g, const options *o)
{
    pthread_t threads[MAX_THREADS];
    unsigned started = 0;
    while (started < o->threads && pthread_create(&threads[started], NULL, worker, g) == 0)
        started++;
    int status = started ? read_input(g, g->in) : -1;
    gw_queue_close(&g->queue);
    for (unsigned i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    if (status != 0)
        perror("tenantiso_gateway: input");
    return status == 0 ? 0 : 3;
}

/* Serves until the input ends, reloading on SIGHUP. Returns the exit status. */
static int run(gateway *g, const options *o)
{
    gw_reloader reloader = {
        .set = g->set, .watcher = g->watcher, .paths = o->paths, .count = o->count, .load = &g->load};
    if (gw_reloader_start(&reloader) != 0)
        return 3;
    fprintf(stderr, "tenantiso_gateway: ready: %zu policies, %u threads\n", tiso_policy_set_count(g->set), o->threads);
    int status = serve(g, o);
    gw_reloader_stop(&reloader);
    fprintf(stderr, "tenantiso_gateway: %lu allowed, %lu denied, %lu errors\n", atomic_load(&g->audit.allowed),
            atomic_load(&g->audit.denied), atomic_load(&g->audit.errors));
    if (fflush(g->audit.out) != 0 || ferror(g->audit.out))
        status = 3;
    return status;
}

/* Frees in reverse order; the watcher's thread stops before the set goes. */
static void close_all(gateway *g)
{
    tiso_watcher_free(g->watcher);
    tiso_policy_set_free(g->set);
    tiso_resolver_free(g->resolver);
    if (g->in && g->in != stdin)
        fclose(g->in);
    if (g->audit.out && g->audit.out != stdout)
        fclose(g->audit.out);
    gw_audit_destroy(&g->audit);
    gw_queue_destroy(&g->queue);
}

int main(int argc, char **argv)
{
    options o;
    if (parse_options(&o, argc, argv) != 0)
        return usage();
    gw_reload_block_signals(); /* first: every thread started later inherits the mask */

    gateway g = {0};
    if (gw_queue_init(&g.queue, QUEUE_CAPACITY) != 0)
        return 3;
    gw_audit_init(&g.audit, NULL); /* the output is opened once the policies load */
    int status = load_policies(&g, &o) != 0 ? 2 : open_files(&g, &o) != 0 ? 3 : run(&g, &o);
    close_all(&g);
    return status;
}
