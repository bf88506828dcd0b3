/*
 * build.c - run cc on the emitted C. See build.h.
 */
#include "build.h"

#include <errno.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "aslc_config.h"

extern char **environ;

/* Where the runtime's header and static library are: the build tree when this
 * aslc is the one built there, else the install prefix. */
/* The runtime's header directory (*inc; its jsonata/ast.h, which programs
 * with JSONata states include, is under *inc2) and static library. */
static void runtime_dirs(const char **inc, const char **inc2, char *lib, size_t liblen)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	self[n > 0 ? n : 0] = '\0';
	if (n > 0 && strcmp(self, ASLC_BUILD_ROOT "/compiler/aslc") == 0) {
		*inc = ASLC_SOURCE_ROOT "/runtime/include";
		*inc2 = ASLC_SOURCE_ROOT "/runtime";
		snprintf(lib, liblen, "%s", ASLC_BUILD_ROOT "/runtime/libaslrt.a");
	} else {
		*inc = ASLC_INCLUDEDIR;
		*inc2 = ASLC_INCLUDEDIR;
		snprintf(lib, liblen, "%s", ASLC_LIBDIR "/libaslrt.a");
	}
}

/* Split a space-separated list into argv slots; returns the count added. */
static int split(char *s, const char **argv, int room)
{
	int n = 0;
	for (char *tok = strtok(s, " \t"); tok && n < room; tok = strtok(NULL, " \t"))
		argv[n++] = tok;
	return n;
}

int asl_build_program(const char *c_file, const char *const *srcs, int nsrc,
		      const char *out)
{
	const char *inc, *inc2;
	char lib[PATH_MAX + 32], incflag[PATH_MAX + 8], incflag2[PATH_MAX + 8];
	runtime_dirs(&inc, &inc2, lib, sizeof lib);
	snprintf(incflag, sizeof incflag, "-I%s", inc);
	snprintf(incflag2, sizeof incflag2, "-I%s", inc2);
	if (access(lib, R_OK) != 0) {
		fprintf(stderr, "aslc: cannot find the runtime library %s: %s\n", lib, strerror(errno));
		return -1;
	}
	const char *cc = getenv("CC");
	char *cflags = strdup(getenv("ASLC_CFLAGS") ? getenv("ASLC_CFLAGS") : "-O2");
	char *san = strdup(ASLC_SANITIZE);
	int room = 64 + nsrc;
	const char **argv = calloc((size_t)room, sizeof *argv);
	if (!cflags || !san || !argv) {
		free(cflags);
		free(san);
		free(argv);
		fprintf(stderr, "aslc: out of memory\n");
		return -1;
	}
	int n = 0;
	argv[n++] = cc && *cc ? cc : "cc";
	argv[n++] = "-std=c11";
	n += split(cflags, argv + n, 16);
	n += split(san, argv + n, 4);
	argv[n++] = incflag;
	argv[n++] = incflag2;
	argv[n++] = "-o";
	argv[n++] = out;
	argv[n++] = c_file;
	for (int i = 0; i < nsrc; i++)
		argv[n++] = srcs[i];
	argv[n++] = lib;
	argv[n++] = "-lcjson";
	argv[n++] = "-lm";
	argv[n++] = "-pthread";
	argv[n] = NULL;

	pid_t pid;
	int rc = posix_spawnp(&pid, argv[0], NULL, NULL, (char *const *)argv, environ);
	int status = 0;
	if (rc != 0)
		fprintf(stderr, "aslc: cannot run %s: %s\n", argv[0], strerror(rc));
	else if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fprintf(stderr, "aslc: %s failed building %s\n", argv[0], out);
	free(cflags);
	free(san);
	free(argv);
	return rc == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}
