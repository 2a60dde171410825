/* SHA-256 (FIPS 180-4), for policy content hashes. */
#ifndef TISO_SHA256_H
#define TISO_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct tiso__sha256 {
    uint32_t state[8];
    uint64_t length; /* bytes hashed so far */
    uint8_t block[64];
    size_t used;     /* bytes waiting in `block` */
    bool ni;         /* the processor's SHA extensions do the blocks */
} tiso__sha256;

void tiso__sha256_init(tiso__sha256 *h);
void tiso__sha256_update(tiso__sha256 *h, const void *data, size_t len);
void tiso__sha256_final(tiso__sha256 *h, uint8_t digest[32]);

/* One 64-byte block into `state`, portably; and with the x86-64 SHA
 * extensions, which returns false (doing nothing) where the build has none.
 * Call the second only when tiso__sha256_has_ni() says the processor has them.
 * Exposed for the tests, which hold the two to each other. */
void tiso__sha256_block_portable(uint32_t state[8], const uint8_t block[64]);
bool tiso__sha256_block_ni(uint32_t state[8], const uint8_t block[64]);
bool tiso__sha256_has_ni(void);

#endif /* TISO_SHA256_H */
