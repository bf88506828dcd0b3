/*
 * store_io.c - the record frame shared by every store backend (length,
 * CRC-32C, kind, flags, execution name, payload) and rt_store_posix, the
 * real OS calls behind struct rt_store_io.
 */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

size_t rt_rec_body_size(const struct rt_rec *r)
{
	return 4 + r->nlen + r->len;
}

/* The CRC covers the length field too, so a corrupted length that happens
 * to land on plausible bytes is still caught. */
static uint32_t frame_crc(const unsigned char *lenfield, const unsigned char *body, size_t n)
{
	return rt_crc32c(rt_crc32c(0, lenfield, 4), body, n);
}

void rt_rec_frame(const struct rt_rec *r, unsigned char *out)
{
	size_t body = rt_rec_body_size(r);
	unsigned char *b = out + RT_REC_HEADER;
	put32(out, (uint32_t)body);
	b[0] = r->kind;
	b[1] = r->flags;
	b[2] = (unsigned char)r->nlen;
	b[3] = (unsigned char)(r->nlen >> 8);
	memcpy(b + 4, r->name, r->nlen);
	memcpy(b + 4 + r->nlen, r->data, r->len);
	put32(out + 4, frame_crc(out, b, body));
}

size_t rt_rec_parse(const unsigned char *p, size_t avail, struct rt_rec *r)
{
	if (avail < RT_REC_HEADER)
		return 0;
	uint32_t body = get32(p);
	if (body < 4 || body > RT_REC_MAX || body > avail - RT_REC_HEADER)
		return 0;
	const unsigned char *b = p + RT_REC_HEADER;
	if (frame_crc(p, b, body) != get32(p + 4))
		return 0;
	size_t nlen = (size_t)b[2] | (size_t)b[3] << 8;
	if (4 + nlen > body || b[0] == 0)
		return 0;
	r->kind = b[0];
	r->flags = b[1];
	r->nlen = nlen;
	r->name = (const char *)b + 4;
	r->data = (const char *)b + 4 + nlen;
	r->len = body - 4 - nlen;
	return RT_REC_HEADER + body;
}

int rt_sync_mode_parse(const char *s, enum rt_sync_mode *out)
{
	if (strcmp(s, "batch") == 0)
		*out = RT_SYNC_BATCH;
	else if (strcmp(s, "always") == 0)
		*out = RT_SYNC_ALWAYS;
	else if (strcmp(s, "none") == 0)
		*out = RT_SYNC_NONE;
	else
		return -1;
	return 0;
}

/* ------------------------------------------------------------ POSIX */

static int px_open(struct rt_store_io *io, const char *path, int flags, mode_t mode)
{
	(void)io;
	int fd;
	do
		fd = open(path, flags | O_CLOEXEC, mode);
	while (fd < 0 && errno == EINTR);
	return fd;
}

/* Writes all n bytes unless an error stops it (a short count is then
 * returned only when nothing failed, which does not happen for files). */
static ssize_t px_write(struct rt_store_io *io, int fd, const void *buf, size_t n)
{
	(void)io;
	size_t done = 0;
	while (done < n) {
		ssize_t w = write(fd, (const char *)buf + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		done += (size_t)w;
	}
	return (ssize_t)done;
}

static ssize_t px_pread(struct rt_store_io *io, int fd, void *buf, size_t n, off_t off)
{
	(void)io;
	ssize_t r;
	do
		r = pread(fd, buf, n, off);
	while (r < 0 && errno == EINTR);
	return r;
}

static off_t px_size(struct rt_store_io *io, int fd)
{
	(void)io;
	struct stat st;
	return fstat(fd, &st) == 0 ? st.st_size : -1;
}

static int px_sync(struct rt_store_io *io, int fd)
{
	(void)io;
	return fdatasync(fd);
}

static int px_truncate(struct rt_store_io *io, int fd, off_t len)
{
	(void)io;
	return ftruncate(fd, len);
}

static int px_rename(struct rt_store_io *io, const char *from, const char *to)
{
	(void)io;
	return rename(from, to);
}

static int px_unlink(struct rt_store_io *io, const char *path)
{
	(void)io;
	return unlink(path);
}

static int px_close(struct rt_store_io *io, int fd)
{
	(void)io;
	return close(fd);
}

/* A rename or a new file is durable only once its directory is synced. */
static int px_sync_dir(struct rt_store_io *io, const char *dir)
{
	(void)io;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

struct rt_store_io rt_store_posix = {
	px_open, px_write, px_pread, px_size, px_sync, px_truncate, px_rename, px_unlink,
	px_close, px_sync_dir,
};
