/* libtenantiso: export macro, status codes and the caller-provided error struct.
 *
 * Conventions used throughout the API:
 *   - Parameters come in one order: what the call writes first (`out`, a
 *     buffer and its size, a reader's record callback and its `user`), then
 *     the object it works on, then its inputs, and `tiso_error *err` last.
 *     Whatever a function returns through `**out` belongs to the caller and
 *     has a matching `_free()` that accepts NULL. Pointers returned by getters
 *     are borrowed from their parent object and live as long as it does.
 *   - Every function that can fail returns a tiso_status. On failure, and if
 *     `err` is not NULL, it fills `*err` with the status, a message and, where
 *     it applies, the JSON path, line and column. `err` may always be NULL.
 *   - Misuse (a NULL pointer where one is required, an unknown enum value)
 *     returns TISO_E_INVALID_ARGUMENT; the library never aborts the process.
 *   - The library keeps no global error state: detail goes only into `err`. */
#ifndef TENANTISO_COMMON_H
#define TENANTISO_COMMON_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32) && defined(TISO_BUILDING_LIBRARY)
#define TISO_API __declspec(dllexport)
#elif defined(_WIN32) && !defined(TISO_STATIC)
#define TISO_API __declspec(dllimport)
#elif defined(__GNUC__) && defined(TISO_BUILDING_LIBRARY)
#define TISO_API __attribute__((visibility("default")))
#else
#define TISO_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes. The numbers are part of the ABI: they are never renumbered
 * or reused; retired values stay reserved. */
typedef enum tiso_status {
    TISO_OK = 0,
    TISO_E_INVALID_ARGUMENT = 1,       /* misuse: NULL pointer, bad enum, empty string */
    TISO_E_NOMEM = 2,                  /* an allocation failed */
    TISO_E_INVALID_TENANT = 3,         /* not a tenant ID (8-4-4-4-12 hex), or the nil GUID */
    TISO_E_INVALID_DOMAIN = 4,         /* not a valid domain name */
    TISO_E_SYNTAX = 5,                 /* malformed JSON, bad UTF-8, NUL byte */
    TISO_E_SCHEMA = 6,                 /* well-formed JSON of the wrong shape or type */
    TISO_E_LIMIT = 7,                  /* a size, count, length or depth limit was passed */
    TISO_E_IO = 8,                     /* a file could not be read or written */
    TISO_E_NOT_FOUND = 9,              /* a domain or tenant is unknown to the resolver */
    TISO_E_RESOLVE = 10,               /* a domain could not be resolved (no resolver, resolver failure) */
    TISO_E_NO_HOME_TENANT = 11,        /* direction auto, but the policy has no home tenant */
    TISO_E_INCONSISTENT_DIRECTION = 12,/* the explicit direction contradicts the home tenant */
    TISO_E_UNAUTHORIZED = 13,          /* credentials rejected (Graph client) */
    TISO_E_THROTTLED = 14,             /* still throttled after every retry (Graph client) */
    TISO_E_TIMEOUT = 15,               /* a connect or total timeout passed (Graph client) */
    TISO_E_TLS = 16,                   /* TLS handshake or certificate verification failed */
    TISO_E_BAD_RESPONSE = 17,          /* a server answered with something unusable */
    TISO_E_TRANSPORT = 18,             /* connection refused, reset, DNS failure, 5xx after retries */
    TISO_E_UNSUPPORTED = 19,           /* the feature was compiled out of this build */
    TISO_E_BUFFER_TOO_SMALL = 20,      /* a caller-provided buffer is too small */
    TISO_E_CONFLICT = 21               /* two sources claim one thing: two policies for one home
                                          tenant in a set */
} tiso_status;

#define TISO_ERROR_PATH_MAX 256
#define TISO_ERROR_MESSAGE_MAX 512

/* Detail of a failure. Fixed layout; allocate it yourself (on the stack is
 * fine). Strings are NUL-terminated and truncated to fit. */
typedef struct tiso_error {
    tiso_status status;              /* same as the function's return value */
    uint32_t line;                   /* 1-based line in the input, 0 when not applicable */
    uint32_t column;                 /* 1-based column (in bytes), 0 when not applicable */
    uint64_t offset;                 /* byte offset in the input, when line is not 0 */
    char path[TISO_ERROR_PATH_MAX];  /* JSON path, e.g. "properties.allowedTenants[3].tenantId", or "" */
    char message[TISO_ERROR_MESSAGE_MAX]; /* one line for a person: what and where; never a secret */
} tiso_error;

/* A stable lowercase identifier for a status, e.g. "invalid_tenant",
 * "inconsistent_direction"; "unknown" for a value outside the enum.
 * Static storage, never NULL. */
TISO_API const char *tiso_status_name(tiso_status status);

/* A short English description of a status. Static storage, never NULL. */
TISO_API const char *tiso_strerror(tiso_status status);

/* Clears an error struct (status TISO_OK, empty strings). NULL is fine. */
TISO_API void tiso_error_clear(tiso_error *err);

/* Frees memory the library handed to the caller as a plain buffer (for
 * example the JSON text of tiso_policy_to_json). NULL is fine. */
TISO_API void tiso_free(void *ptr);

#ifdef __cplusplus
}
#endif

#endif /* TENANTISO_COMMON_H */
