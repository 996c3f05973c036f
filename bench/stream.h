/*
 * Shared by the benchmark programs: the byte stream every bulk transfer carries (so the
 * receiver can check it byte for byte) and SHA-256 (FIPS 180-4) for the kernel side's
 * verification.
 */
#ifndef BENCH_STREAM_H
#define BENCH_STREAM_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A xorshift64 stream, 8 bytes a step: cheap enough not to matter next to the stacks. */
struct stream {
    uint64_t x;
    uint64_t word;
    unsigned left; /* bytes of `word` not yet used */
};

static inline void stream_init(struct stream *s)
{
    s->x = 0x9e3779b97f4a7c15ull;
    s->word = 0;
    s->left = 0;
}

static inline void stream_fill(struct stream *s, unsigned char *out, size_t n)
{
    size_t i = 0;
    while (i < n && s->left) {
        out[i++] = (unsigned char)s->word;
        s->word >>= 8;
        s->left--;
    }
    while (n - i >= 8) {
        s->x ^= s->x << 13;
        s->x ^= s->x >> 7;
        s->x ^= s->x << 17;
        memcpy(out + i, &s->x, 8);
        i += 8;
    }
    if (i < n) {
        s->x ^= s->x << 13;
        s->x ^= s->x >> 7;
        s->x ^= s->x << 17;
        s->word = s->x;
        s->left = 8;
        while (i < n) {
            out[i++] = (unsigned char)s->word;
            s->word >>= 8;
            s->left--;
        }
    }
}

/* Compare received bytes with the stream; returns 1 if they match. */
static inline int stream_check(struct stream *s, const unsigned char *in, size_t n)
{
    unsigned char tmp[4096];
    int ok = 1;
    while (n > 0) {
        size_t k = n < sizeof tmp ? n : sizeof tmp;
        stream_fill(s, tmp, k);
        ok &= memcmp(tmp, in, k) == 0;
        in += k;
        n -= k;
    }
    return ok;
}

struct sha256 {
    uint32_t h[8];
    uint64_t bytes;
    unsigned char block[64];
    size_t used;
};

static const uint32_t sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define SHA_ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static inline void sha256_block(struct sha256 *s, const unsigned char *p)
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = SHA_ROR(w[i - 15], 7) ^ SHA_ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = SHA_ROR(w[i - 2], 17) ^ SHA_ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3], e = s->h[4], f = s->h[5], g = s->h[6], h = s->h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = h + (SHA_ROR(e, 6) ^ SHA_ROR(e, 11) ^ SHA_ROR(e, 25)) + ((e & f) ^ (~e & g)) + sha256_k[i] + w[i];
        uint32_t t2 = (SHA_ROR(a, 2) ^ SHA_ROR(a, 13) ^ SHA_ROR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        h = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
    }
    s->h[0] += a, s->h[1] += b, s->h[2] += c, s->h[3] += d, s->h[4] += e, s->h[5] += f, s->h[6] += g, s->h[7] += h;
}

static inline void sha256_init(struct sha256 *s)
{
    static const uint32_t iv[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
    memcpy(s->h, iv, sizeof iv);
    s->bytes = 0;
    s->used = 0;
}

static inline void sha256_update(struct sha256 *s, const unsigned char *p, size_t n)
{
    s->bytes += n;
    if (s->used) {
        size_t k = 64 - s->used < n ? 64 - s->used : n;
        memcpy(s->block + s->used, p, k);
        s->used += k, p += k, n -= k;
        if (s->used < 64)
            return;
        sha256_block(s, s->block);
        s->used = 0;
    }
    while (n >= 64) {
        sha256_block(s, p);
        p += 64, n -= 64;
    }
    memcpy(s->block, p, n);
    s->used = n;
}

static inline void sha256_final(struct sha256 *s, unsigned char out[32])
{
    uint64_t bits = s->bytes * 8;
    unsigned char pad = 0x80;
    sha256_update(s, &pad, 1);
    unsigned char z = 0;
    while (s->used != 56)
        sha256_update(s, &z, 1);
    unsigned char len[8];
    for (int i = 0; i < 8; i++)
        len[i] = (unsigned char)(bits >> (56 - 8 * i));
    sha256_update(s, len, 8);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (unsigned char)(s->h[i] >> 24);
        out[4 * i + 1] = (unsigned char)(s->h[i] >> 16);
        out[4 * i + 2] = (unsigned char)(s->h[i] >> 8);
        out[4 * i + 3] = (unsigned char)s->h[i];
    }
}

#endif /* BENCH_STREAM_H */
