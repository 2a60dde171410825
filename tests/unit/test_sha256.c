/* SHA-256, the policy content hash: the FIPS 180-4 / NIST example vectors
 * through every way of feeding the bytes, and the processor's SHA extensions
 * (when this machine has them) held to the portable code block by block. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"
#include "test_util.h"

static void hex(const uint8_t d[32], char out[65])
{
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* The digest of `len` bytes fed in pieces of `step` (0: all at once). */
static void digest_of(const void *data, size_t len, size_t step, char out[65])
{
    tiso__sha256 h;
    uint8_t d[32];
    tiso__sha256_init(&h);
    const uint8_t *p = data;
    for (size_t done = 0; done < len;) {
        size_t n = step && len - done > step ? step : len - done;
        tiso__sha256_update(&h, p + done, n);
        done += n;
    }
    tiso__sha256_final(&h, d);
    hex(d, out);
}

static void nist_vectors(void **state)
{
    (void)state;
    static const struct {
        const char *text, *digest;
    } v[] = {
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
        {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
    };
    static const size_t steps[] = {0, 1, 3, 17, 63, 64, 65};
    char got[65];
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++) {
            digest_of(v[i].text, strlen(v[i].text), steps[k], got);
            assert_string_equal(got, v[i].digest);
        }
}

static void a_million_a(void **state)
{
    (void)state;
    char *a = malloc(1000000);
    assert_non_null(a);
    memset(a, 'a', 1000000);
    char got[65];
    digest_of(a, 1000000, 0, got);
    assert_string_equal(got, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    digest_of(a, 1000000, 17, got); /* as the policy hash feeds it: 17-byte records */
    assert_string_equal(got, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(a);
}

/* Both block functions give the same state from the same state and block,
 * over chained pseudo-random blocks. */
static void extensions_match_the_portable_code(void **state)
{
    (void)state;
    if (!tiso__sha256_has_ni()) {
        printf("no SHA extensions on this processor: the portable code is the only path\n");
        skip();
    }
    uint32_t a[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    uint32_t b[8];
    memcpy(b, a, sizeof a);
    uint64_t x = 0x9e3779b97f4a7c15ULL;
    for (int n = 0; n < 10000; n++) {
        uint8_t block[64];
        for (int i = 0; i < 64; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            block[i] = (uint8_t)x;
        }
        tiso__sha256_block_portable(a, block);
        assert_true(tiso__sha256_block_ni(b, block));
        assert_memory_equal(a, b, sizeof a);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nist_vectors),
        cmocka_unit_test(a_million_a),
        cmocka_unit_test(extensions_match_the_portable_code),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
