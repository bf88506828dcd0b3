/*
 * store_fault.c - a fault-injecting struct rt_store_io for tests (SQLite's
 * crash-test VFS is the model): fail the Nth write (optionally after writing
 * part of it) or the Nth fsync, or "crash" at the Nth sync point, after
 * which every call fails as if the process had died. It tracks, per file,
 * how much was written and how much was synced, so rt_fault_power_loss can
 * then throw away what a power cut would have lost, keeping any chosen
 * prefix of each unsynced tail (every prefix is a possible torn write).
 */
#include "rt.h"
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

static struct rt_fault_io *F(struct rt_store_io *io)
{
	return (struct rt_fault_io *)io;
}

static struct rt_fault_file *file_of(struct rt_fault_io *f, int fd)
{
	for (int i = 0; i < f->nfiles; i++)
		if (f->files[i].fd == fd)
			return &f->files[i];
	return NULL;
}

static int f_open(struct rt_store_io *io, const char *path, int flags, mode_t mode)
{
	struct rt_fault_io *f = F(io);
	if (f->crashed) {
		errno = EIO;
		return -1;
	}
	int fd = f->real->open(f->real, path, flags, mode);
	if (fd >= 0 && (flags & (O_WRONLY | O_RDWR))) {
		struct rt_fault_file *ff = NULL;
		for (int i = 0; i < f->nfiles && !ff; i++)
			if (strcmp(f->files[i].path, path) == 0)
				ff = &f->files[i];
		if (!ff && f->nfiles < (int)(sizeof f->files / sizeof f->files[0])) {
			ff = &f->files[f->nfiles++];
			ff->path = rt_strdup(path);
			off_t sz = f->real->size(f->real, fd);
			ff->size = ff->synced = (flags & O_TRUNC) || sz < 0 ? 0 : sz;
		}
		if (ff)
			ff->fd = fd;
	}
	return fd;
}

static ssize_t f_write(struct rt_store_io *io, int fd, const void *buf, size_t n)
{
	struct rt_fault_io *f = F(io);
	if (f->crashed) {
		errno = EIO;
		return -1;
	}
	struct rt_fault_file *ff = file_of(f, fd);
	if (++f->writes == f->fail_write_at) {
		size_t part = f->short_write > 0 && (size_t)f->short_write < n
				      ? (size_t)f->short_write : 0;
		if (part && f->real->write(f->real, fd, buf, part) == (ssize_t)part && ff)
			ff->size += (off_t)part;
		errno = EIO;
		return -1;
	}
	ssize_t w = f->real->write(f->real, fd, buf, n);
	if (w > 0 && ff)
		ff->size += w;
	return w;
}

static ssize_t f_pread(struct rt_store_io *io, int fd, void *buf, size_t n, off_t off)
{
	struct rt_fault_io *f = F(io);
	if (f->crashed) {
		errno = EIO;
		return -1;
	}
	return f->real->pread(f->real, fd, buf, n, off);
}

static off_t f_size(struct rt_store_io *io, int fd)
{
	struct rt_fault_io *f = F(io);
	return f->real->size(f->real, fd);
}

/* Every fsync is a sync point. */
static int f_sync(struct rt_store_io *io, int fd)
{
	struct rt_fault_io *f = F(io);
	if (f->crashed) {
		errno = EIO;
		return -1;
	}
	f->syncs++;
	if (f->syncs == f->crash_at_sync) {
		f->crashed = 1;
		errno = EIO;
		return -1;
	}
	if (f->syncs == f->fail_sync_at) {
		errno = EIO;
		return -1;
	}
	int rc = f->real->sync(f->real, fd);
	struct rt_fault_file *ff = file_of(f, fd);
	if (rc == 0 && ff)
		ff->synced = ff->size;
	return rc;
}

static int f_truncate(struct rt_store_io *io, int fd, off_t len)
{
	struct rt_fault_io *f = F(io);
	if (f->crashed) {
		errno = EIO;
		return -1;
	}
	int rc = f->real->truncate(f->real, fd, len);
	struct rt_fault_file *ff = file_of(f, fd);
	if (rc == 0 && ff) {
		ff->size = len;
		if (ff->synced > len)
			ff->synced = len;
	}
	return rc;
}

static int f_rename(struct rt_store_io *io, const char *from, const char *to)
{
	struct rt_fault_io *f = F(io);
	if (f->crashed) {
		errno = EIO;
		return -1;
	}
	int rc = f->real->rename(f->real, from, to);
	for (int i = 0; rc == 0 && i < f->nfiles; i++) {
		if (strcmp(f->files[i].path, to) == 0)
			f->files[i].fd = -1, f->files[i].size = f->files[i].synced = 0;
		if (strcmp(f->files[i].path, from) == 0) {
			char *p = rt_strdup(to);
			if (p) {
				rt_free(f->files[i].path);
				f->files[i].path = p;
			}
		}
	}
	return rc;
}

static int f_unlink(struct rt_store_io *io, const char *path)
{
	struct rt_fault_io *f = F(io);
	if (f->crashed) {
		errno = EIO;
		return -1;
	}
	return f->real->unlink(f->real, path);
}

/* Closing always reaches the OS, even after a crash: no descriptor leaks. */
static int f_close(struct rt_store_io *io, int fd)
{
	struct rt_fault_io *f = F(io);
	struct rt_fault_file *ff = file_of(f, fd);
	if (ff)
		ff->fd = -1;
	return f->real->close(f->real, fd);
}

static int f_sync_dir(struct rt_store_io *io, const char *dir)
{
	struct rt_fault_io *f = F(io);
	if (f->crashed) {
		errno = EIO;
		return -1;
	}
	return f->real->sync_dir(f->real, dir);
}

void rt_fault_init(struct rt_fault_io *f)
{
	memset(f, 0, sizeof *f);
	f->io = (struct rt_store_io){ f_open, f_write, f_pread, f_size, f_sync, f_truncate,
				      f_rename, f_unlink, f_close, f_sync_dir };
	f->real = &rt_store_posix;
}

void rt_fault_power_loss(struct rt_fault_io *f, long keep)
{
	for (int i = 0; i < f->nfiles; i++) {
		struct rt_fault_file *ff = &f->files[i];
		off_t len = ff->size;
		if (keep >= 0 && ff->synced + keep < len)
			len = ff->synced + keep;
		if (len < ff->size && ff->path)
			if (truncate(ff->path, len) != 0) {
				/* the file may be gone (renamed over, unlinked) */
			}
		rt_free(ff->path);
		ff->path = NULL;
	}
	f->nfiles = 0;
	f->crashed = 0;
}

void rt_fault_free(struct rt_fault_io *f)
{
	for (int i = 0; i < f->nfiles; i++)
		rt_free(f->files[i].path);
	f->nfiles = 0;
}
