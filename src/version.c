/* What the loaded library is, for bindings that cannot read the macros. */
#include "internal.h"

const char *tiso_version(void)
{
    return TISO_VERSION_STRING;
}

int tiso_version_number(void)
{
    return TISO_VERSION_NUMBER;
}

int tiso_abi_version(void)
{
    return TISO_ABI_VERSION;
}

unsigned tiso_features(void)
{
#ifdef TISO_WITH_GRAPH
    return TISO_FEATURE_GRAPH;
#else
    return 0;
#endif
}
