/* libtenantiso: version numbers, the single place they are defined.
 *
 * CMake and the pkg-config file read TISO_VERSION_* from this file, so the
 * numbers cannot drift apart. TISO_ABI_VERSION is the SONAME's number: it moves
 * only when a change breaks binary compatibility. */
#ifndef TENANTISO_VERSION_H
#define TENANTISO_VERSION_H

#include "common.h"

#define TISO_VERSION_MAJOR 0
#define TISO_VERSION_MINOR 2
#define TISO_VERSION_PATCH 0
#define TISO_VERSION_STRING "0.2.0"
#define TISO_ABI_VERSION 1

/* Packs a version for comparisons: TISO_VERSION_NUMBER >= TISO_MAKE_VERSION(0, 1, 0). */
#define TISO_MAKE_VERSION(major, minor, patch) (((major) * 10000) + ((minor) * 100) + (patch))
#define TISO_VERSION_NUMBER \
    TISO_MAKE_VERSION(TISO_VERSION_MAJOR, TISO_VERSION_MINOR, TISO_VERSION_PATCH)

/* Features compiled into the library, as returned by tiso_features(). */
#define TISO_FEATURE_GRAPH 0x1u /* the Microsoft Graph client and resolver */

#ifdef __cplusplus
extern "C" {
#endif

/* The version of the library actually loaded, e.g. "0.2.0". Static storage. */
TISO_API const char *tiso_version(void);

/* TISO_VERSION_NUMBER of the library actually loaded. */
TISO_API int tiso_version_number(void);

/* The ABI version (the SONAME's number) of the library actually loaded. */
TISO_API int tiso_abi_version(void);

/* A bit set of TISO_FEATURE_* compiled into the library actually loaded. */
TISO_API unsigned tiso_features(void);

#ifdef __cplusplus
}
#endif

#endif /* TENANTISO_VERSION_H */
