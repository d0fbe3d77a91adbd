/* A compact DEFLATE (RFC 1951) encoder for the freestanding app: LZ77 over
 * a 32 KiB window with hash chains and lazy matching, each block sent as
 * dynamic Huffman, fixed Huffman or stored, whichever is smallest. It makes
 * raw deflate; dbs_frame.h wraps it in gzip. No allocation: the caller owns
 * the state (about 330 KiB: allocate it, it is too large for a stack). */
#ifndef DBS_DEFLATE_H
#define DBS_DEFLATE_H

#include <stddef.h>
#include <stdint.h>

#define DBS_DEFLATE_WSIZE 32768        /* the window: the largest distance DEFLATE has */
#define DBS_DEFLATE_HASH_BITS 15
#define DBS_DEFLATE_BLOCK_SYMS 32768   /* literals and matches per block */
#define DBS_DEFLATE_LIT_CODES 286      /* literal/length alphabet */
#define DBS_DEFLATE_DIST_CODES 30

/* Receives the compressed bytes. */
typedef void dbs_sink_fn(void *ctx, const uint8_t *p, size_t n);

struct dbs_deflate {
    dbs_sink_fn *sink;
    void *ctx;
    /* LZ77: window positions in head (latest per hash) and prev (the one before,
     * per position mod WSIZE); position 0 doubles as "none" */
    uint8_t win[2 * DBS_DEFLATE_WSIZE];
    uint16_t head[1u << DBS_DEFLATE_HASH_BITS];
    uint16_t prev[DBS_DEFLATE_WSIZE];
    uint32_t fill, pos;      /* bytes in win; the next one to look at */
    unsigned prev_len, prev_dist; /* the match found at pos - 1, not yet taken */
    int pending;             /* win[pos - 1] waits: a literal, or the start of prev_len */
    /* the block being collected */
    uint16_t sym_len[DBS_DEFLATE_BLOCK_SYMS];  /* a literal byte, or a match length (3-258) */
    uint16_t sym_dist[DBS_DEFLATE_BLOCK_SYMS]; /* 0 for a literal */
    uint32_t nsym;
    uint32_t lfreq[DBS_DEFLATE_LIT_CODES], dfreq[DBS_DEFLATE_DIST_CODES];
    uint32_t covered;        /* the first byte in win no symbol stands for yet */
    long block_start;        /* the block's first byte in win; < 0 once slid out (no stored block) */
    /* output */
    uint64_t bits;
    unsigned nbits;
    uint32_t olen;
    uint8_t obuf[4096];
};

void dbs_deflate_init(struct dbs_deflate *z, dbs_sink_fn *sink, void *ctx);
void dbs_deflate_write(struct dbs_deflate *z, const void *data, size_t n);
/* Ends the stream (the last block, padded to a byte) and hands out the rest. */
void dbs_deflate_finish(struct dbs_deflate *z);

#endif
