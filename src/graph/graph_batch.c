/* Batch resolution: many names at once over curl multi on the calling
 * thread. Names are validated first (bad ones never reach the network),
 * answered from the cache where possible, deduplicated, and the rest
 * resolved with at most max_concurrency transfers in flight. Retries wait on
 * their own timers without holding up the other transfers. */
#include <stdlib.h>
#include <string.h>

#include "graph_internal.h"

typedef enum job_state { JOB_NEW = 0, JOB_RUNNING, JOB_WAITING, JOB_DONE } job_state;

typedef struct job {
    tiso__lookup lk;
    job_state state;
    uint64_t not_before_ns;
    tiso_status status;
    tiso_error err;
} job;

typedef struct pending {
    char name[TISO_DOMAIN_MAX + 1];
    size_t index; /* in the caller's arrays */
} pending;

typedef struct batch {
    tiso_graph_client *c;
    CURLM *multi;
    job *jobs;
    size_t job_count;
    size_t next_new;
    size_t running;
    size_t done;
    job **waiting;
    size_t waiting_count;
    CURL **spare; /* idle easy handles of this batch */
    size_t spare_count;
    /* A failure to get a token ends every job that still needs one, instead
     * of asking the login service again once per name. */
    tiso_status auth_status;
    tiso_error auth_err;
} batch;

static int cmp_pending(const void *a, const void *b)
{
    return strcmp(((const pending *)a)->name, ((const pending *)b)->name);
}

static void finish(batch *b, job *j, tiso_status st)
{
    j->status = st;
    j->state = JOB_DONE;
    b->done++;
    tiso__lookup_cleanup(&j->lk);
}

static void give_back(batch *b, CURL *easy)
{
    if (easy == NULL)
        return;
    if (b->spare_count < b->c->max_concurrency)
        b->spare[b->spare_count++] = easy;
    else
        curl_easy_cleanup(easy);
}

/* Prepares (first time, or after a 401) a job's request; false if it ended. */
static bool prepare(batch *b, job *j)
{
    if (b->auth_status != TISO_OK && b->c->use_graph_for_domains) {
        j->err = b->auth_err;
        finish(b, j, b->auth_status);
        return false;
    }
    tiso_status st = tiso__lookup_prepare(b->c, &j->lk, &j->err);
    if (st != TISO_OK) {
        if (st != TISO_E_NOMEM && b->c->use_graph_for_domains) {
            b->auth_status = st;
            b->auth_err = j->err;
        }
        finish(b, j, st);
        return false;
    }
    return true;
}

static void start(batch *b, job *j)
{
    CURL *easy = b->spare_count > 0 ? b->spare[--b->spare_count] : curl_easy_init();
    if (easy == NULL) {
        finish(b, j, tiso__fail(&j->err, TISO_E_NOMEM, NULL, "%s: out of memory", j->lk.what));
        return;
    }
    curl_easy_reset(easy);
    tiso_status st = tiso__http_call_setup(b->c, &j->lk.call, easy, &j->err);
    if (st == TISO_OK) {
        curl_easy_setopt(easy, CURLOPT_PRIVATE, (void *)j);
        tiso__http_attempt_begin(&j->lk.call);
        CURLMcode mc = curl_multi_add_handle(b->multi, easy);
        if (mc != CURLM_OK)
            st = tiso__fail(&j->err, mc == CURLM_OUT_OF_MEMORY ? TISO_E_NOMEM : TISO_E_TRANSPORT, NULL, "%s: %s",
                            j->lk.what, curl_multi_strerror(mc));
    }
    if (st != TISO_OK) {
        j->lk.call.easy = NULL;
        give_back(b, easy);
        finish(b, j, st);
        return;
    }
    j->state = JOB_RUNNING;
    b->running++;
}

static void wait_until(batch *b, job *j, uint64_t when)
{
    j->state = JOB_WAITING;
    j->not_before_ns = when;
    b->waiting[b->waiting_count++] = j;
}

/* A transfer ended: retry it later, restart it, or finish the job. */
static void transfer_done(batch *b, job *j, CURLcode rc)
{
    CURL *easy = j->lk.call.easy;
    curl_multi_remove_handle(b->multi, easy);
    b->running--;
    uint64_t delay = 0;
    tiso_status st = TISO_OK;
    tiso__http_next next = tiso__http_attempt_end(b->c, &j->lk.call, rc, &delay, &st, &j->err);
    j->lk.call.easy = NULL;
    give_back(b, easy);
    if (next == TISO__HTTP_RETRY) {
        wait_until(b, j, tiso__now_ns() + delay * 1000000u);
    } else if (next == TISO__HTTP_FAIL) {
        finish(b, j, st);
    } else {
        tiso__lookup_next more = TISO__LOOKUP_FINISHED;
        st = tiso__lookup_complete(b->c, &j->lk, &more, &j->err);
        if (more == TISO__LOOKUP_RESTART) {
            if (prepare(b, j))
                wait_until(b, j, 0);
        } else {
            finish(b, j, st);
        }
    }
}

static tiso_status run(batch *b)
{
    while (b->done < b->job_count) {
        uint64_t now = tiso__now_ns();
        uint64_t next_wake = UINT64_MAX;
        for (size_t i = 0; i < b->waiting_count;) {
            job *j = b->waiting[i];
            if (j->not_before_ns <= now && b->running < b->c->max_concurrency) {
                b->waiting[i] = b->waiting[--b->waiting_count];
                start(b, j);
            } else {
                if (j->not_before_ns < next_wake)
                    next_wake = j->not_before_ns;
                i++;
            }
        }
        while (b->running < b->c->max_concurrency && b->next_new < b->job_count) {
            job *j = &b->jobs[b->next_new++];
            if (prepare(b, j))
                start(b, j);
        }
        int still = 0;
        CURLMcode mc = curl_multi_perform(b->multi, &still);
        if (mc != CURLM_OK && mc != CURLM_CALL_MULTI_PERFORM)
            return mc == CURLM_OUT_OF_MEMORY ? TISO_E_NOMEM : TISO_E_TRANSPORT;
        CURLMsg *msg;
        int left = 0;
        while ((msg = curl_multi_info_read(b->multi, &left)) != NULL) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            void *priv = NULL;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
            transfer_done(b, priv, msg->data.result);
        }
        if (b->done >= b->job_count)
            break;
        /* Sleep until curl has work, or the next retry is due. */
        long curl_ms = -1;
        curl_multi_timeout(b->multi, &curl_ms);
        long wait_ms = 1000;
        if (curl_ms >= 0 && curl_ms < wait_ms)
            wait_ms = curl_ms;
        if (b->waiting_count > 0) {
            now = tiso__now_ns();
            uint64_t until = next_wake > now ? (next_wake - now + 999999u) / 1000000u : 0;
            if (b->running >= b->c->max_concurrency)
                until = (uint64_t)wait_ms; /* no slot anyway */
            if (until < (uint64_t)wait_ms)
                wait_ms = (long)until;
        }
        if (b->running == 0 && b->waiting_count == 0)
            continue; /* more to start */
        if (wait_ms > 0)
            curl_multi_poll(b->multi, NULL, 0, (int)wait_ms, NULL);
    }
    return TISO_OK;
}

static void fail_all(tiso_graph_result *out, size_t count, tiso_status st, const char *why)
{
    for (size_t i = 0; i < count; i++) {
        memset(&out[i].tenant_id, 0, sizeof out[i].tenant_id);
        out[i].status = tiso__fail(&out[i].error, st, NULL, "%s", why);
    }
}

/* Resolves one chunk of the caller's names. */
static tiso_status resolve_chunk(tiso_graph_result *out, tiso_graph_client *client, const char *const *names,
                                 size_t count, tiso_error *err)
{

    pending *queued = tiso__malloc(count * sizeof *queued);
    size_t *job_of = tiso__malloc(count * sizeof *job_of);
    if (queued == NULL || job_of == NULL) {
        tiso__free(queued);
        tiso__free(job_of);
        fail_all(out, count, TISO_E_NOMEM, "out of memory resolving a batch of names");
        return tiso__fail(err, TISO_E_NOMEM, NULL, "out of memory resolving %zu names", count);
    }

    /* 1. Validate; answer tenant IDs, bad names and cached names at once. */
    size_t nqueued = 0;
    for (size_t i = 0; i < count; i++) {
        tiso_graph_result *r = &out[i];
        memset(r, 0, sizeof *r);
        job_of[i] = SIZE_MAX;
        const char *name = names[i];
        if (name == NULL) {
            r->status = tiso__fail(&r->error, TISO_E_INVALID_ARGUMENT, NULL, "a name is NULL");
            continue;
        }
        tiso_name classified;
        r->status = tiso_name_classify(&classified, name, strlen(name), &r->error);
        if (r->status != TISO_OK)
            continue;
        if (classified.kind == TISO_NAME_TENANT_ID) {
            r->tenant_id = classified.tenant_id;
            continue;
        }
        pending *p = &queued[nqueued];
        memcpy(p->name, classified.domain, sizeof p->name);
        size_t len = strlen(p->name);
        tiso__cache_hit hit = tiso__cache_get(&client->cache, p->name, len, &r->tenant_id);
        if (hit == TISO__CACHE_FOUND)
            continue;
        if (hit == TISO__CACHE_NOT_FOUND) {
            r->status = tiso__fail(&r->error, TISO_E_NOT_FOUND, NULL,
                                   "resolving '%s': no tenant has this domain (cached answer of %s)", p->name,
                                   client->use_graph_for_domains ? "Microsoft Graph" : "the login service");
            continue;
        }
        p->index = i;
        nqueued++;
    }

    /* 2. One job per distinct name. */
    qsort(queued, nqueued, sizeof *queued, cmp_pending);
    size_t njobs = 0;
    for (size_t k = 0; k < nqueued; k++)
        if (k == 0 || strcmp(queued[k].name, queued[k - 1].name) != 0)
            njobs++;

    batch b;
    memset(&b, 0, sizeof b);
    b.c = client;
    b.job_count = njobs;
    tiso_status st = TISO_OK;
    if (njobs > 0) {
        b.jobs = tiso__calloc(njobs, sizeof *b.jobs);
        b.waiting = tiso__calloc(njobs, sizeof *b.waiting);
        b.spare = tiso__calloc(client->max_concurrency, sizeof *b.spare);
        b.multi = curl_multi_init();
        if (b.jobs == NULL || b.waiting == NULL || b.spare == NULL || b.multi == NULL)
            st = TISO_E_NOMEM;
    }
    if (st == TISO_OK && njobs > 0) {
        for (size_t k = 0, j = SIZE_MAX; k < nqueued; k++) {
            if (k == 0 || strcmp(queued[k].name, queued[k - 1].name) != 0) {
                j = j == SIZE_MAX ? 0 : j + 1;
                b.jobs[j].lk.kind = TISO__LOOKUP_DOMAIN;
                memcpy(b.jobs[j].lk.domain, queued[k].name, strlen(queued[k].name) + 1);
            }
            job_of[queued[k].index] = j;
        }
        curl_multi_setopt(b.multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)client->max_concurrency);
        curl_multi_setopt(b.multi, CURLMOPT_MAXCONNECTS, (long)client->max_concurrency);
        st = run(&b);
    }

    /* 3. Results, in the caller's order. */
    for (size_t i = 0; i < count; i++) {
        if (job_of[i] == SIZE_MAX)
            continue;
        tiso_graph_result *r = &out[i];
        if (st != TISO_OK) {
            r->status = tiso__fail(&r->error, st, NULL, "the batch stopped: %s", tiso_strerror(st));
            continue;
        }
        const job *j = &b.jobs[job_of[i]];
        r->status = j->status;
        if (j->status == TISO_OK)
            r->tenant_id = j->lk.info.tenant_id;
        else
            r->error = j->err;
    }
    for (size_t k = 0; b.jobs != NULL && k < njobs; k++) {
        if (b.jobs[k].lk.call.easy != NULL) {
            curl_multi_remove_handle(b.multi, b.jobs[k].lk.call.easy);
            curl_easy_cleanup(b.jobs[k].lk.call.easy);
        }
        tiso__lookup_cleanup(&b.jobs[k].lk);
    }
    for (size_t k = 0; k < b.spare_count; k++)
        curl_easy_cleanup(b.spare[k]);
    if (b.multi != NULL)
        curl_multi_cleanup(b.multi);
    tiso__free(b.jobs);
    tiso__free(b.waiting);
    tiso__free(b.spare);
    tiso__free(queued);
    tiso__free(job_of);
    if (st != TISO_OK)
        return tiso__fail(err, st, NULL, "resolving %zu names: %s", count, tiso_strerror(st));
    return TISO_OK;
}

/* A chunk (TISO_GRAPH_BATCH_CHUNK) is large enough that its tail, with fewer
 * transfers in flight, costs little. */
#define CHUNK TISO_GRAPH_BATCH_CHUNK

tiso_status tiso_graph_resolve_batch(tiso_graph_result *out, tiso_graph_client *client, const char *const *names,
                                     size_t count, tiso_error *err)
{
    if (count == 0)
        return TISO_OK;
    if (out == NULL || client == NULL || names == NULL)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "out, client and names must not be NULL");
    for (size_t at = 0; at < count; at += CHUNK) {
        size_t n = count - at < CHUNK ? count - at : CHUNK;
        tiso_status st = resolve_chunk(out + at, client, names + at, n, err);
        if (st != TISO_OK) {
            for (size_t i = at + n; i < count; i++) {
                memset(&out[i], 0, sizeof out[i]);
                out[i].status = tiso__fail(&out[i].error, st, NULL, "the batch stopped: %s", tiso_strerror(st));
            }
            return st;
        }
    }
    return TISO_OK;
}
