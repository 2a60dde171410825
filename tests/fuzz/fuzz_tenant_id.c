/* Fuzz target: tenant IDs (tiso_tenant_id_parse, _parse_ex, _format).
 *
 * The parser reads eight hex digits at a time with bit tricks (SWAR), so
 * beyond "no crash" this target checks it against a plain byte-by-byte
 * reference written here from SPEC 2 (8-4-4-4-12 hex digits, either case,
 * nothing else, not the nil GUID), and checks the round trip: a parsed ID
 * formats back to the canonical lowercase text, which equals the input
 * case-insensitively and parses to the same ID. */
#include "fuzz_util.h"

/* The reference: SPEC 2 read literally. */
static int ref_parse(tiso_tenant_id *out, const char *s, size_t len)
{
    if (len != TISO_TENANT_ID_LEN)
        return 0;
    memset(out, 0, sizeof *out);
    size_t nibble = 0;
    int any = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-')
                return 0;
            continue;
        }
        int v = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (v < 0)
            return 0;
        out->bytes[nibble / 2] = (uint8_t)(out->bytes[nibble / 2] | (nibble % 2 ? v : v << 4));
        any |= v;
        nibble++;
    }
    return any != 0;
}

static void check_canonical(const tiso_tenant_id *id, const char *text, size_t len)
{
    char canon[TISO_TENANT_ID_LEN + 1];
    FUZZ_CHECK(tiso_tenant_id_format(canon, id) == TISO_OK, "format failed");
    FUZZ_CHECK(strlen(canon) == TISO_TENANT_ID_LEN, "canonical form of %zu bytes", strlen(canon));
    FUZZ_CHECK(len == TISO_TENANT_ID_LEN && fuzz_equal_nocase(canon, text, len), "'%s' is not the input", canon);
    for (size_t i = 0; i < TISO_TENANT_ID_LEN; i++)
        FUZZ_CHECK((canon[i] >= '0' && canon[i] <= '9') || (canon[i] >= 'a' && canon[i] <= 'f') || canon[i] == '-',
                   "'%s' is not lowercase", canon);
    tiso_tenant_id again;
    FUZZ_CHECK(tiso_tenant_id_parse(&again, canon, TISO_TENANT_ID_LEN) == TISO_OK, "'%s' does not parse", canon);
    FUZZ_CHECK(tiso_tenant_id_equal(&again, id), "'%s' parses to another ID", canon);
    FUZZ_CHECK(!tiso_tenant_id_is_nil(id), "the nil GUID was accepted");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_copy(data, size);
    if (text == NULL)
        return 0;
    tiso_tenant_id id, ex, ref;
    memset(&id, 0xa5, sizeof id);
    const tiso_tenant_id poison = id;
    ex = id;
    tiso_error err;
    tiso_error_clear(&err);
    tiso_status s = tiso_tenant_id_parse(&id, text, size);
    tiso_status sx = tiso_tenant_id_parse_ex(&ex, text, size, &err);
    int want = ref_parse(&ref, text, size);
    FUZZ_CHECK(s == sx, "parse says %s, parse_ex says %s", tiso_status_name(s), tiso_status_name(sx));
    FUZZ_CHECK((s == TISO_OK) == want, "parse says %s, the reference %s", tiso_status_name(s),
               want ? "accepts" : "rejects");
    if (s == TISO_OK) {
        FUZZ_CHECK(tiso_tenant_id_equal(&id, &ref) && tiso_tenant_id_equal(&ex, &ref),
                   "bytes differ from the reference");
        check_canonical(&id, text, size);
    } else {
        FUZZ_CHECK(s == TISO_E_INVALID_TENANT, "status %s", tiso_status_name(s));
        FUZZ_CHECK(memcmp(&id, &poison, sizeof id) == 0 && memcmp(&ex, &poison, sizeof ex) == 0,
                   "*out changed on failure");
        fuzz_check_error(&err, sx);
    }
    free(text);
    return 0;
}
