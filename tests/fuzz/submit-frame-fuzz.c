/* submit-frame-fuzz: libFuzzer harness for the native front's framing (submit-frame.c).
 * Input: one byte choosing read sizes, then a daemon's reply stream (the untrusted side). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "submit-frame.h"

/* The daemon's bytes, handed out in pieces of 1..k bytes (short reads). */
struct source {
    const uint8_t *data;
    size_t size, pos;
    unsigned step;
};

static ssize_t source_read(void *ctx, void *buf, size_t n)
{
    struct source *s = ctx;
    size_t left = s->size - s->pos, piece = s->step ? (s->pos % s->step) + 1 : n;

    if (piece > n)
        piece = n;
    if (piece > left)
        piece = left;
    memcpy(buf, s->data + s->pos, piece);
    s->pos += piece;
    return (ssize_t) piece;
}

struct tally {
    size_t bytes[4];
    int open;
};

static void sink_data(void *ctx, enum frame_record tag, const unsigned char *bytes, size_t n)
{
    struct tally *t = ctx;
    volatile unsigned char touch = 0;
    size_t i;

    for (i = 0; i < n; i++)
        touch ^= bytes[i];  /* every byte handed over must be readable */
    (void) touch;
    t->bytes[tag] += n;
    t->open = 1;
}

static void sink_end(void *ctx, enum frame_record tag)
{
    struct tally *t = ctx;

    (void) tag;
    t->open = 0;
}

static int sink_write(void *ctx, const void *buf, size_t n)
{
    size_t *total = ctx;

    (void) buf;
    *total += n;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct frame_in in;
    static struct frame_out out;
    struct source src;
    struct tally tally;
    struct frame_sink sink = { &tally, sink_data, sink_end };
    struct frame_dot dot;
    char line[FRAME_MAX_LINE + 1];
    size_t len, written = 0;
    unsigned long n;
    int code = -1;

    if (size < 1)
        return 0;
    src.data = data + 1;
    src.size = size - 1;
    src.pos = 0;
    src.step = data[0] % 17;
    memset(&tally, 0, sizeof tally);

    /* The answer line, then the records, as the front reads them. */
    frame_in_init(&in, source_read, &src);
    if (frame_line(&in, line, FRAME_MAX_LINE, &len) == FRAME_OK) {
        if (len > FRAME_MAX_LINE || line[len] != 0)
            __builtin_trap();
        (void) frame_answer(line, len);
        if (frame_results(&in, &sink, &code) == FRAME_OK && (code < 0 || code > 255))
            __builtin_trap();
    }

    /* NUMBER parsing and the dot line over the same bytes. */
    if (frame_number((const char *) data, size, 4294967295UL, &n) == 0 && size > 10)
        __builtin_trap();
    frame_dot_init(&dot);
    (void) frame_dot_found(&dot, data, size);

    /* The writer: an ITEM is its count line plus exactly its bytes. */
    frame_out_init(&out, sink_write, &written);
    if (frame_put_item(&out, data, size) != 0 || frame_flush(&out) != 0)
        __builtin_trap();
    {
        char count[24];
        int digits = snprintf(count, sizeof count, "%zu", size);
        if (written != (size_t) digits + 1 + size)
            __builtin_trap();
    }
    return 0;
}
