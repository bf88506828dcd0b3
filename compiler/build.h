/*
 * build.h - compiling emitted C into a program with the system's C compiler.
 */
#ifndef ASL_BUILD_H
#define ASL_BUILD_H

/* Compile c_file plus the nsrc extra sources (task handlers) into the program
 * out, linked against libaslrt (found in the build tree when aslc runs from
 * it, else in the installed prefix) and cJSON. $CC (default cc) and
 * $ASLC_CFLAGS (space-separated, default -O2) are honoured. Runs the compiler
 * without a shell. Returns 0, or -1 after printing why to stderr. */
int asl_build_program(const char *c_file, const char *const *srcs, int nsrc,
		      const char *out);

#endif
