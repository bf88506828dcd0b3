/*
 * tmpdir.h - scratch directories for unit tests that need files (mock configs,
 * bindings files, small /bin/sh scripts). Header-only: static inline helpers,
 * so a test that does not use one does not warn. Paths returned are malloc'd
 * (free them); every helper aborts the test through check's ck_abort_msg when
 * the file system fails, since nothing useful can follow.
 */
#ifndef ASLRT_TEST_TMPDIR_H
#define ASLRT_TEST_TMPDIR_H

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A new empty directory under $TMPDIR (or /tmp). */
static inline char *td_make(void)
{
	const char *base = getenv("TMPDIR");
	if (!base || !*base)
		base = "/tmp";
	size_t n = strlen(base) + sizeof "/aslrt-test-XXXXXX";
	char *dir = malloc(n);
	ck_assert_ptr_nonnull(dir);
	snprintf(dir, n, "%s/aslrt-test-XXXXXX", base);
	if (!mkdtemp(dir))
		ck_abort_msg("mkdtemp %s failed", dir);
	return dir;
}

/* dir/name (malloc'd). */
static inline char *td_path(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);
	ck_assert_ptr_nonnull(p);
	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

/* Write text to dir/name with the given mode (0644 data, 0755 scripts);
 * returns the path (malloc'd). */
static inline char *td_write(const char *dir, const char *name, const char *text, int mode)
{
	char *p = td_path(dir, name);
	FILE *f = fopen(p, "w");
	if (!f)
		ck_abort_msg("cannot create %s", p);
	fputs(text, f);
	if (fclose(f) != 0 || chmod(p, (mode_t)mode) != 0)
		ck_abort_msg("cannot write %s", p);
	return p;
}

/* Remove dir and the files in it (no subdirectories), then free dir. */
static inline void td_remove(char *dir)
{
	DIR *d = opendir(dir);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			char *p = td_path(dir, e->d_name);
			unlink(p);
			free(p);
		}
		closedir(d);
	}
	rmdir(dir);
	free(dir);
}

#endif /* ASLRT_TEST_TMPDIR_H */
