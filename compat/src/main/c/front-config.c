/* front-config: finds the instance (-C, POSTERN_CONFIG, /etc/postern) and its submission
 * socket exactly as the JVM does; trusts argv and main.cf only where it mirrors the JVM. */
#include "front-config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "front-params.h"  /* generated: FRONT_OPTSTRING, FRONT_PARAMS */

#define SYSTEM_CONFIG_DIR "/etc/postern"
#define MAX_MAIN_CF (1L << 20)  /* larger: the JVM reads it */
#define MAX_SETTINGS 4096
#define MAX_DEPTH 16            /* $name nesting; deeper (or a loop): the JVM expands it */

/* ------------------------------------------------------------------ -C, as the parser sees it */

/* Whether optstring says the letter takes a value (Java's indexOf test, ':' included). */
static int takes_value(int letter)
{
    const char *p = strchr(FRONT_OPTSTRING, letter);
    return p && p[1] == ':';
}

static int known_letter(int letter)
{
    return letter != ':' && strchr(FRONT_OPTSTRING, letter) != NULL;
}

/* ObsoleteArgs.rewrite: bare -C, -q, -Q, -d get sendmail's implied values. */
static int rewrite_obsolete(int n, const char **args)
{
    int i;

    for (i = 0; i < n; i++) {
        const char *ap = args[i], *next = i + 1 < n ? args[i + 1] : NULL;
        size_t len = strlen(ap);
        if (len < 2 || ap[0] != '-' || ap[1] == '-')
            break;
        if (ap[1] == 'Q' && (strncmp(ap, "-Q.", 3) == 0 || (next && strcmp(next, ".") == 0)))
            return -1;  /* "Can not use -Q.": the JVM says so */
        if (takes_value(ap[1]) && len == 2 && ap[1] != 'd' && next && next[0] != '-') {
            i++;
            continue;
        }
        if (len == 2) {
            switch (ap[1]) {
            case 'C': args[i] = "-C."; break;
            case 'q': args[i] = "-q0"; break;
            case 'Q': args[i] = "-Q."; break;
            case 'd': args[i] = "-d0-99.1"; break;
            default: break;
            }
        }
    }
    return 0;
}

/* Getopt over the rewritten args: the last -C value, or *flag NULL; -1 on a usage error. */
static int scan_options(int n, const char **args, const char **flag)
{
    int optind = 0;
    size_t place = 0;

    *flag = NULL;
    for (;;) {
        const char *arg;
        size_t len;
        int letter;
        if (place == 0) {
            if (optind >= n)
                return 0;
            arg = args[optind];
            if (strlen(arg) < 2 || arg[0] != '-')
                return 0;
            if (strcmp(arg, "--") == 0)
                return 0;
            place = 1;
        }
        arg = args[optind];
        len = strlen(arg);
        letter = (unsigned char) arg[place++];
        if (!known_letter(letter))
            return -1;  /* "illegal option": the JVM prints the usage error */
        if (!takes_value(letter)) {
            if (place >= len) {
                optind++;
                place = 0;
            }
            continue;
        }
        if (place < len)
            arg += place;
        else if (optind + 1 < n)
            arg = args[++optind];
        else
            return -1;  /* "option requires an argument" */
        optind++;
        place = 0;
        if (letter == 'C')
            *flag = arg;
    }
}

/* ------------------------------------------------------------------ the configuration directory */

static int ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char) *s >= 0x80)
            return 0;  /* the JVM decodes it by the locale: not ours to guess */
    return 1;
}

/* Path.of(dir).toAbsolutePath().normalize(), then main.cf's parent (Instance.configDir). */
static int absolute_dir(const char *dir, char *out, size_t size)
{
    char path[2 * PATH_MAX + 2], *comp, *save = NULL, *slash;
    size_t used = 0;

    if (dir[0] == '/') {
        if (strlen(dir) >= sizeof path)
            return -1;
        strcpy(path, dir);
    } else {
        if (!getcwd(path, PATH_MAX))
            return -1;
        if (strlen(path) + 1 + strlen(dir) >= sizeof path)
            return -1;
        strcat(path, "/");
        strcat(path, dir);
    }
    out[0] = 0;
    for (comp = strtok_r(path, "/", &save); comp; comp = strtok_r(NULL, "/", &save)) {
        if (strcmp(comp, ".") == 0)
            continue;
        if (strcmp(comp, "..") == 0) {
            slash = strrchr(out, '/');
            used = slash ? (size_t) (slash - out) : 0;
            out[used] = 0;
            continue;
        }
        if (used + 1 + strlen(comp) >= size)
            return -1;
        out[used++] = '/';
        strcpy(out + used, comp);
        used += strlen(comp);
    }
    /* Postfix's -C accepts main.cf itself as well as its directory. */
    slash = strrchr(out, '/');
    if (slash && strcmp(slash, "/main.cf") == 0)
        *slash = 0;
    if (out[0] == 0)
        strcpy(out, "/");
    return 0;
}

static int resolve_dir(const char *flag, char *out, size_t size);

static int config_dir(int argc, char **argv, char *out, size_t size)
{
    const char **args, *flag = NULL;
    int n = argc > 1 ? argc - 1 : 0, status;

    args = malloc(sizeof *args * (size_t) (n + 1));
    if (!args)
        return -1;
    if (n > 0)
        memcpy(args, argv + 1, sizeof *args * (size_t) n);
    status = rewrite_obsolete(n, args);
    if (status == 0)
        status = scan_options(n, args, &flag);
    free(args);
    if (status != 0)
        return -1;
    return resolve_dir(flag, out, size);
}

/* Instance.configDir: the flag's directory, else POSTERN_CONFIG's, else the system's. */
static int resolve_dir(const char *flag, char *out, size_t size)
{
    const char *dir = flag ? flag : getenv("POSTERN_CONFIG");

    if (!dir || !*dir) {
        snprintf(out, size, "%s", SYSTEM_CONFIG_DIR);
        return 0;
    }
    return ascii(dir) ? absolute_dir(dir, out, size) : -1;
}

/* ------------------------------------------------------------------ main.cf (MainCf.parse) */

struct main_cf {
    char *names[MAX_SETTINGS];
    char *values[MAX_SETTINGS];
    int count;
};

/* Java's Character.isWhitespace, for the ASCII a usable main.cf holds. */
static int jspace(int c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

/* String.strip(): the bounds of s[0..len) without white space at either end. */
static const char *strip(const char *s, size_t *len)
{
    while (*len > 0 && jspace((unsigned char) s[0])) {
        s++;
        (*len)--;
    }
    while (*len > 0 && jspace((unsigned char) s[*len - 1]))
        (*len)--;
    return s;
}

static const struct front_param *param(const char *name, size_t len)
{
    size_t i;

    for (i = 0; i < sizeof FRONT_PARAMS / sizeof FRONT_PARAMS[0]; i++)
        if (strlen(FRONT_PARAMS[i].name) == len && memcmp(FRONT_PARAMS[i].name, name, len) == 0)
            return &FRONT_PARAMS[i];
    return NULL;
}

/* ParameterName.parse: NAME or PORT.NAME of a known parameter (else MainCf warns). */
static int known_name(const char *name, size_t len)
{
    const char *dot = memchr(name, '.', len);
    size_t digits, i;
    long port = 0;

    if (!dot)
        return param(name, len) != NULL;
    digits = (size_t) (dot - name);
    if (digits < 1 || digits > 5)
        return 0;
    for (i = 0; i < digits; i++) {
        if (name[i] < '0' || name[i] > '9')
            return 0;
        port = port * 10 + (name[i] - '0');
    }
    return port <= 65535 && param(dot + 1, len - digits - 1) != NULL;
}

/* MainCf.addSetting; -1 where the JVM would fail or warn. */
static int add_setting(struct main_cf *cf, const char *text, size_t len)
{
    const char *eq = memchr(text, '=', len), *name, *value;
    size_t name_len, value_len, i;

    if (!eq || cf->count >= MAX_SETTINGS)
        return -1;
    name_len = (size_t) (eq - text);
    name = strip(text, &name_len);
    if (name_len == 0)
        return -1;
    for (i = 0; i < name_len; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
              || c == '_' || c == '.' || c == '-'))
            return -1;
    }
    if (!known_name(name, name_len))
        return -1;  /* "unused parameter": the JVM prints the warning */
    value_len = len - (size_t) (eq + 1 - text);
    value = strip(eq + 1, &value_len);
    cf->names[cf->count] = strndup(name, name_len);
    cf->values[cf->count] = strndup(value, value_len);
    if (!cf->names[cf->count] || !cf->values[cf->count])
        return -1;
    cf->count++;
    return 0;
}

/* The next line of text[*pos..size) as BufferedReader.readLine splits (LF, CRLF or CR). */
static int next_line(const char *text, size_t size, size_t *pos, size_t *start, size_t *len)
{
    size_t i = *pos;

    if (i >= size)
        return 0;
    *start = i;
    while (i < size && text[i] != '\n' && text[i] != '\r')
        i++;
    *len = i - *start;
    if (i < size && text[i] == '\r' && i + 1 < size && text[i + 1] == '\n')
        i++;
    *pos = i < size ? i + 1 : i;
    return 1;
}

/* Comments anywhere, continuation lines, "name = value"; -1 where the JVM would complain. */
static int parse_main_cf(struct main_cf *cf, const char *text, size_t size)
{
    char *logical = malloc(2 * size + 2);
    size_t pos = 0, used = 0, start = 0, len = 0;
    int have = 0, more = 1, status = 0;

    if (!logical)
        return -1;
    while (status == 0) {
        const char *line = NULL, *s = NULL;
        size_t slen = 0;
        int continuation = 0;
        if (more && (more = next_line(text, size, &pos, &start, &len)) != 0) {
            line = text + start;
            continuation = len > 0 && jspace((unsigned char) line[0]);
            slen = len;
            s = strip(line, &slen);
            if (slen > 0 && s[0] == '#')
                continue;  /* comments may sit anywhere, also inside a continued value */
            if (continuation && have) {
                logical[used++] = ' ';
                memcpy(logical + used, s, slen);
                used += slen;
                continue;
            }
        }
        if (have) {
            status = add_setting(cf, logical, used);
            have = 0;
        }
        if (!line)
            break;
        if (slen == 0)
            continue;  /* a blank line */
        if (continuation)
            status = -1;  /* "text before first parameter" */
        memcpy(logical, s, slen);
        used = slen;
        have = 1;
    }
    free(logical);
    return status;
}

/* Reads DIR/main.cf whole: a regular file of ASCII text (else the JVM reads it). */
static char *read_main_cf(const char *dir, size_t *size)
{
    char path[PATH_MAX + 16], *text;
    struct stat st;
    ssize_t n = 0;
    size_t i;
    int fd;

    snprintf(path, sizeof path, "%s/main.cf", strcmp(dir, "/") == 0 ? "" : dir);
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > MAX_MAIN_CF
        || !(text = malloc((size_t) st.st_size + 1))) {
        close(fd);
        return NULL;
    }
    for (*size = 0; *size <= (size_t) st.st_size; *size += (size_t) n) {
        n = read(fd, text + *size, (size_t) st.st_size + 1 - *size);
        if (n <= 0)
            break;
    }
    close(fd);
    if (n < 0 || *size > (size_t) st.st_size) {
        free(text);  /* unreadable, or it grew while we read it */
        return NULL;
    }
    for (i = 0; i < *size; i++) {
        if (text[i] == 0 || (unsigned char) text[i] >= 0x80) {
            free(text);
            return NULL;
        }
    }
    return text;
}

/* ------------------------------------------------------------------ $name expansion (Config) */

struct expansion {
    const struct main_cf *cf;
    const char *seen[MAX_DEPTH];
    int depth;
};

static const char *setting(const struct main_cf *cf, const char *name, size_t len)
{
    int i;

    for (i = cf->count - 1; i >= 0; i--)  /* a later duplicate wins, as in Postfix */
        if (strlen(cf->names[i]) == len && memcmp(cf->names[i], name, len) == 0)
            return cf->values[i];
    return NULL;
}

static int expand(struct expansion *x, const char *value, char *out, size_t size, size_t *used);

/* Config.lookup of one $name; -1 for what needs the host name, unknown names and loops. */
static int lookup(struct expansion *x, const char *name, size_t len, char *out, size_t size,
                  size_t *used)
{
    const struct front_param *p = param(name, len);
    const char *raw;
    int i, status;

    if (!p || strcmp(p->name, "myhostname") == 0 || strcmp(p->name, "mydomain") == 0
        || strcmp(p->name, "myorigin") == 0 || x->depth >= MAX_DEPTH)
        return -1;
    for (i = 0; i < x->depth; i++)
        if (strcmp(x->seen[i], p->name) == 0)
            return -1;
    raw = setting(x->cf, name, len);
    x->seen[x->depth++] = p->name;
    status = expand(x, raw ? raw : p->value, out, size, used);
    x->depth--;
    return status;
}

static int append(char *out, size_t size, size_t *used, const char *s, size_t n)
{
    if (*used + n >= size)
        return -1;
    memcpy(out + *used, s, n);
    *used += n;
    out[*used] = 0;
    return 0;
}

/* Config.expand: $name and ${name}; a '$' at the end, or "${" without '}', stays as is. */
static int expand(struct expansion *x, const char *value, char *out, size_t size, size_t *used)
{
    size_t i, len = strlen(value);

    for (i = 0; i < len; i++) {
        const char *name, *close;
        size_t name_len;
        if (value[i] != '$' || i + 1 >= len) {
            if (append(out, size, used, value + i, 1) != 0)
                return -1;
            continue;
        }
        if (value[i + 1] == '{') {
            close = strchr(value + i, '}');
            if (!close) {
                if (append(out, size, used, "$", 1) != 0)
                    return -1;
                continue;
            }
            name = value + i + 2;
            name_len = (size_t) (close - name);
            i = (size_t) (close - value);
        } else {
            name = value + i + 1;
            for (name_len = 0; name[name_len] == '_' || (name[name_len] >= 'a' && name[name_len] <= 'z')
                               || (name[name_len] >= 'A' && name[name_len] <= 'Z')
                               || (name[name_len] >= '0' && name[name_len] <= '9'); name_len++)
                ;
            i += name_len;
        }
        if (lookup(x, name, name_len, out, size, used) != 0)
            return -1;
    }
    return 0;
}

/* Config.path: the expanded value, resolved against base when relative. */
static int path_of(const struct main_cf *cf, const char *name, const char *base, char *out,
                   size_t size)
{
    struct expansion x = { cf, { NULL }, 0 };
    char value[PATH_MAX];
    size_t used = 0;

    value[0] = 0;
    if (lookup(&x, name, strlen(name), value, sizeof value, &used) != 0)
        return -1;
    if (value[0] == '/' || value[0] == 0)
        return snprintf(out, size, "%s", value[0] ? value : base) < (int) size ? 0 : -1;
    return snprintf(out, size, "%s/%s", base, value) < (int) size ? 0 : -1;
}

/* ------------------------------------------------------------------ the instance */

static int socket_of(const struct main_cf *cf, struct front_instance *inst)
{
    char root[PATH_MAX], queue[PATH_MAX];

    if (path_of(cf, "root", inst->config_dir, root, sizeof root) != 0
        || path_of(cf, "queue_directory", root, queue, sizeof queue) != 0)
        return -1;
    return snprintf(inst->socket, sizeof inst->socket, "%s/public/submit", queue)
                   < (int) sizeof inst->socket ? 0 : -1;
}

/* main.cf of inst->config_dir, and the socket its queue_directory gives. */
static int instance_socket(struct front_instance *inst)
{
    struct main_cf *cf;
    char *text;
    size_t size;
    int status, i;

    if (!(text = read_main_cf(inst->config_dir, &size)))
        return -1;
    if (!(cf = calloc(1, sizeof *cf))) {
        free(text);
        return -1;
    }
    status = parse_main_cf(cf, text, size);
    if (status == 0)
        status = socket_of(cf, inst);
    for (i = 0; i < cf->count; i++) {
        free(cf->names[i]);
        free(cf->values[i]);
    }
    free(cf);
    free(text);
    return status;
}

int front_instance(int argc, char **argv, struct front_instance *inst)
{
    if (config_dir(argc, argv, inst->config_dir, sizeof inst->config_dir) != 0)
        return -1;
    return instance_socket(inst);
}

/*
 * PosternCommand's global options (Commons CLI, stopping at the verb) in the one shape read
 * here with certainty: an optional "-C DIR" (DIR not empty, not led by '-'), then the verb
 * "queue". Anything else (-CDIR, --, a second -C, another verb) is the JVM's to read.
 */
int front_admin_instance(int argc, char **argv, struct front_instance *inst)
{
    const char *flag = NULL;
    int verb = 1;

    if (argc > 3 && strcmp(argv[1], "-C") == 0 && argv[2][0] && argv[2][0] != '-') {
        flag = argv[2];
        verb = 3;
    }
    if (verb >= argc || strcmp(argv[verb], "queue") != 0)
        return -1;
    if (resolve_dir(flag, inst->config_dir, sizeof inst->config_dir) != 0)
        return -1;
    return instance_socket(inst);
}
