/* SHA-256 (FIPS 180-4). The core needs no crypto library, and a content hash
 * of a policy is all it hashes, so a compact portable version does; on x86-64
 * processors with the SHA extensions (a 1,000,000-entry load hashes 17 MB)
 * the blocks go through those instead, chosen at run time. */
#include <string.h>

#include "sha256.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define TISO_SHA_NI 1
#include <cpuid.h>
#include <immintrin.h>
#endif

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static inline uint32_t ror(uint32_t x, unsigned n)
{
    return (x >> n) | (x << (32 - n));
}

void tiso__sha256_block_portable(uint32_t state[8], const uint8_t block[64])
{
    uint32_t w[64];
    for (unsigned i = 0; i < 16; i++)
        w[i] = (uint32_t)block[4 * i] << 24 | (uint32_t)block[4 * i + 1] << 16 | (uint32_t)block[4 * i + 2] << 8 |
               block[4 * i + 3];
    for (unsigned i = 16; i < 64; i++) {
        uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    for (unsigned i = 0; i < 64; i++) {
        uint32_t t1 = h + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
    state[5] += f;
    state[6] += g;
    state[7] += h;
}

#ifdef TISO_SHA_NI
/* Four rounds (quad q of 16) with the SHA extensions. m[] holds the message
 * schedule, four words a vector, rotating. */
#define SHA_NI_TARGET __attribute__((target("sha,sse4.1")))

SHA_NI_TARGET static inline void quad(__m128i *s0, __m128i *s1, __m128i m[4], unsigned q)
{
    __m128i msg = _mm_add_epi32(m[q % 4], _mm_loadu_si128((const __m128i *)&K[4 * q]));
    *s1 = _mm_sha256rnds2_epu32(*s1, *s0, msg);
    if (q >= 3 && q <= 14) { /* W[4q+4 ..]: finish the next vector */
        __m128i t = _mm_alignr_epi8(m[q % 4], m[(q + 3) % 4], 4);
        m[(q + 1) % 4] = _mm_sha256msg2_epu32(_mm_add_epi32(m[(q + 1) % 4], t), m[q % 4]);
    }
    *s0 = _mm_sha256rnds2_epu32(*s0, *s1, _mm_shuffle_epi32(msg, 0x0e));
    if (q >= 1 && q <= 12) /* start the vector after next */
        m[(q + 3) % 4] = _mm_sha256msg1_epu32(m[(q + 3) % 4], m[q % 4]);
}

SHA_NI_TARGET bool tiso__sha256_block_ni(uint32_t state[8], const uint8_t block[64])
{
    const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    /* The instructions want the state as ABEF and CDGH. */
    __m128i t = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&state[0]), 0xb1);  /* CDAB */
    __m128i s1 = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&state[4]), 0x1b); /* EFGH */
    __m128i s0 = _mm_alignr_epi8(t, s1, 8);                                             /* ABEF */
    s1 = _mm_blend_epi16(s1, t, 0xf0);                                                  /* CDGH */
    __m128i abef = s0, cdgh = s1, m[4];
    for (unsigned i = 0; i < 4; i++)
        m[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(block + 16 * i)), bswap);
    for (unsigned q = 0; q < 16; q++)
        quad(&s0, &s1, m, q);
    s0 = _mm_add_epi32(s0, abef);
    s1 = _mm_add_epi32(s1, cdgh);
    t = _mm_shuffle_epi32(s0, 0x1b);  /* FEBA */
    s1 = _mm_shuffle_epi32(s1, 0xb1); /* DCHG */
    _mm_storeu_si128((__m128i *)&state[0], _mm_blend_epi16(t, s1, 0xf0)); /* DCBA */
    _mm_storeu_si128((__m128i *)&state[4], _mm_alignr_epi8(s1, t, 8));    /* HGFE */
    return true;
}

/* CPUID directly: clang 14's __builtin_cpu_supports does not know "sha". */
bool tiso__sha256_has_ni(void)
{
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSE4_1))
        return false;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
        return false;
    return (b & bit_SHA) != 0;
}
#else
bool tiso__sha256_block_ni(uint32_t state[8], const uint8_t block[64])
{
    (void)state;
    (void)block;
    return false;
}

bool tiso__sha256_has_ni(void)
{
    return false;
}
#endif

static void compress(tiso__sha256 *h)
{
    if (h->ni)
        tiso__sha256_block_ni(h->state, h->block);
    else
        tiso__sha256_block_portable(h->state, h->block);
}

void tiso__sha256_init(tiso__sha256 *h)
{
    static const uint32_t IV[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(h->state, IV, sizeof IV);
    h->length = 0;
    h->used = 0;
    h->ni = tiso__sha256_has_ni();
}

void tiso__sha256_update(tiso__sha256 *h, const void *data, size_t len)
{
    const uint8_t *p = data;
    h->length += len;
    while (len > 0) {
        size_t n = 64 - h->used < len ? 64 - h->used : len;
        memcpy(h->block + h->used, p, n);
        h->used += n;
        p += n;
        len -= n;
        if (h->used == 64) {
            compress(h);
            h->used = 0;
        }
    }
}

void tiso__sha256_final(tiso__sha256 *h, uint8_t digest[32])
{
    uint64_t bits = h->length * 8;
    uint8_t pad[72] = {0x80};
    size_t padlen = (h->used < 56 ? 56 : 120) - h->used;
    for (unsigned i = 0; i < 8; i++)
        pad[padlen + i] = (uint8_t)(bits >> (56 - 8 * i));
    tiso__sha256_update(h, pad, padlen + 8);
    for (unsigned i = 0; i < 8; i++) {
        digest[4 * i] = (uint8_t)(h->state[i] >> 24);
        digest[4 * i + 1] = (uint8_t)(h->state[i] >> 16);
        digest[4 * i + 2] = (uint8_t)(h->state[i] >> 8);
        digest[4 * i + 3] = (uint8_t)h->state[i];
    }
}
