/* submit-frame: lines, NUMBERs, ITEMs, result records and the dot line of the submission
 * protocol. Trusts nothing read: lengths are bounded before use, records are streamed. */
#include "submit-frame.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int same(const char *line, size_t len, const char *word)
{
    return len == strlen(word) && memcmp(line, word, len) == 0;
}

/* Text from the server made safe for one stderr line: at most 64 bytes, no controls. */
static void printable(char *dst, size_t size, const char *src, size_t len)
{
    size_t i, n = len < size - 1 ? len : size - 1;

    for (i = 0; i < n; i++)
        dst[i] = (src[i] < 0x20 || src[i] == 0x7f) ? '?' : src[i];
    dst[n] = 0;
}

enum frame_answer frame_answer(const char *line, size_t len)
{
    if (same(line, len, "SEND EOF"))
        return ANSWER_SEND_EOF;
    if (same(line, len, "SEND DOT"))
        return ANSWER_SEND_DOT;
    if (same(line, len, "REPLY"))
        return ANSWER_REPLY;
    return ANSWER_LOCAL;
}

int frame_number(const char *text, size_t len, unsigned long max, unsigned long *value)
{
    unsigned long long n = 0;
    size_t i;

    if (len == 0 || len > FRAME_MAX_DIGITS)
        return -1;
    for (i = 0; i < len; i++) {
        if (text[i] < '0' || text[i] > '9')
            return -1;
        n = n * 10 + (unsigned long long) (text[i] - '0');  /* at most 9999999999: no overflow */
    }
    if (n > max)
        return -1;
    *value = (unsigned long) n;
    return 0;
}

void frame_dot_init(struct frame_dot *dot)
{
    dot->state = 1;
}

/* The state machine of SubmitClient.DotLine, byte for byte. */
int frame_dot_found(struct frame_dot *dot, const unsigned char *buf, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        unsigned char b = buf[i];
        if (b == '\n' && dot->state >= 2)
            return 1;
        if (dot->state == 1 && b == '.')
            dot->state = 2;
        else if (dot->state == 2 && b == '\r')
            dot->state = 3;
        else
            dot->state = b == '\n' ? 1 : 0;
    }
    return 0;
}

void frame_in_init(struct frame_in *in, frame_read_fn read, void *ctx)
{
    in->read = read;
    in->ctx = ctx;
    in->pos = in->len = 0;
    in->why[0] = 0;
}

/* Refills an empty buffer; EINTR is the read function's business. */
static enum frame_status fill(struct frame_in *in)
{
    ssize_t n;

    if (in->pos < in->len)
        return FRAME_OK;
    n = in->read(in->ctx, in->buf, sizeof in->buf);
    if (n < 0) {
        snprintf(in->why, sizeof in->why, "%s", strerror(errno));
        return FRAME_IO;
    }
    if (n == 0) {
        snprintf(in->why, sizeof in->why, "connection closed");
        return FRAME_CLOSED;
    }
    in->pos = 0;
    in->len = (size_t) n;
    return FRAME_OK;
}

enum frame_status frame_line(struct frame_in *in, char *line, size_t max, size_t *len)
{
    size_t used = 0;
    enum frame_status st;

    for (;;) {
        unsigned char c;
        if ((st = fill(in)) != FRAME_OK) {
            if (st == FRAME_CLOSED && used > 0)
                snprintf(in->why, sizeof in->why, "connection closed inside a line");
            return st;
        }
        c = in->buf[in->pos++];
        if (c == '\n') {
            line[used] = 0;
            *len = used;
            return FRAME_OK;
        }
        if (used >= max) {
            snprintf(in->why, sizeof in->why, "line longer than %zu bytes", max);
            return FRAME_BAD;
        }
        line[used++] = (char) c;
    }
}

/* Passes exactly n bytes to the sink in buffer-sized pieces. */
static enum frame_status record_bytes(struct frame_in *in, const struct frame_sink *sink,
                                      enum frame_record tag, unsigned long n)
{
    unsigned long total = n;
    enum frame_status st;

    while (n > 0) {
        size_t piece;
        if ((st = fill(in)) != FRAME_OK) {
            snprintf(in->why, sizeof in->why, "connection closed after %lu of %lu bytes",
                     total - n, total);
            return st == FRAME_CLOSED ? FRAME_CLOSED : FRAME_IO;
        }
        piece = in->len - in->pos;
        if (piece > n)
            piece = (size_t) n;
        sink->data(sink->ctx, tag, in->buf + in->pos, piece);
        in->pos += piece;
        n -= piece;
    }
    sink->end(sink->ctx, tag);
    return FRAME_OK;
}

static enum frame_record record_tag(const char *tag, size_t len)
{
    if (same(tag, len, "OUT"))
        return RECORD_OUT;
    if (same(tag, len, "ERR"))
        return RECORD_ERR;
    if (same(tag, len, "DEAD"))
        return RECORD_DEAD;
    return RECORD_OTHER;  /* a record of a later protocol revision: skipped */
}

enum frame_status frame_results(struct frame_in *in, const struct frame_sink *sink, int *code)
{
    char line[FRAME_MAX_LINE + 1], text[65];
    size_t len;
    enum frame_status st;

    for (;;) {
        const char *sp, *arg;
        size_t tag_len, arg_len;
        unsigned long n;

        if ((st = frame_line(in, line, FRAME_MAX_LINE, &len)) != FRAME_OK)
            return st;
        sp = memchr(line, ' ', len);
        tag_len = sp ? (size_t) (sp - line) : len;
        arg = sp ? sp + 1 : line + len;
        arg_len = len - (size_t) (arg - line);
        if (same(line, tag_len, "EXIT")) {
            if (frame_number(arg, arg_len, FRAME_MAX_EXIT, &n) != 0)
                break;
            *code = (int) n;
            return FRAME_OK;
        }
        if (same(line, tag_len, "ERROR")) {
            printable(text, sizeof text, arg, arg_len);
            snprintf(in->why, sizeof in->why, "the mail daemon refused it: %s", text);
            return FRAME_REFUSED;
        }
        if (frame_number(arg, arg_len, FRAME_MAX_RECORD, &n) != 0)
            break;
        if ((st = record_bytes(in, sink, record_tag(line, tag_len), n)) != FRAME_OK)
            return st;
    }
    printable(text, sizeof text, line, len);
    snprintf(in->why, sizeof in->why, "bad record \"%s\"", text);
    return FRAME_BAD;
}

void frame_out_init(struct frame_out *out, frame_write_fn write, void *ctx)
{
    out->write = write;
    out->ctx = ctx;
    out->len = 0;
}

int frame_flush(struct frame_out *out)
{
    size_t n = out->len;

    out->len = 0;
    return n == 0 ? 0 : out->write(out->ctx, out->buf, n);
}

static int put(struct frame_out *out, const void *bytes, size_t n)
{
    const unsigned char *p = bytes;

    while (n > 0) {
        size_t room = sizeof out->buf - out->len, piece = n < room ? n : room;
        memcpy(out->buf + out->len, p, piece);
        out->len += piece;
        p += piece;
        n -= piece;
        if (out->len == sizeof out->buf && frame_flush(out) != 0)
            return -1;
    }
    return 0;
}

int frame_put_line(struct frame_out *out, const char *text)
{
    if (put(out, text, strlen(text)) != 0)
        return -1;
    return put(out, "\n", 1);
}

int frame_put_item(struct frame_out *out, const void *bytes, size_t n)
{
    char count[24];

    snprintf(count, sizeof count, "%zu", n);
    if (frame_put_line(out, count) != 0)
        return -1;
    return put(out, bytes, n);
}
