/*
 * s3local.c - the local directory that stands in for Amazon S3. An object
 * s3://bucket/key is the file $ASLRT_S3_ROOT/bucket/key (root ./s3 unless
 * the variable is set); a key given without a bucket is a plain file path.
 */
#include "dmap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* a + b + c as one new string (rt_free), NULL when out of memory. */
static char *join3(const char *a, const char *b, const char *c)
{
	size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
	char *s = rt_malloc(la + lb + lc + 1);
	if (s) {
		memcpy(s, a, la);
		memcpy(s + la, b, lb);
		memcpy(s + la + lb, c, lc + 1);
	}
	return s;
}

char *rt_s3_path(const char *bucket, const char *key)
{
	char *split = NULL;
	if (!bucket && strncmp(key, "s3://", 5) == 0) {
		split = rt_strdup(key + 5);
		if (!split)
			return NULL;
		char *slash = strchr(split, '/');
		bucket = split;
		key = "";
		if (slash) {
			*slash = '\0';
			key = slash + 1;
		}
	}
	if (!bucket) {
		rt_free(split);
		return rt_strdup(key);
	}
	const char *root = getenv("ASLRT_S3_ROOT");
	if (!root || !*root)
		root = "./s3";
	char *dir = join3(root, "/", bucket);
	char *path = dir ? join3(dir, *key ? "/" : "", key) : NULL;
	rt_free(dir);
	rt_free(split);
	return path;
}

int rt_mkdirs(const char *dir)
{
	char *p = rt_strdup(dir);
	if (!p) {
		errno = ENOMEM;
		return -1;
	}
	int rc = 0;
	for (char *q = p + 1; rc == 0; q++) {
		int end = *q == '\0';
		if (*q != '/' && !end)
			continue;
		*q = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST)
			rc = -1;
		if (end)
			break;
		*q = '/';
	}
	rt_free(p);
	return rc;
}
