/* sendmail-front: the sendmail and mailq commands (and postern's queue listing), handing
 * argv and stdin to the running daemon's submission socket; trusts the daemon behind the
 * instance's socket, nothing else. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "front-config.h"
#include "submit-frame.h"

/*
 * SECURITY. Not setuid or setgid, and it writes no file: the daemon learns who submits from
 * the socket's peer credentials (SO_PEERCRED), and a refused message's dead.letter copy is
 * written by a JVM helper run as a child. Every reply from the daemon is bounded and checked
 * by submit-frame.c.
 *
 * FALLBACK. Whenever the daemon cannot serve the call (POSTERN_SENDMAIL_JVM set, an instance
 * it cannot resolve with certainty, no socket, a refused connection, any failure before
 * SEND, the answer LOCAL or ERROR or one it does not know, a REPLY cut short) it execs the
 * JVM command with the same arguments and stdin untouched. After SEND it never does: the
 * daemon may have queued the message, so a lost connection is EX_TEMPFAIL, as in
 * SubmitClient.java.
 *
 * Called as postern (bin/postern runs it for "postern [-C DIR] queue [list] ..."), it finds
 * the instance as PosternCommand does, and the daemon answers REPLY (the listing) or LOCAL;
 * any other answer is LOCAL, so nothing is ever sent; the JVM command is lib/postern-jvm.
 *
 * The JVM launchers are found in $POSTERN_BIN/lib (set by bin/sendmail) or in lib/ beside
 * this binary (the installed layout, /usr/share/postern/bin).
 */
#define EX_IOERR 74
#define EX_TEMPFAIL 75
#define EX_UNAVAILABLE 69
#define JVM_LAUNCHER "sendmail-jvm"
#define ADMIN_PROGRAM "postern"       /* the admin command: only its queue listing */
#define ADMIN_JVM_LAUNCHER "postern-jvm"
#define DEAD_LETTER_LAUNCHER "sendmail-dead-letter"
#define ANSWER_TIMEOUT 30   /* seconds for the daemon to answer the header */
#define RESULT_TIMEOUT 300  /* seconds for it to report the result */
#define CHUNK 65536

extern char **environ;

static char program[256] = "sendmail";
static const char *jvm_launcher = JVM_LAUNCHER;
static char launchers[PATH_MAX];  /* the directory holding the JVM launchers */

/* ------------------------------------------------------------------ the JVM side */

/* $POSTERN_BIN/lib, else lib/ beside the real path of this binary. */
static int find_launchers(const char *argv0)
{
    const char *bin = getenv("POSTERN_BIN");
    char self[PATH_MAX], *slash;
    ssize_t n;

    if (bin && *bin)
        return snprintf(launchers, sizeof launchers, "%s/lib", bin) < (int) sizeof launchers
                   ? 0 : -1;
    n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0)
        self[n] = 0;
    else if (!argv0 || !strchr(argv0, '/') || !realpath(argv0, self))
        return -1;
    slash = strrchr(self, '/');
    *slash = 0;
    return snprintf(launchers, sizeof launchers, "%s/lib", self) < (int) sizeof launchers
               ? 0 : -1;
}

static void exec_jvm(int argc, char **argv) __attribute__((noreturn));

/* Runs the JVM command with the same arguments; it acts by POSTERN_ARGV0. */
static void exec_jvm(int argc, char **argv)
{
    char path[PATH_MAX + 32];
    char **args = calloc((size_t) (argc > 1 ? argc : 1) + 1, sizeof *args);
    int i;

    snprintf(path, sizeof path, "%s/%s", launchers, jvm_launcher);
    if (args) {
        args[0] = path;
        for (i = 1; i < argc; i++)
            args[i] = argv[i];
        setenv("POSTERN_ARGV0", program, 1);
        unsetenv("POSTERN_BIN");  /* the launcher finds its own */
        signal(SIGPIPE, SIG_DFL);
        execv(path, args);
    }
    fprintf(stderr, "%s: cannot run %s: %s\n", program, path, strerror(errno));
    exit(EX_UNAVAILABLE);
}

/* A DEAD record: piped to the helper that appends it to ~/dead.letter as this user. */
struct dead_letter {
    const char *config_dir;
    pid_t pid;
    int fd;  /* the helper's stdin; -1 when not running or it stopped reading */
};

static void dead_start(struct dead_letter *d)
{
    char path[PATH_MAX + 32], *args[4];
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    sigset_t pipe_signal;
    int p[2];

    snprintf(path, sizeof path, "%s/%s", launchers, DEAD_LETTER_LAUNCHER);
    args[0] = path;
    args[1] = (char *) d->config_dir;
    args[2] = program;
    args[3] = NULL;
    d->pid = -1;
    d->fd = -1;
    if (pipe(p) != 0) {
        fprintf(stderr, "%s: cannot save dead.letter: %s\n", program, strerror(errno));
        return;
    }
    fcntl(p[0], F_SETFD, FD_CLOEXEC);
    fcntl(p[1], F_SETFD, FD_CLOEXEC);
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, p[0], 0);
    posix_spawnattr_init(&attr);
    sigemptyset(&pipe_signal);
    sigaddset(&pipe_signal, SIGPIPE);
    posix_spawnattr_setsigdefault(&attr, &pipe_signal);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
    errno = posix_spawn(&d->pid, path, &actions, &attr, args, environ);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
    close(p[0]);
    if (errno != 0) {
        fprintf(stderr, "%s: cannot save dead.letter: %s: %s\n", program, path, strerror(errno));
        close(p[1]);
        d->pid = -1;
        return;
    }
    d->fd = p[1];
}

/* ------------------------------------------------------------------ plain I/O */

/* All of buf, to a socket (send) or a file descriptor (write); EPIPE is an error return. */
static int write_all(int fd, int socket, const void *buf, size_t n)
{
    const char *p = buf;

    while (n > 0) {
        ssize_t w = socket ? send(fd, p, n, MSG_NOSIGNAL) : write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            errno = ETIMEDOUT;  /* SO_SNDTIMEO ran out */
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t) w;
    }
    return 0;
}

static int socket_write(void *ctx, const void *buf, size_t n)
{
    return write_all(*(int *) ctx, 1, buf, n);
}

static ssize_t socket_read(void *ctx, void *buf, size_t n)
{
    ssize_t r;

    do
        r = recv(*(int *) ctx, buf, n, 0);
    while (r < 0 && errno == EINTR);
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        errno = ETIMEDOUT;  /* SO_RCVTIMEO ran out */
    return r;
}

static void set_timeout(int fd, int option, int seconds)
{
    struct timeval tv = { seconds, 0 };

    setsockopt(fd, SOL_SOCKET, option, &tv, sizeof tv);
}

/* The record sinks: stdout, stderr, dead.letter; output errors are not the daemon's. */
static void sink_data(void *ctx, enum frame_record tag, const unsigned char *bytes, size_t n)
{
    struct dead_letter *d = ctx;

    if (tag == RECORD_OUT || tag == RECORD_ERR) {
        (void) write_all(tag == RECORD_OUT ? 1 : 2, 0, bytes, n);
    } else if (tag == RECORD_DEAD) {
        if (d->pid == 0)
            dead_start(d);
        if (d->fd >= 0 && write_all(d->fd, 0, bytes, n) != 0) {
            close(d->fd);  /* it stopped reading: it reports why itself */
            d->fd = -1;
        }
    }
}

static void sink_end(void *ctx, enum frame_record tag)
{
    struct dead_letter *d = ctx;
    int status;

    if (tag != RECORD_DEAD || d->pid == 0)
        return;
    if (d->fd >= 0)
        close(d->fd);
    if (d->pid > 0)
        while (waitpid(d->pid, &status, 0) < 0 && errno == EINTR)
            ;
    d->pid = 0;
    d->fd = -1;
}

/* ------------------------------------------------------------------ the conversation */

static int connect_daemon(const char *path)
{
    struct sockaddr_un sa;
    int fd;

    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    set_timeout(fd, SO_SNDTIMEO, ANSWER_TIMEOUT);
    set_timeout(fd, SO_RCVTIMEO, ANSWER_TIMEOUT);
    if (connect(fd, (struct sockaddr *) &sa, sizeof sa) != 0) {
        close(fd);
        return -1;  /* daemon down (a stale socket), or its backlog full */
    }
    return fd;
}

/* One environment entry "NAME=value" as an ITEM, when it is set. */
static int put_env(struct frame_out *out, const char *name)
{
    const char *value = getenv(name);
    size_t n = strlen(name), v;
    char *entry;
    int status;

    if (!value)
        return 0;
    v = strlen(value);
    if (!(entry = malloc(n + v + 2)))
        return -1;
    memcpy(entry, name, n);
    entry[n] = '=';
    memcpy(entry + n + 1, value, v);
    status = frame_put_item(out, entry, n + 1 + v);
    free(entry);
    return status;
}

/* The header: magic, argv without argv[0], the program name, NAME (the full name) and TZ
 * (the zone of a listing's times), the only entries the daemon uses. */
static int send_header(struct frame_out *out, int argc, char **argv)
{
    char count[24];
    int i, bad = 0;

    bad |= frame_put_line(out, FRAME_MAGIC);
    snprintf(count, sizeof count, "%d", argc > 1 ? argc - 1 : 0);
    bad |= frame_put_line(out, count);
    for (i = 1; i < argc; i++)
        bad |= frame_put_item(out, argv[i], strlen(argv[i]));
    bad |= frame_put_item(out, program, strlen(program));
    snprintf(count, sizeof count, "%d", !!getenv("NAME") + !!getenv("TZ"));
    bad |= frame_put_line(out, count);
    bad |= put_env(out, "NAME");
    bad |= put_env(out, "TZ");
    return bad | frame_flush(out);
}

static int lost(const char *why)
{
    fprintf(stderr, "%s: lost the connection to the mail daemon (%s); the message may not "
            "have been queued\n", program, why);
    return EX_TEMPFAIL;
}

/* stdin as ITEMs, then the end ITEM; with dot, up to a line holding only ".". */
static int send_input(struct frame_out *out, int dot)
{
    static unsigned char buf[CHUNK];
    struct frame_dot end;

    frame_dot_init(&end);
    for (;;) {
        ssize_t n = read(0, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            /* No end marker: the daemon queues nothing. */
            fprintf(stderr, "%s: cannot read message: %s\n", program, strerror(errno));
            return EX_IOERR;
        }
        if (n == 0)
            break;
        if (frame_put_item(out, buf, (size_t) n) != 0 || frame_flush(out) != 0)
            return lost(strerror(errno));
        if (dot && frame_dot_found(&end, buf, (size_t) n))
            break;
    }
    if (frame_put_line(out, "0") != 0 || frame_flush(out) != 0)
        return lost(strerror(errno));
    return 0;
}

/* The daemon's records; returns its exit code. */
static int results(int fd, struct frame_in *in, const char *config_dir)
{
    struct dead_letter dead = { config_dir, 0, -1 };
    struct frame_sink sink = { &dead, sink_data, sink_end };
    int code = EX_TEMPFAIL;

    set_timeout(fd, SO_RCVTIMEO, RESULT_TIMEOUT);
    if (frame_results(in, &sink, &code) != FRAME_OK)
        return lost(in->why);
    return code;
}

/* A REPLY's stdout and stderr, held until its EXIT: a reply cut short prints nothing, and
 * the JVM command runs instead (nothing was changed), as SubmitClient does. */
#define MAX_REPLY (256UL << 20)

struct reply {
    unsigned char *bytes[2];
    size_t len[2], cap[2];
    int over;  /* larger than MAX_REPLY: the JVM command lists instead */
};

static void reply_data(void *ctx, enum frame_record tag, const unsigned char *bytes, size_t n)
{
    struct reply *r = ctx;
    int i = tag == RECORD_OUT ? 0 : 1;

    if ((tag != RECORD_OUT && tag != RECORD_ERR) || r->over)
        return;  /* a listing has no dead letter; other tags are skipped */
    if (r->len[i] + n > r->cap[i]) {
        size_t cap = r->cap[i] ? r->cap[i] : 65536;
        unsigned char *grown;
        while (cap < r->len[i] + n)
            cap *= 2;
        if (cap > MAX_REPLY || !(grown = realloc(r->bytes[i], cap))) {
            r->over = 1;
            return;
        }
        r->bytes[i] = grown;
        r->cap[i] = cap;
    }
    memcpy(r->bytes[i] + r->len[i], bytes, n);
    r->len[i] += n;
}

static void reply_end(void *ctx, enum frame_record tag)
{
    (void) ctx;
    (void) tag;
}

/* The REPLY's records; returns its exit code, or -1 when the JVM command must run. */
static int reply(int fd, struct frame_in *in)
{
    struct reply r;
    struct frame_sink sink = { &r, reply_data, reply_end };
    int code = EX_TEMPFAIL;

    memset(&r, 0, sizeof r);
    set_timeout(fd, SO_RCVTIMEO, RESULT_TIMEOUT);
    if (frame_results(in, &sink, &code) != FRAME_OK || r.over) {
        code = -1;
    } else {
        (void) write_all(1, 0, r.bytes[0], r.len[0]);
        (void) write_all(2, 0, r.bytes[1], r.len[1]);
    }
    free(r.bytes[0]);
    free(r.bytes[1]);
    return code;
}

static void name_program(int argc, char **argv)
{
    const char *argv0 = getenv("POSTERN_ARGV0"), *base;

    if (!argv0 || !*argv0)
        argv0 = argc > 0 && argv[0] ? argv[0] : "sendmail";
    base = strrchr(argv0, '/');
    snprintf(program, sizeof program, "%s", base ? base + 1 : argv0);
}

int main(int argc, char **argv)
{
    static struct frame_in in;
    static struct frame_out out;
    struct front_instance inst;
    char line[FRAME_MAX_LINE + 1];
    size_t len;
    int fd, status, admin;
    enum frame_answer answer;
    const char *forced = getenv("POSTERN_SENDMAIL_JVM");

    signal(SIGPIPE, SIG_IGN);
    name_program(argc, argv);
    if (find_launchers(argc > 0 ? argv[0] : NULL) != 0) {
        fprintf(stderr, "%s: cannot find the Postern launchers\n", program);
        return EX_UNAVAILABLE;
    }
    admin = strcmp(program, ADMIN_PROGRAM) == 0;
    if (admin)
        jvm_launcher = ADMIN_JVM_LAUNCHER;
    if ((forced && *forced)
        || (admin ? front_admin_instance(argc, argv, &inst) : front_instance(argc, argv, &inst)) != 0
        || (fd = connect_daemon(inst.socket)) < 0)
        exec_jvm(argc, argv);

    /* Before SEND or REPLY, any failure means: run the JVM command instead. */
    frame_out_init(&out, socket_write, &fd);
    frame_in_init(&in, socket_read, &fd);
    if (send_header(&out, argc, argv) != 0
        || frame_line(&in, line, FRAME_MAX_LINE, &len) != FRAME_OK) {
        close(fd);
        exec_jvm(argc, argv);
    }
    answer = frame_answer(line, len);
    if (admin && answer != ANSWER_REPLY)
        answer = ANSWER_LOCAL;  /* postern is never a submission: close before any data */
    switch (answer) {
    case ANSWER_SEND_EOF:
    case ANSWER_SEND_DOT:
        /* From here on the daemon may queue the message: no fallback. */
        status = send_input(&out, answer == ANSWER_SEND_DOT);
        if (status == 0)
            status = results(fd, &in, inst.config_dir);
        break;
    case ANSWER_REPLY:
        status = reply(fd, &in);
        if (status < 0) {
            close(fd);
            exec_jvm(argc, argv);
        }
        break;
    default:
        close(fd);
        exec_jvm(argc, argv);
        return EX_UNAVAILABLE;  /* not reached: exec_jvm exits */
    }
    close(fd);
    return status;
}
