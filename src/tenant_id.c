/* Tenant IDs: 36-character GUID text <-> 16 bytes.
 *
 * The parser is on the hot path of every string-based decision, so it reads
 * the 32 hex digits as four 64-bit words and converts and validates eight
 * digits at a time without branches (SWAR). A scalar explainer runs only
 * after a failure, to say which character is wrong. */
#include <string.h>

#include "internal.h"

/* Which fast path this build takes: SSE2 on x86-64, SWAR on other
 * little-endian machines, byte by byte elsewhere. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#if defined(__SSE2__)
#define TISO_GUID_SSE2 1
#include <emmintrin.h>
#else
#define TISO_GUID_SWAR 1
#endif
#endif

#define REP8(b) (0x0101010101010101ULL * (uint64_t)(b))

#if defined(TISO_GUID_SSE2) || defined(TISO_GUID_SWAR)
static inline uint64_t load64(const char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static inline uint64_t load32(const char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}
#endif

#if defined(TISO_GUID_SWAR)
/* Eight ASCII hex digits (first digit in the lowest byte) to four bytes in
 * text order (first byte in the lowest position). Sets bits in *bad for any
 * byte that is not [0-9A-Fa-f]. Valid on little-endian machines only. */
static inline uint64_t hex8(uint64_t x, uint64_t *bad)
{
    const uint64_t high = REP8(0x80);
    uint64_t lower = x | REP8(0x20); /* 'A'-'F' -> 'a'-'f'; digits unchanged */
    uint64_t digit = (x + REP8(0x80 - '0')) & ~(x + REP8(0x7f - '9')) & high;
    uint64_t alpha = (lower + REP8(0x80 - 'a')) & ~(lower + REP8(0x7f - 'f')) & high;
    *bad |= (x & high) | ((digit | alpha) ^ high);
    /* Digits have 0x40 clear, letters set: letters need 9 more. */
    uint64_t nib = (x & REP8(0x0f)) + 9 * ((x >> 6) & REP8(0x01));
    uint64_t pairs = ((nib & 0x00ff00ff00ff00ffULL) << 4) | ((nib >> 8) & 0x00ff00ff00ff00ffULL);
    pairs = (pairs | (pairs >> 8)) & 0x0000ffff0000ffffULL;
    return (pairs | (pairs >> 16)) & 0xffffffffULL;
}
#endif

static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (unsigned char)(c | 0x20);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static bool is_dash_position(size_t i)
{
    return i == 8 || i == 13 || i == 18 || i == 23;
}

#if defined(TISO_GUID_SSE2)
/* Sixteen ASCII hex digits to eight bytes, one per 16-bit lane; clears the
 * bit of `*ok` for every byte that is not [0-9A-Fa-f]. SSE2 only (every
 * x86-64): bytes of 0x80 and up compare as negative, so they fail both
 * ranges. */
static inline __m128i hex16(__m128i x, unsigned *ok)
{
    __m128i lower = _mm_or_si128(x, _mm_set1_epi8(0x20)); /* 'A'-'F' -> 'a'-'f' */
    __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('0' - 1)), _mm_cmplt_epi8(x, _mm_set1_epi8('9' + 1)));
    __m128i alpha =
        _mm_and_si128(_mm_cmpgt_epi8(lower, _mm_set1_epi8('a' - 1)), _mm_cmplt_epi8(lower, _mm_set1_epi8('f' + 1)));
    *ok &= (unsigned)_mm_movemask_epi8(_mm_or_si128(digit, alpha));
    /* A digit's value is its low nibble; a letter's is that plus 9. */
    __m128i nib = _mm_add_epi8(_mm_and_si128(x, _mm_set1_epi8(0x0f)), _mm_and_si128(alpha, _mm_set1_epi8(9)));
    /* Lane = first digit (low byte) << 4 | second digit (high byte). */
    __m128i high = _mm_and_si128(_mm_slli_epi16(nib, 4), _mm_set1_epi16(0x00f0));
    return _mm_or_si128(high, _mm_srli_epi16(nib, 8));
}

static inline bool parse36(tiso_tenant_id *out, const char *s)
{
    unsigned dashes = (unsigned)((s[8] ^ '-') | (s[13] ^ '-') | (s[18] ^ '-') | (s[23] ^ '-'));
    /* The 32 digits without the dashes, in text order, in two vectors. */
    __m128i a = _mm_set_epi64x((long long)(load32(s + 9) | load32(s + 14) << 32), (long long)load64(s));
    __m128i b = _mm_set_epi64x((long long)load64(s + 28), (long long)(load32(s + 19) | load32(s + 24) << 32));
    unsigned ok = 0xffff;
    __m128i v = _mm_packus_epi16(hex16(a, &ok), hex16(b, &ok));
    unsigned zero = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_setzero_si128()));
    if (TISO_UNLIKELY(ok != 0xffff || dashes != 0 || zero == 0xffff))
        return false;
    _mm_storeu_si128((__m128i *)(void *)out->bytes, v);
    return true;
}
#elif defined(TISO_GUID_SWAR)
static inline bool parse36(tiso_tenant_id *out, const char *s)
{
    uint64_t bad = (uint64_t)((s[8] ^ '-') | (s[13] ^ '-') | (s[18] ^ '-') | (s[23] ^ '-'));
    uint64_t a = hex8(load64(s), &bad);
    uint64_t b = hex8(load32(s + 9) | load32(s + 14) << 32, &bad);
    uint64_t c = hex8(load32(s + 19) | load32(s + 24) << 32, &bad);
    uint64_t d = hex8(load64(s + 28), &bad);
    uint64_t hi = a | b << 32, lo = c | d << 32;
    if (TISO_UNLIKELY(bad != 0 || (hi | lo) == 0))
        return false;
    memcpy(out->bytes, &hi, 8);
    memcpy(out->bytes + 8, &lo, 8);
    return true;
}
#else
static bool parse36(tiso_tenant_id *out, const char *s)
{
    tiso_tenant_id id;
    size_t n = 0;
    unsigned any = 0;
    for (size_t i = 0; i < TISO_TENANT_ID_LEN; i++) {
        if (is_dash_position(i)) {
            if (s[i] != '-')
                return false;
            continue;
        }
        int v = hex_value((unsigned char)s[i]);
        if (v < 0)
            return false;
        if (n % 2 == 0)
            id.bytes[n / 2] = (uint8_t)(v << 4);
        else
            id.bytes[n / 2] |= (uint8_t)v;
        any |= (unsigned)v;
        n++;
    }
    if (!any)
        return false;
    *out = id;
    return true;
}
#endif

tiso_status tiso__tenant_id_parse(tiso_tenant_id *out, const char *text, size_t len)
{
    if (TISO_UNLIKELY(len != TISO_TENANT_ID_LEN))
        return TISO_E_INVALID_TENANT;
    return parse36(out, text) ? TISO_OK : TISO_E_INVALID_TENANT;
}

tiso_status tiso_tenant_id_parse(tiso_tenant_id *out, const char *text, size_t len)
{
    if (!out || !text)
        return TISO_E_INVALID_ARGUMENT;
    return tiso__tenant_id_parse(out, text, len);
}

/* Says what is wrong with a string that failed to parse. */
static tiso_status explain(tiso_error *err, const char *text, size_t len)
{
    if (len == 0)
        return tiso__fail(err, TISO_E_INVALID_TENANT, NULL, "empty string is not a tenant ID");
    if (text[0] == '{')
        return tiso__fail(err, TISO_E_INVALID_TENANT, NULL,
                          "tenant ID must be given without braces (8-4-4-4-12 hex digits)");
    if (len != TISO_TENANT_ID_LEN)
        return tiso__fail(err, TISO_E_INVALID_TENANT, NULL,
                          "not a tenant ID: %zu characters, expected 36 (8-4-4-4-12 hex digits)", len);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        bool ok = is_dash_position(i) ? c == '-' : hex_value(c) >= 0;
        if (!ok && (c < 0x20 || c >= 0x7f))
            return tiso__fail(err, TISO_E_INVALID_TENANT, NULL,
                              "not a tenant ID: character %zu is byte 0x%02x, expected %s", i + 1, c,
                              is_dash_position(i) ? "'-'" : "a hex digit");
        if (!ok)
            return tiso__fail(err, TISO_E_INVALID_TENANT, NULL,
                              "not a tenant ID: character %zu is '%c', expected %s", i + 1, c,
                              is_dash_position(i) ? "'-'" : "a hex digit");
    }
    return tiso__fail(err, TISO_E_INVALID_TENANT, NULL,
                      "the nil GUID 00000000-0000-0000-0000-000000000000 is not a tenant");
}

tiso_status tiso_tenant_id_parse_ex(tiso_tenant_id *out, const char *text, size_t len, tiso_error *err)
{
    if (!out || !text)
        return tiso__fail(err, TISO_E_INVALID_ARGUMENT, NULL, "tenant ID: NULL pointer");
    if (tiso__tenant_id_parse(out, text, len) == TISO_OK)
        return TISO_OK;
    return explain(err, text, len);
}

void tiso__tenant_id_format(const tiso_tenant_id *id, char out[TISO_TENANT_ID_LEN + 1])
{
    static const char digits[] = "0123456789abcdef";
    size_t p = 0;
    for (size_t i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[p++] = '-';
        out[p++] = digits[id->bytes[i] >> 4];
        out[p++] = digits[id->bytes[i] & 15];
    }
    out[p] = '\0';
}

tiso_status tiso_tenant_id_format(char *out, const tiso_tenant_id *id)
{
    if (!id || !out)
        return TISO_E_INVALID_ARGUMENT;
    tiso__tenant_id_format(id, out);
    return TISO_OK;
}

int tiso_tenant_id_equal(const tiso_tenant_id *a, const tiso_tenant_id *b)
{
    return a && b && tiso__id_eq(a, b);
}

int tiso_tenant_id_is_nil(const tiso_tenant_id *id)
{
    return !id || tiso__id_nil(id);
}
