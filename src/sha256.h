/* SHA-256 (FIPS 180-4), for policy content hashes. */
#ifndef TISO_SHA256_H
#define TISO_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct tiso__sha256 {
    uint32_t state[8];
    uint64_t length; /* bytes hashed so far */
    uint8_t block[64];
    size_t used;     /* bytes waiting in `block` */
} tiso__sha256;

void tiso__sha256_init(tiso__sha256 *h);
void tiso__sha256_update(tiso__sha256 *h, const void *data, size_t len);
void tiso__sha256_final(tiso__sha256 *h, uint8_t digest[32]);

#endif /* TISO_SHA256_H */
