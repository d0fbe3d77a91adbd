/* DEFLATE encoder (RFC 1951). */
#include "dbs_deflate.h"

#define WSIZE DBS_DEFLATE_WSIZE
#define WMASK (WSIZE - 1)
#define MIN_MATCH 3
#define MAX_MATCH 258
#define MIN_LOOKAHEAD (MAX_MATCH + MIN_MATCH + 1) /* what a match search may read past pos */
#define MAX_DIST (WSIZE - MIN_LOOKAHEAD)
#define EOB 256
#define MAX_BITS 15    /* longest literal/length or distance code */
#define MAX_CL_BITS 7  /* longest code-length code */
#define CL_CODES 19

/* Search effort, about zlib's level 9 (the full sweep's CSV: 28:1 at 0.15 s
 * on a 2020s PC): longer chains gain nothing on the CSV, shorter ones lose
 * 10%, and every byte saved is 87 us on a 115200 baud line. */
#define MAX_CHAIN 512  /* candidates looked at per position */
#define GOOD_LEN 32    /* a match this long already: look at a quarter as many */
#define LAZY_LEN 128   /* a match this long is taken without trying the next position */
#define NICE_LEN 258   /* a match this long ends the search */

static const uint16_t len_base[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                      31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t len_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                      2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint16_t dist_base[30] = {1,    2,    3,    4,    5,    7,     9,     13,    17,  25,
                                       33,   49,   65,   97,   129,  193,   257,   385,   513, 769,
                                       1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
static const uint8_t dist_extra[30] = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                                       6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
/* The order code-length code lengths are sent in (RFC 1951 3.2.7). */
static const uint8_t cl_order[CL_CODES] = {16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
                                           11, 4,  12, 3, 13, 2, 14, 1, 15};

static unsigned len_code(unsigned len) /* 0-28, for symbol 257 + it */
{
    unsigned c = 28;

    while (len_base[c] > len)
        c--;
    return c;
}

static unsigned dist_code(unsigned dist)
{
    unsigned c = 29;

    while (dist_base[c] > dist)
        c--;
    return c;
}

/* --- output ------------------------------------------------------------- */

static void put_byte(struct dbs_deflate *z, uint8_t b)
{
    z->obuf[z->olen++] = b;
    if (z->olen == sizeof(z->obuf)) {
        z->sink(z->ctx, z->obuf, z->olen);
        z->olen = 0;
    }
}

/* n bits of v, least significant first (DEFLATE's bit order). */
static void put_bits(struct dbs_deflate *z, uint32_t v, unsigned n)
{
    z->bits |= (uint64_t)v << z->nbits;
    z->nbits += n;
    while (z->nbits >= 8) {
        put_byte(z, (uint8_t)z->bits);
        z->bits >>= 8;
        z->nbits -= 8;
    }
}

static void align_byte(struct dbs_deflate *z)
{
    if (z->nbits)
        put_bits(z, 0, 8 - z->nbits);
}

/* --- Huffman codes ------------------------------------------------------ */

#define FIXED_LIT_CODES 288 /* the fixed code has two more, never used, that shape its codes */

struct code {
    uint8_t len[FIXED_LIT_CODES];
    uint16_t bits[FIXED_LIT_CODES]; /* bit-reversed, ready for put_bits */
};

/* Code lengths of a minimum-redundancy code for weights w[0..n), sorted
 * ascending, computed in place (Moffat and Katajainen, 1995): on return
 * w[i] is the length for the i-th weight. n >= 2. */
static void min_redundancy(uint32_t *w, int n)
{
    int root = 0, leaf = 2, next, avail, used, depth;

    w[0] += w[1];
    for (next = 1; next < n - 1; next++) { /* internal node weights, then parents */
        if (leaf >= n || w[root] < w[leaf]) {
            w[next] = w[root];
            w[root++] = (uint32_t)next;
        } else {
            w[next] = w[leaf++];
        }
        if (leaf >= n || (root < next && w[root] < w[leaf])) {
            w[next] += w[root];
            w[root++] = (uint32_t)next;
        } else {
            w[next] += w[leaf++];
        }
    }
    w[n - 2] = 0; /* internal node depths */
    for (next = n - 3; next >= 0; next--)
        w[next] = w[w[next]] + 1;
    avail = 1; /* leaf depths */
    used = depth = 0;
    root = n - 2;
    next = n - 1;
    while (avail > 0) {
        while (root >= 0 && (int)w[root] == depth) {
            used++;
            root--;
        }
        while (avail > used) {
            w[next--] = (uint32_t)depth;
            avail--;
        }
        avail = 2 * used;
        depth++;
        used = 0;
    }
}

/* Canonical codes for the lengths in c->len (RFC 1951 3.2.2), bit-reversed
 * for LSB-first output. */
static void assign_codes(struct code *c, unsigned n)
{
    unsigned count[MAX_BITS + 1] = {0}, next[MAX_BITS + 1], code = 0, i, j, l;

    for (i = 0; i < n; i++)
        count[c->len[i]]++;
    count[0] = 0;
    for (l = 1; l <= MAX_BITS; l++) {
        code = (code + count[l - 1]) << 1;
        next[l] = code;
    }
    for (i = 0; i < n; i++) {
        unsigned v = next[c->len[i]]++, r = 0;

        for (j = 0; j < c->len[i]; j++, v >>= 1)
            r = r << 1 | (v & 1);
        c->bits[i] = (uint16_t)r;
    }
}

/* Lengths (at most maxbits) and codes for the n symbols of freq. At least
 * two symbols get a code, so that every code is complete, which inflaters
 * require of the code-length code. */
static void build_code(const uint32_t *freq, unsigned n, unsigned maxbits, struct code *c)
{
    uint16_t sym[DBS_DEFLATE_LIT_CODES];
    uint32_t w[DBS_DEFLATE_LIT_CODES] = {0}, kraft = 0;
    unsigned count[MAX_BITS + 1] = {0};
    unsigned i, j, used = 0, l;

    for (i = 0; i < n; i++) {
        c->len[i] = 0;
        if (freq[i]) { /* insertion sort by weight, ties by symbol */
            for (j = used++; j > 0 && freq[sym[j - 1]] > freq[i]; j--)
                sym[j] = sym[j - 1];
            sym[j] = (uint16_t)i;
        }
    }
    for (i = 0; used < 2; i++) /* pad with unused symbols of weight 0 */
        if (!freq[i]) {
            for (j = used++; j > 0; j--)
                sym[j] = sym[j - 1];
            sym[0] = (uint16_t)i;
        }
    for (i = 0; i < used; i++)
        w[i] = freq[sym[i]];
    min_redundancy(w, (int)used);
    /* Fold lengths over maxbits into maxbits, then lengthen the deepest
     * shorter codes until the Kraft sum is exact again. */
    for (i = 0; i < used; i++)
        count[w[i] > maxbits ? maxbits : w[i]]++;
    for (l = 1; l <= maxbits; l++)
        kraft += count[l] << (maxbits - l);
    for (; kraft > 1u << maxbits; kraft--) {
        count[maxbits]--;
        for (l = maxbits - 1; l > 0; l--)
            if (count[l]) {
                count[l]--;
                count[l + 1] += 2;
                break;
            }
    }
    /* the rarest symbols (first in sym) take the longest codes */
    for (i = 0, l = maxbits; l > 0; l--)
        for (j = 0; j < count[l]; j++)
            c->len[sym[i++]] = (uint8_t)l;
    assign_codes(c, n);
}

/* The fixed codes of RFC 1951 3.2.6. */
static void fixed_codes(struct code *lit, struct code *dist)
{
    unsigned i;

    for (i = 0; i < FIXED_LIT_CODES; i++)
        lit->len[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
    for (i = 0; i < DBS_DEFLATE_DIST_CODES; i++)
        dist->len[i] = 5;
    assign_codes(lit, FIXED_LIT_CODES);
    assign_codes(dist, DBS_DEFLATE_DIST_CODES);
}

/* --- blocks ------------------------------------------------------------- */

/* The dynamic block header: code lengths run-length coded with the
 * code-length code (RFC 1951 3.2.7). */
struct header {
    unsigned hlit, hdist, hclen, n;
    uint8_t sym[DBS_DEFLATE_LIT_CODES + DBS_DEFLATE_DIST_CODES];
    uint8_t extra[DBS_DEFLATE_LIT_CODES + DBS_DEFLATE_DIST_CODES];
    struct code cl;
    uint64_t bits;
};

static const uint8_t cl_extra_bits[CL_CODES] = {[16] = 2, [17] = 3, [18] = 7};

static void put_cl(struct header *h, uint32_t *freq, unsigned sym, unsigned extra)
{
    h->sym[h->n] = (uint8_t)sym;
    h->extra[h->n++] = (uint8_t)extra;
    freq[sym]++;
}

static void plan_header(const struct code *lit, const struct code *dist, struct header *h)
{
    uint8_t lens[DBS_DEFLATE_LIT_CODES + DBS_DEFLATE_DIST_CODES];
    uint32_t freq[CL_CODES] = {0};
    unsigned i, total, run, k;

    for (h->hlit = DBS_DEFLATE_LIT_CODES; h->hlit > 257 && !lit->len[h->hlit - 1]; h->hlit--)
        ;
    for (h->hdist = DBS_DEFLATE_DIST_CODES; h->hdist > 1 && !dist->len[h->hdist - 1]; h->hdist--)
        ;
    for (i = 0; i < h->hlit; i++)
        lens[i] = lit->len[i];
    for (i = 0; i < h->hdist; i++)
        lens[h->hlit + i] = dist->len[i];
    total = h->hlit + h->hdist;
    h->n = 0;
    for (i = 0; i < total; i += run) {
        for (run = 1; i + run < total && lens[i + run] == lens[i]; run++)
            ;
        k = run;
        if (!lens[i]) {
            for (; k >= 11; k -= k < 138 ? k : 138)
                put_cl(h, freq, 18, (k < 138 ? k : 138) - 11);
            if (k >= 3) {
                put_cl(h, freq, 17, k - 3);
                k = 0;
            }
        } else {
            put_cl(h, freq, lens[i], 0);
            for (k--; k >= 3; k -= k < 6 ? k : 6)
                put_cl(h, freq, 16, (k < 6 ? k : 6) - 3);
        }
        for (; k; k--)
            put_cl(h, freq, lens[i], 0);
    }
    build_code(freq, CL_CODES, MAX_CL_BITS, &h->cl);
    for (h->hclen = CL_CODES; h->hclen > 4 && !h->cl.len[cl_order[h->hclen - 1]]; h->hclen--)
        ;
    h->bits = 5 + 5 + 4 + 3 * h->hclen;
    for (i = 0; i < h->n; i++)
        h->bits += h->cl.len[h->sym[i]] + cl_extra_bits[h->sym[i]];
}

static void put_header(struct dbs_deflate *z, const struct header *h)
{
    unsigned i;

    put_bits(z, h->hlit - 257, 5);
    put_bits(z, h->hdist - 1, 5);
    put_bits(z, h->hclen - 4, 4);
    for (i = 0; i < h->hclen; i++)
        put_bits(z, h->cl.len[cl_order[i]], 3);
    for (i = 0; i < h->n; i++) {
        put_bits(z, h->cl.bits[h->sym[i]], h->cl.len[h->sym[i]]);
        put_bits(z, h->extra[i], cl_extra_bits[h->sym[i]]);
    }
}

/* Bits the block's symbols take in codes lit and dist, extra bits included. */
static uint64_t body_bits(const struct dbs_deflate *z, const struct code *lit,
                          const struct code *dist)
{
    uint64_t b = 0;
    unsigned i;

    for (i = 0; i < DBS_DEFLATE_LIT_CODES; i++)
        b += (uint64_t)z->lfreq[i] * (lit->len[i] + (i > EOB ? len_extra[i - EOB - 1] : 0));
    for (i = 0; i < DBS_DEFLATE_DIST_CODES; i++)
        b += (uint64_t)z->dfreq[i] * (dist->len[i] + dist_extra[i]);
    return b;
}

static void put_body(struct dbs_deflate *z, const struct code *lit, const struct code *dist)
{
    uint32_t i;

    for (i = 0; i < z->nsym; i++) {
        unsigned len = z->sym_len[i], d = z->sym_dist[i], c;

        if (!d) {
            put_bits(z, lit->bits[len], lit->len[len]);
            continue;
        }
        c = len_code(len);
        put_bits(z, lit->bits[EOB + 1 + c], lit->len[EOB + 1 + c]);
        put_bits(z, len - len_base[c], len_extra[c]);
        c = dist_code(d);
        put_bits(z, dist->bits[c], dist->len[c]);
        put_bits(z, d - dist_base[c], dist_extra[c]);
    }
    put_bits(z, lit->bits[EOB], lit->len[EOB]);
}

/* Stored blocks of at most 65535 bytes each. */
static void put_stored(struct dbs_deflate *z, int final)
{
    const uint8_t *p = z->win + z->block_start;
    uint32_t left = z->covered - (uint32_t)z->block_start;

    do {
        uint32_t n = left < 65535 ? left : 65535, i;

        left -= n;
        put_bits(z, final && !left, 1);
        put_bits(z, 0, 2);
        align_byte(z);
        put_bits(z, n, 16);
        put_bits(z, n ^ 0xffff, 16);
        for (i = 0; i < n; i++)
            put_byte(z, *p++);
    } while (left);
}

static void start_block(struct dbs_deflate *z)
{
    unsigned i;

    z->nsym = 0;
    for (i = 0; i < DBS_DEFLATE_LIT_CODES; i++)
        z->lfreq[i] = 0;
    for (i = 0; i < DBS_DEFLATE_DIST_CODES; i++)
        z->dfreq[i] = 0;
    z->lfreq[EOB] = 1;
    z->block_start = z->covered;
}

/* Sends the block collected so far in the smallest of the three forms. */
static void flush_block(struct dbs_deflate *z, int final)
{
    static struct code lit, dist, flit, fdist;
    static struct header h;
    uint64_t dyn, fixed, stored = ~(uint64_t)0;

    build_code(z->lfreq, DBS_DEFLATE_LIT_CODES, MAX_BITS, &lit);
    build_code(z->dfreq, DBS_DEFLATE_DIST_CODES, MAX_BITS, &dist);
    plan_header(&lit, &dist, &h);
    fixed_codes(&flit, &fdist);
    dyn = 3 + h.bits + body_bits(z, &lit, &dist);
    fixed = 3 + body_bits(z, &flit, &fdist);
    if (z->block_start >= 0) { /* header, padding and LEN/NLEN per 65535 bytes */
        uint32_t n = z->covered - (uint32_t)z->block_start;
        stored = (uint64_t)n * 8 + ((n / 65535 + 1) * 5) * 8;
    }
    if (stored < dyn && stored < fixed) {
        put_stored(z, final);
    } else if (dyn < fixed) {
        put_bits(z, final, 1);
        put_bits(z, 2, 2);
        put_header(z, &h);
        put_body(z, &lit, &dist);
    } else {
        put_bits(z, final, 1);
        put_bits(z, 1, 2);
        put_body(z, &flit, &fdist);
    }
    start_block(z);
}

static void record(struct dbs_deflate *z, unsigned len, unsigned dist)
{
    z->sym_len[z->nsym] = (uint16_t)len;
    z->sym_dist[z->nsym++] = (uint16_t)dist;
    if (dist) {
        z->lfreq[EOB + 1 + len_code(len)]++;
        z->dfreq[dist_code(dist)]++;
        z->covered += len;
    } else {
        z->lfreq[len]++;
        z->covered++;
    }
    if (z->nsym == DBS_DEFLATE_BLOCK_SYMS)
        flush_block(z, 0);
}

/* --- LZ77 --------------------------------------------------------------- */

/* Enters position p in its hash chain; returns the chain's previous head. */
static unsigned insert(struct dbs_deflate *z, uint32_t p)
{
    uint32_t h;
    unsigned was;

    if (p + MIN_MATCH > z->fill)
        return 0;
    h = ((uint32_t)z->win[p] << 16 | (uint32_t)z->win[p + 1] << 8 | z->win[p + 2]) * 2654435761u;
    h >>= 32 - DBS_DEFLATE_HASH_BITS;
    was = z->head[h];
    z->prev[p & WMASK] = (uint16_t)was;
    z->head[h] = (uint16_t)p;
    return was;
}

/* The longest match for pos among the chain from cand that beats the one
 * found at pos - 1; its length (MIN_MATCH - 1: none) and distance. */
static unsigned longest_match(struct dbs_deflate *z, unsigned cand, unsigned *dist)
{
    const uint8_t *scan = z->win + z->pos;
    unsigned bar = z->prev_len > MIN_MATCH - 1 ? z->prev_len : MIN_MATCH - 1, best = bar;
    unsigned chain = bar >= GOOD_LEN ? MAX_CHAIN / 4 : MAX_CHAIN;
    unsigned maxlen = z->fill - z->pos < MAX_MATCH ? z->fill - z->pos : MAX_MATCH;
    unsigned limit = z->pos > MAX_DIST ? z->pos - MAX_DIST : 0, l;

    if (best >= maxlen)
        return MIN_MATCH - 1;
    do {
        const uint8_t *m = z->win + cand;

        if (m[best] != scan[best] || m[0] != scan[0] || m[1] != scan[1])
            continue;
        for (l = 2; l < maxlen && m[l] == scan[l]; l++)
            ;
        if (l > best) {
            best = l;
            *dist = z->pos - cand;
            if (l >= NICE_LEN || l >= maxlen)
                break;
        }
    } while ((cand = z->prev[cand & WMASK]) > limit && --chain);
    /* a 3-byte match far away costs more than three literals */
    return best > bar && !(best == MIN_MATCH && *dist > 4096) ? best : MIN_MATCH - 1;
}

/* Lazy matching (as zlib's deflate_slow): a match found at one position is
 * taken only if the next position has no longer one. */
static void compress(struct dbs_deflate *z, int finish)
{
    while (z->pos < z->fill && (finish || z->fill - z->pos >= MIN_LOOKAHEAD)) {
        unsigned cand = insert(z, z->pos), len = MIN_MATCH - 1, dist = 0;
        uint32_t end;

        if (cand && z->prev_len < LAZY_LEN && z->pos - cand <= MAX_DIST)
            len = longest_match(z, cand, &dist);
        if (z->pending && z->prev_len >= MIN_MATCH && len <= z->prev_len) {
            record(z, z->prev_len, z->prev_dist);
            end = z->pos - 1 + z->prev_len;
            while (++z->pos < end)
                insert(z, z->pos);
            z->pending = 0;
            z->prev_len = MIN_MATCH - 1;
            continue;
        }
        if (z->pending)
            record(z, z->win[z->pos - 1], 0);
        z->pending = 1;
        z->prev_len = len;
        z->prev_dist = dist;
        z->pos++;
    }
    if (finish && z->pending) {
        record(z, z->win[z->pos - 1], 0);
        z->pending = 0;
    }
}

/* Moves the upper half of the window down, with every position in it. */
static void slide(struct dbs_deflate *z)
{
    unsigned i;

    for (i = 0; i < WSIZE; i++)
        z->win[i] = z->win[i + WSIZE];
    for (i = 0; i < (1u << DBS_DEFLATE_HASH_BITS); i++)
        z->head[i] = (uint16_t)(z->head[i] > WSIZE ? z->head[i] - WSIZE : 0);
    for (i = 0; i < WSIZE; i++)
        z->prev[i] = (uint16_t)(z->prev[i] > WSIZE ? z->prev[i] - WSIZE : 0);
    z->fill -= WSIZE;
    z->pos -= WSIZE;
    z->covered -= WSIZE;
    z->block_start -= WSIZE;
}

void dbs_deflate_init(struct dbs_deflate *z, dbs_sink_fn *sink, void *ctx)
{
    unsigned i;

    z->sink = sink;
    z->ctx = ctx;
    for (i = 0; i < (1u << DBS_DEFLATE_HASH_BITS); i++)
        z->head[i] = 0;
    for (i = 0; i < WSIZE; i++)
        z->prev[i] = 0;
    z->fill = z->pos = z->covered = 0;
    z->prev_len = MIN_MATCH - 1;
    z->prev_dist = 0;
    z->pending = 0;
    z->bits = 0;
    z->nbits = 0;
    z->olen = 0;
    start_block(z);
}

void dbs_deflate_write(struct dbs_deflate *z, const void *data, size_t n)
{
    const uint8_t *p = data;

    while (n) {
        size_t k;

        if (z->fill == 2 * WSIZE)
            slide(z); /* compress() has left less than MIN_LOOKAHEAD: pos > WSIZE */
        k = 2 * WSIZE - z->fill;
        if (k > n)
            k = n;
        n -= k;
        while (k--)
            z->win[z->fill++] = *p++;
        compress(z, 0);
    }
}

void dbs_deflate_finish(struct dbs_deflate *z)
{
    compress(z, 1);
    flush_block(z, 1);
    align_byte(z);
    if (z->olen)
        z->sink(z->ctx, z->obuf, z->olen);
    z->olen = 0;
}
