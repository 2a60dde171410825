/* The line reader (lines.h): line ends, cut lines, lines across read
 * chunks, pipes and the flush hook, and files that cannot be opened.
 * Links tenantiso_internal: tiso__lines_* is internal. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "lines.h"
#include "test_util.h"

typedef struct read_line {
    int rc;
    char text[64];
    size_t len;
    int too_long;
} read_line;

static read_line next(tiso__lines *r)
{
    read_line l = {0};
    const char *p = NULL;
    l.rc = tiso__lines_next(r, &p, &l.len, &l.too_long);
    if (l.rc == 1) {
        assert_int_equal(p[l.len], '\0');
        memcpy(l.text, p, l.len < sizeof l.text - 1 ? l.len : sizeof l.text - 1);
    }
    return l;
}

/* Opens a temporary file holding `len` bytes of `data`. */
static tiso__lines *open_text(const char *data, size_t len, size_t max_line, char **path)
{
    *path = tt_write_temp(data, len);
    tiso__lines *r = NULL;
    tiso_error err;
    assert_int_equal(tiso__lines_open(&r, *path, max_line, NULL, &err), TISO_OK);
    return r;
}

static void done(tiso__lines *r, char *path)
{
    assert_int_equal(next(r).rc, 0);
    assert_int_equal(next(r).rc, 0); /* the end stays the end */
    tiso__lines_close(r);
    unlink(path);
    free(path);
}

static void expect(tiso__lines *r, const char *text, size_t len, int too_long)
{
    read_line l = next(r);
    assert_int_equal(l.rc, 1);
    assert_int_equal(l.len, len);
    assert_memory_equal(l.text, text, len < 63 ? len : 63);
    assert_int_equal(l.too_long, too_long);
}

/* Lines end at "\n" or "\r\n"; other CRs and NUL bytes are the line's. */
static void splits_at_newlines_and_drops_one_cr(void **state)
{
    (void)state;
    static const char text[] = "a\r\n\nb\r\r\nc\rd\n\r\nx\0y\n\0\nlast";
    char *path;
    tiso__lines *r = open_text(text, sizeof text - 1, 16, &path);
    expect(r, "a", 1, 0);
    expect(r, "", 0, 0);
    expect(r, "b\r", 2, 0);
    expect(r, "c\rd", 3, 0);
    expect(r, "", 0, 0);
    expect(r, "x\0y", 3, 0);
    expect(r, "\0", 1, 0);
    expect(r, "last", 4, 0); /* a last line without a newline */
    done(r, path);
}

static void cuts_a_long_line_and_reads_on(void **state)
{
    (void)state;
    static const char text[] = "12345678\n123456789\r\nabc\n123456789";
    char *path;
    tiso__lines *r = open_text(text, sizeof text - 1, 8, &path);
    expect(r, "12345678", 8, 0);  /* exactly the limit */
    expect(r, "12345678", 8, 1);  /* one over, and its "\r\n" dropped */
    expect(r, "abc", 3, 0);
    expect(r, "12345678", 8, 1);  /* one over at the end of input */
    done(r, path);
}

/* Lines that cross the reader's 64 KiB chunks come back whole. */
static void joins_lines_across_chunks(void **state)
{
    (void)state;
    size_t n = 3 * 65536 + 17;
    char *text = tt_repeat('q', n);
    text[70000] = '\n';
    text[65535] = '\n';
    char *path;
    tiso__lines *r = open_text(text, n, n, &path);
    read_line a = next(r), b = next(r), c = next(r);
    assert_int_equal(a.len, 65535);
    assert_int_equal(b.len, 70000 - 65536);
    assert_int_equal(c.len, n - 70001);
    assert_int_equal(a.too_long | b.too_long | c.too_long, 0);
    done(r, path);
    free(text);
}

static int waits;
static void count_wait(void)
{
    waits++;
}

/* On a pipe each line is returned as soon as it is written, and the hook
 * runs before each read that may block. */
static void answers_a_pipe_line_by_line(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    tiso__lines *r = NULL;
    tiso_error err;
    assert_int_equal(tiso__lines_open_fd(&r, fds[0], "<pipe>", 16, count_wait, &err), TISO_OK);
    waits = 0;
    assert_int_equal(write(fds[1], "one\n", 4), 4);
    expect(r, "one", 3, 0);
    assert_int_equal(waits, 1);
    assert_int_equal(write(fds[1], "two\nthree", 9), 9);
    expect(r, "two", 3, 0);
    assert_int_equal(waits, 2);
    close(fds[1]);
    expect(r, "three", 5, 0);
    assert_int_equal(next(r).rc, 0);
    tiso__lines_close(r);
    assert_int_equal(close(fds[0]), 0); /* the caller's descriptor stays open */
}

static void names_files_that_cannot_be_opened(void **state)
{
    (void)state;
    tiso__lines *r = NULL;
    tiso_error err;
    assert_int_equal(tiso__lines_open(&r, "/nonexistent/lines.jsonl", 16, NULL, &err), TISO_E_IO);
    assert_null(r);
    tt_assert_contains(err.message, "/nonexistent/lines.jsonl: cannot open: ");
    assert_int_equal(tiso__lines_open(&r, "/", 16, NULL, &err), TISO_E_IO);
    assert_null(r);
    tt_assert_contains(err.message, "/: is a directory, not a file");
    int dir = open("/", O_RDONLY);
    assert_true(dir >= 0);
    assert_int_equal(tiso__lines_open_fd(&r, dir, "-", 16, NULL, &err), TISO_E_IO);
    assert_null(r);
    assert_string_equal(err.message, "-: is a directory, not a file");
    close(dir);
    assert_int_equal(tiso__lines_open_fd(&r, dir, "-", 16, NULL, &err), TISO_E_IO);
    tt_assert_contains(err.message, "-: cannot stat: ");
}

static void fails_cleanly_out_of_memory(void **state)
{
    (void)state;
    tiso__lines *r = NULL;
    tiso_error err;
    for (size_t n = 1; n <= 2; n++) {
        tiso__test_fail_alloc_after(n);
        tiso_status s = tiso__lines_open(&r, "/dev/null", 16, NULL, &err);
        tiso__test_fail_alloc_after(0);
        assert_int_equal(s, TISO_E_NOMEM);
        assert_null(r);
        tt_assert_contains(err.message, "/dev/null: out of memory");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(splits_at_newlines_and_drops_one_cr),
        cmocka_unit_test(cuts_a_long_line_and_reads_on),
        cmocka_unit_test(joins_lines_across_chunks),
        cmocka_unit_test(answers_a_pipe_line_by_line),
        cmocka_unit_test(names_files_that_cannot_be_opened),
        cmocka_unit_test(fails_cleanly_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
