/* front-config: which Postern instance a sendmail call is for, and its submission socket.
 * Trusts the caller's argv, environment and main.cf only as far as it mirrors the JVM. */
#ifndef POSTERN_FRONT_CONFIG_H
#define POSTERN_FRONT_CONFIG_H

#include <limits.h>
#include <sys/un.h>

/* A main.cf parameter Postern knows, with its built-in default (front-params.h). */
struct front_param {
    const char *name;
    const char *value;
};

struct front_instance {
    char config_dir[PATH_MAX];                    /* absolute, normalised */
    char socket[sizeof ((struct sockaddr_un *) 0)->sun_path];  /* $queue_directory/public/submit */
};

/*
 * Finds the instance as the JVM commands do: the last -C of sendmail's getopt scan (after
 * its pre-pass), else POSTERN_CONFIG, else /etc/postern; then main.cf's queue_directory.
 * Returns 0, or -1 whenever the answer is not certain (a usage error, a main.cf the JVM
 * would complain about or warn of, an expansion that needs the host name, ...): the JVM
 * command must run then.
 */
int front_instance(int argc, char **argv, struct front_instance *inst);

/*
 * The same for the admin command's "postern [-C DIR] queue ...": -C as PosternCommand reads
 * it, else POSTERN_CONFIG, else /etc/postern. Returns -1 for any other shape of argv.
 */
int front_admin_instance(int argc, char **argv, struct front_instance *inst);

#endif
