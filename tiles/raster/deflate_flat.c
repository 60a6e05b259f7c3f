/*
 * A zlib stream (RFC 1950) of one fixed-Huffman deflate block (RFC 1951,
 * 3.2.6) made for the filtered rows of flat map tiles.  At each position
 * it tries two matches only: the byte one row up (distance: the row's
 * length, so a row like the one above is a few 258-byte matches) and the
 * byte one pixel back (distance: the pixel's bytes, a run of one colour);
 * the longer of them is taken when it is 3 bytes or more, else a literal.
 * It looks nothing up and keeps no table, so a flat tile costs a word
 * compare per 8 bytes, where a general deflate hashes every byte; the
 * price is larger output where the image is busy (docs/tiles.md).
 */
#include "internal.h"

#include <libdeflate.h>
#include <pthread.h>
#include <string.h>

/* The bit writer: bits go in from the least significant end (RFC 1951,
 * 3.1.1); a Huffman code is given already reversed. */
typedef struct bits {
    uint8_t *out;
    uint64_t acc;
    int n;
} bits;

static void put_bits(bits *b, uint32_t v, int n)
{
    b->acc |= (uint64_t)v << b->n;
    b->n += n;
    if (b->n >= 32) {
        uint32_t w = (uint32_t)b->acc;
        b->out[0] = (uint8_t)w;
        b->out[1] = (uint8_t)(w >> 8);
        b->out[2] = (uint8_t)(w >> 16);
        b->out[3] = (uint8_t)(w >> 24);
        b->out += 4;
        b->acc >>= 32;
        b->n -= 32;
    }
}

static uint32_t reverse(uint32_t v, int n)
{
    uint32_t r = 0;
    for (int i = 0; i < n; i++)
        r |= ((v >> i) & 1u) << (n - 1 - i);
    return r;
}

/* The fixed literal/length code of symbol s (0..287): reversed code and
 * its length (RFC 1951, 3.2.6). */
static void fixed_code(int s, uint32_t *code, int *len)
{
    if (s < 144)
        *code = reverse(0x30u + (uint32_t)s, *len = 8);
    else if (s < 256)
        *code = reverse(0x190u + (uint32_t)(s - 144), *len = 9);
    else if (s < 280)
        *code = reverse((uint32_t)(s - 256), *len = 7);
    else
        *code = reverse(0xc0u + (uint32_t)(s - 280), *len = 8);
}

/* Tables of RFC 1951, 3.2.5: base lengths and distances, extra bits. */
static const uint16_t len_base[29] = {3,  4,  5,  6,   7,   8,   9,   10,
                                      11, 13, 15, 17,  19,  23,  27,  31,
                                      35, 43, 51, 59,  67,  83,  99,  115,
                                      131, 163, 195, 227, 258};
static const uint8_t len_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1,
                                      1, 1, 2, 2, 2, 2, 3, 3, 3, 3,
                                      4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint16_t dist_base[30] = {
    1,   2,   3,    4,    5,    7,    9,    13,    17,    25,
    33,  49,  65,   97,   129,  193,  257,  385,   513,   769,
    1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
static const uint8_t dist_extra[30] = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3,
                                       4, 4, 5, 5, 6, 6, 7, 7, 8, 8,
                                       9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

/* A distance's code, extra bits and their count, worked out once per
 * stream (only two distances occur). */
typedef struct dist_code {
    uint32_t bits; /* reversed 5-bit code, then the extra bits */
    int n;
} dist_code;

static dist_code code_of_distance(size_t d)
{
    int k = 29;
    while (dist_base[k] > d)
        k--;
    dist_code c;
    c.bits = reverse((uint32_t)k, 5) |
             (uint32_t)(d - dist_base[k]) << 5;
    c.n = 5 + dist_extra[k];
    return c;
}

/* The codes of the literals 0..255 and of the lengths 3..258 (their
 * symbol's code with the extra bits after it), worked out once: a busy
 * tile is mostly literals, and reversing a code per byte cost as much as
 * the rest of the encoder. */
typedef struct code {
    uint32_t bits;
    int n;
} code;

static code literal_codes[256], length_codes[259];
static pthread_once_t codes_once = PTHREAD_ONCE_INIT;

static void make_codes(void)
{
    for (int v = 0; v < 256; v++)
        fixed_code(v, &literal_codes[v].bits, &literal_codes[v].n);
    for (int len = 3; len <= 258; len++) {
        int k = 28;
        while (len_base[k] > len)
            k--;
        uint32_t c;
        int n;
        fixed_code(257 + k, &c, &n);
        length_codes[len].bits = c | (uint32_t)(len - len_base[k]) << n;
        length_codes[len].n = n + len_extra[k];
    }
}

static void put_literal(bits *b, uint8_t v)
{
    put_bits(b, literal_codes[v].bits, literal_codes[v].n);
}

/* A match of len (3..258) bytes at distance d. */
static void put_match(bits *b, int len, dist_code d)
{
    const code *c = &length_codes[len]; /* at most 13 bits, then 18 */
    put_bits(b, c->bits | d.bits << c->n, c->n + d.n);
}

/* How many bytes from p equal those d back, at most max. */
static inline __attribute__((always_inline)) size_t
common(const uint8_t *p, size_t d, size_t max)
{
    size_t n = 0;
    /* the first word apart (where most tries of a busy tile end), then the
     * whole rest at once: in a flat tile most matches run to the longest,
     * and libc's memcmp() compares a vector per step */
    if (max >= 16) {
        uint64_t a, c;
        memcpy(&a, p, 8);
        memcpy(&c, p - d, 8);
        if (a != c)
            return (size_t)(__builtin_ctzll(a ^ c) >> 3);
        if (memcmp(p + 8, p + 8 - d, max - 8) == 0)
            return max;
        n = 8;
    }
    while (n + 8 <= max) {
        uint64_t a, c;
        memcpy(&a, p + n, 8);
        memcpy(&c, p + n - d, 8);
        if (a != c)
            return n + (size_t)(__builtin_ctzll(a ^ c) >> 3);
        n += 8;
    }
    while (n < max && p[n] == p[n - d])
        n++;
    return n;
}

size_t flat_zlib_bound(size_t n)
{
    /* literals of 9 bits at worst, the headers, the flush, Adler-32 */
    return n + n / 8 + 32;
}

size_t flat_zlib(const uint8_t *in, size_t n, size_t row, size_t pixel,
                 uint8_t *out)
{
    pthread_once(&codes_once, make_codes);
    out[0] = 0x78; /* deflate, 32 KiB window */
    out[1] = 0x01; /* fastest, and 0x7801 % 31 == 0 */
    bits b = {out + 2, 0, 0};
    put_bits(&b, 1 | 1 << 1, 3); /* BFINAL, BTYPE 01: fixed codes */
    /* candidates: one row up, one pixel back, and up a row and a pixel
     * to either side (where an anti-aliased edge crosses rows at a slant) */
    size_t dist[4] = {row, pixel, row + pixel, row - pixel};
    int n_dist = row + pixel <= 32768 ? 4 : row <= 32768 ? 1 : 0;
    if (n_dist == 0 || row <= pixel) { /* one-pixel rows: runs only */
        dist[0] = pixel;
        n_dist = 1;
    }
    dist_code codes[4];
    for (int k = 0; k < n_dist; k++)
        codes[k] = code_of_distance(dist[k]);
    /* Past the first row and pixel every candidate lies inside the data;
     * from there on, with 4 bytes or more left, a candidate is looked at
     * only when its first 3 bytes match (a shorter match is no match),
     * which in a busy stretch rejects all four at a word compare each.
     * The choice is that of the plain loop: the longest match, the first
     * candidate of that length. */
    size_t start = 0;
    for (int k = 0; k < n_dist; k++)
        if (dist[k] > start)
            start = dist[k];
    size_t i = 0;
    while (i < n) {
        size_t max = n - i < 258 ? n - i : 258, len = 0;
        int best = 0;
        unsigned hit = 0; /* the candidates worth comparing */
        if (i >= start && max >= 4) {
            uint32_t a, c[4];
            memcpy(&a, in + i, 4);
            a &= 0xffffffu;
            if (n_dist == 4) { /* the usual case, without a loop */
                memcpy(&c[0], in + i - dist[0], 4);
                memcpy(&c[1], in + i - dist[1], 4);
                memcpy(&c[2], in + i - dist[2], 4);
                memcpy(&c[3], in + i - dist[3], 4);
                hit = ((c[0] & 0xffffffu) == a) |
                      ((c[1] & 0xffffffu) == a) << 1 |
                      ((c[2] & 0xffffffu) == a) << 2 |
                      ((c[3] & 0xffffffu) == a) << 3;
            } else {
                for (int k = 0; k < n_dist; k++) {
                    memcpy(&c[k], in + i - dist[k], 4);
                    hit |= (unsigned)((c[k] & 0xffffffu) == a) << k;
                }
            }
            if (!hit) { /* a busy stretch: a literal at once */
                put_literal(&b, in[i++]);
                continue;
            }
        } else { /* near the start or the end: every candidate in range */
            for (int k = 0; k < n_dist; k++)
                hit |= (unsigned)(i >= dist[k]) << k;
        }
        for (int k = 0; k < n_dist && len < max; k++) {
            if (!(hit >> k & 1))
                continue;
            size_t l = common(in + i, dist[k], max);
            if (l > len) {
                len = l;
                best = k;
            }
        }
        if (len >= 3) {
            put_match(&b, (int)len, codes[best]);
            i += len;
        } else {
            put_literal(&b, in[i++]);
        }
    }
    uint32_t eob;
    int eob_n;
    fixed_code(256, &eob, &eob_n);
    put_bits(&b, eob, eob_n);
    while (b.n > 0) { /* the last bits, whole bytes (b.n < 32 here) */
        *b.out++ = (uint8_t)b.acc;
        b.acc >>= 8;
        b.n -= 8;
    }
    uint32_t a = libdeflate_adler32(1, in, n);
    b.out[0] = (uint8_t)(a >> 24);
    b.out[1] = (uint8_t)(a >> 16);
    b.out[2] = (uint8_t)(a >> 8);
    b.out[3] = (uint8_t)a;
    return (size_t)(b.out + 4 - out);
}
