/* The CSV framed for the serial line. */
#include "dbs_frame.h"
#include "dbs_buf.h"
#include "dbs_crc32.h"

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void send_str(struct dbs_frame *f, struct dbs_buf *b)
{
    f->sink(f->ctx, (const uint8_t *)dbs_buf_str(b), b->len);
}

static void end_line(struct dbs_frame *f)
{
    f->line[f->col++] = '\r';
    f->line[f->col++] = '\n';
    f->sink(f->ctx, (const uint8_t *)f->line, f->col);
    f->col = 0;
}

/* Three gzip bytes (fewer at the end: '=' pads) as four base64 characters. */
static void put_quad(struct dbs_frame *f)
{
    uint32_t v = (uint32_t)f->in[0] << 16 | (uint32_t)f->in[1] << 8 | f->in[2];
    unsigned i;

    for (i = 0; i < 4; i++)
        f->line[f->col++] = i <= f->nin ? b64[(v >> (18 - 6 * i)) & 63] : '=';
    f->nin = f->in[0] = f->in[1] = f->in[2] = 0;
    if (f->col == DBS_FRAME_LINE)
        end_line(f);
}

/* Takes gzip bytes, from the header, the encoder and the trailer. */
static void gz_sink(void *ctx, const uint8_t *p, size_t n)
{
    struct dbs_frame *f = ctx;

    f->gz_bytes += n;
    while (n--) {
        f->in[f->nin++] = *p++;
        if (f->nin == 3)
            put_quad(f);
    }
}

static void gz_le32(struct dbs_frame *f, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};

    gz_sink(f, b, 4);
}

void dbs_frame_begin(struct dbs_frame *f, enum dbs_frame_kind kind, struct dbs_deflate *z,
                     const char *name, dbs_sink_fn *sink, void *ctx)
{
    /* gzip: deflate, FNAME set, no time, no extra flags, OS unknown */
    static const uint8_t gz_head[10] = {0x1f, 0x8b, 8, 8, 0, 0, 0, 0, 0, 255};
    const char *eol = kind == DBS_FRAME_GZIP ? "\r\n" : "\n";
    char mem[160];
    struct dbs_buf b;
    size_t n = 0;

    *f = (struct dbs_frame){.sink = sink, .ctx = ctx, .kind = kind, .z = z};
    dbs_buf_init(&b, mem, sizeof(mem));
    dbs_put_str(&b, eol);
    dbs_put_str(&b, "DBSWEEP BEGIN ");
    dbs_put_str(&b, name);
    if (kind == DBS_FRAME_GZIP)
        dbs_put_str(&b, " gzip-base64");
    dbs_put_str(&b, eol);
    send_str(f, &b);
    if (kind != DBS_FRAME_GZIP)
        return;
    gz_sink(f, gz_head, sizeof(gz_head));
    while (name[n])
        n++;
    gz_sink(f, (const uint8_t *)name, n + 1);
    dbs_deflate_init(z, gz_sink, f);
}

void dbs_frame_write(struct dbs_frame *f, const void *data, size_t n)
{
    const char *p = data;
    size_t i;

    f->crc = dbs_crc32(f->crc, data, n);
    f->bytes += n;
    for (i = 0; i < n; i++)
        f->lines += p[i] == '\n';
    if (f->kind == DBS_FRAME_GZIP)
        dbs_deflate_write(f->z, data, n);
    else
        f->sink(f->ctx, data, n);
}

void dbs_frame_end(struct dbs_frame *f)
{
    char mem[160];
    struct dbs_buf b;

    if (f->kind == DBS_FRAME_GZIP) {
        dbs_deflate_finish(f->z);
        gz_le32(f, f->crc);
        gz_le32(f, (uint32_t)f->bytes);
        if (f->nin)
            put_quad(f);
        if (f->col)
            end_line(f);
    }
    dbs_buf_init(&b, mem, sizeof(mem));
    dbs_put_str(&b, "DBSWEEP END ");
    dbs_put_dec(&b, f->lines);
    dbs_put_char(&b, ' ');
    dbs_put_hex(&b, f->crc);
    if (f->kind == DBS_FRAME_GZIP) {
        dbs_put_char(&b, ' ');
        dbs_put_dec(&b, f->bytes);
        dbs_put_char(&b, ' ');
        dbs_put_dec(&b, f->gz_bytes);
    }
    dbs_put_str(&b, f->kind == DBS_FRAME_GZIP ? "\r\n" : "\n");
    send_str(f, &b);
}
