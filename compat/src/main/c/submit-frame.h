/* submit-frame: the client side of the submission protocol's framing, version 2.
 * Trusts nothing the daemon sends: every line, number and length is bounded and checked. */
#ifndef POSTERN_SUBMIT_FRAME_H
#define POSTERN_SUBMIT_FRAME_H

#include <stddef.h>
#include <sys/types.h>

/*
 * The protocol is SubmitProtocol.java's (read it first); version 2 differs in two places:
 * the client's magic line is "POSTERN-SUBMIT 2", and the server may answer "REPLY": it ran
 * the whole command itself without reading stdin (mailq, sendmail -bp, -bP), and the result
 * records (OUT, ERR, DEAD, EXIT) follow at once, exactly as after the end of the data. A
 * version 1 server answers "ERROR ..." (or closes) on the new magic: the client then runs
 * the command locally, as for LOCAL.
 */
#define FRAME_MAGIC "POSTERN-SUBMIT 2"
#define FRAME_MAX_LINE 1024           /* a control line: a reply, a record header */
#define FRAME_MAX_DIGITS 10           /* a NUMBER */
#define FRAME_MAX_CHUNK (1UL << 20)   /* one ITEM of message data */
#define FRAME_MAX_RECORD 2147483647UL /* a result record (streamed, never held) */
#define FRAME_MAX_EXIT 255UL

/* The server's answer to the request header. */
enum frame_answer {
    ANSWER_SEND_EOF,   /* stream stdin to its end */
    ANSWER_SEND_DOT,   /* stream stdin up to a line holding only "." */
    ANSWER_REPLY,      /* no input wanted: the result records follow */
    ANSWER_LOCAL       /* LOCAL, ERROR, or anything else: run the command locally */
};

enum frame_answer frame_answer(const char *line, size_t len);

/* Parses a NUMBER (1 to 10 ASCII digits) no larger than max; 0 on success, -1 if bad. */
int frame_number(const char *text, size_t len, unsigned long max, unsigned long *value);

/* sendmail's end of input without -i: a line holding only "." (LF or CRLF), across reads. */
struct frame_dot {
    int state;  /* 0 in a line, 1 at a line start, 2 after ".", 3 after ".\r" */
};

void frame_dot_init(struct frame_dot *dot);
/* Whether buf[0..n) completes the end line; the state carries over to the next call. */
int frame_dot_found(struct frame_dot *dot, const unsigned char *buf, size_t n);

/* Why reading the server failed (the text is for one stderr line). */
enum frame_status {
    FRAME_OK = 0,
    FRAME_CLOSED,   /* end of stream where more was due */
    FRAME_IO,       /* a read error; errno-style text in why */
    FRAME_BAD,      /* a protocol violation: bad number, over-long line or length */
    FRAME_REFUSED   /* the server said ERROR after the data */
};

/* A buffered reader over a read function (a socket, or the fuzzer's bytes). */
typedef ssize_t (*frame_read_fn)(void *ctx, void *buf, size_t n);

struct frame_in {
    frame_read_fn read;
    void *ctx;
    unsigned char buf[16384];
    size_t pos, len;
    char why[160];
};

void frame_in_init(struct frame_in *in, frame_read_fn read, void *ctx);
/* One LINE of at most max bytes into line (max + 1 bytes, NUL added); *len without LF. */
enum frame_status frame_line(struct frame_in *in, char *line, size_t max, size_t *len);

/* Where the result records go; bytes arrive in pieces, end() closes a record. */
enum frame_record { RECORD_OUT, RECORD_ERR, RECORD_DEAD, RECORD_OTHER };

struct frame_sink {
    void *ctx;
    void (*data)(void *ctx, enum frame_record tag, const unsigned char *bytes, size_t n);
    void (*end)(void *ctx, enum frame_record tag);
};

/* A buffered writer over a write function that writes everything or fails (-1). */
typedef int (*frame_write_fn)(void *ctx, const void *buf, size_t n);

struct frame_out {
    frame_write_fn write;
    void *ctx;
    unsigned char buf[65536];
    size_t len;
};

void frame_out_init(struct frame_out *out, frame_write_fn write, void *ctx);
/* Each returns 0, or -1 when the write function failed (errno kept). */
int frame_put_line(struct frame_out *out, const char *text);
int frame_put_item(struct frame_out *out, const void *bytes, size_t n);
int frame_flush(struct frame_out *out);

/* Reads records up to EXIT and returns its code in *code; unknown tags are skipped. */
enum frame_status frame_results(struct frame_in *in, const struct frame_sink *sink, int *code);

#endif
