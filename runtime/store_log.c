/*
 * store_log.c - the default checkpoint store: an append-only log in a
 * directory (docs/durable.md, "The store").
 *
 *   DIR/LOCK                 flock()ed by the writer, holds its pid
 *   DIR/wal-NNNNNNNN.log     the live log; the highest number is current
 *   DIR/archive-NNNNNNNN.log records moved out of wal-N by compaction
 *
 * Every file starts with a header (magic, format version, the machine's
 * name, CRC) and continues with framed records (store_io.c). Appends go to
 * an in-memory buffer; sync() writes the buffer with one write() and, in
 * batch mode, one fdatasync(): group commit. A write or sync that fails
 * poisons the store (every later call fails): after a failed fsync the
 * kernel may have dropped the pages, and only recovery from the disk tells
 * the truth.
 */
#define _DEFAULT_SOURCE 1          /* flock(): a lock per open file, not per process */
#include "rt.h"
#include "store.h"
#include "taskutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAGIC "ASLRTLOG"
#define FORMAT 1u
#define READ_CHUNK (1u << 20)

struct log_store {
	struct rt_store base;
	struct rt_store_io *io;
	char *dir, *tag;
	enum rt_sync_mode mode;
	int readonly;
	int lock_fd;
	int fd;                        /* the current wal, -1 when poisoned     */
	unsigned long walno;
	uint64_t header_len, file_len; /* bytes of the wal on disk (written)    */
	pthread_mutex_t mu;            /* buffer, LSNs, stats, poison            */
	pthread_mutex_t wmu;           /* file writes, the switch of compaction  */
	pthread_mutex_t cmu;           /* one compaction at a time               */
	unsigned char *buf, *spare;
	size_t blen, bcap, spare_cap;
	uint64_t appended, durable;    /* LSNs: bytes appended since open       */
	int poisoned;
	char *err;
	struct rt_store_stats stats;
};

/* --------------------------------------------------------- small helpers */

/* Remember the first failure as the store's error (why_take is new memory). */
static void set_err(struct log_store *s, char *why_take)
{
	if (!s->err)
		s->err = why_take;
	else
		rt_free(why_take);
}

static void poison(struct log_store *s, const char *what, int e)
{
	pthread_mutex_lock(&s->mu);
	s->poisoned = 1;
	set_err(s, rt_fmt("%s: %s", what, strerror(e)));
	pthread_mutex_unlock(&s->mu);
}

static char *path_of(const char *dir, const char *prefix, unsigned long n, const char *suffix)
{
	return rt_fmt("%s/%s-%08lu.log%s", dir, prefix, n, suffix);
}

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The file header for tag into out (new memory, *n bytes). */
static unsigned char *make_header(const char *tag, size_t *n)
{
	size_t tl = strlen(tag);
	unsigned char *h = rt_malloc(8 + 4 + 4 + tl + 4);
	if (!h)
		return NULL;
	memcpy(h, MAGIC, 8);
	put32(h + 8, FORMAT);
	put32(h + 12, (uint32_t)tl);
	memcpy(h + 16, tag, tl);
	put32(h + 16 + tl, rt_crc32c(0, h, 16 + tl));
	*n = 20 + tl;
	return h;
}

/* Check the header of fd against tag. Returns its length, or 0 with *why. */
static uint64_t check_header(struct rt_store_io *io, int fd, const char *path, const char *tag,
			     char **why)
{
	unsigned char h[16 + 256 + 4];
	ssize_t got = io->pread(io, fd, h, sizeof h, 0);
	if (got < 20 || memcmp(h, MAGIC, 8) != 0) {
		*why = rt_fmt("%s: not an aslrt store log", path);
		return 0;
	}
	uint32_t tl = get32(h + 12);
	if (get32(h + 8) != FORMAT || tl > 256 || (size_t)got < 20 + tl ||
	    get32(h + 16 + tl) != rt_crc32c(0, h, 16 + tl)) {
		*why = rt_fmt("%s: unknown format or damaged header", path);
		return 0;
	}
	if (strlen(tag) != tl || memcmp(h + 16, tag, tl) != 0) {
		*why = rt_fmt("%s: the store belongs to state machine \"%.*s\", not \"%s\"", path,
			      (int)tl, (const char *)h + 16, tag);
		return 0;
	}
	return 20 + tl;
}

/* Create path atomically: write the header to path.tmp, sync, rename, sync
 * the directory. Returns 0 or -1 with *why. */
static int create_file(struct log_store *s, const char *path, char **why)
{
	char *tmp = rt_fmt("%s.tmp", path);
	size_t hn = 0;
	unsigned char *h = make_header(s->tag, &hn);
	int fd = tmp && h ? s->io->open(s->io, tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600) : -1;
	int ok = fd >= 0 && s->io->write(s->io, fd, h, hn) == (ssize_t)hn &&
		 s->io->sync(s->io, fd) == 0;
	int e = errno;
	if (fd >= 0)
		s->io->close(s->io, fd);
	ok = ok && s->io->rename(s->io, tmp, path) == 0 && s->io->sync_dir(s->io, s->dir) == 0;
	if (!ok)
		*why = rt_fmt("cannot create %s: %s", path, strerror(ok ? e : errno));
	rt_free(tmp);
	rt_free(h);
	return ok ? 0 : -1;
}

/* Numbers of the files named PREFIX-N.log in dir, ascending, into *out (new
 * memory, *n entries). Leftover PREFIX-N.log.tmp files (from a compaction
 * that did not finish) are removed when clean is set. Returns 0 or -1. */
static int list_files(struct log_store *s, const char *prefix, int clean, unsigned long **out,
		      size_t *n)
{
	DIR *d = opendir(s->dir);
	*out = NULL;
	*n = 0;
	if (!d)
		return -1;
	size_t cap = 0, pl = strlen(prefix);
	struct dirent *e;
	int rc = 0;
	while ((e = readdir(d)) != NULL) {
		const char *nm = e->d_name;
		if (strncmp(nm, prefix, pl) != 0 || nm[pl] != '-')
			continue;
		char *end = NULL;
		unsigned long k = strtoul(nm + pl + 1, &end, 10);
		if (!end || end == nm + pl + 1)
			continue;
		if (clean && strcmp(end, ".log.tmp") == 0) {
			char *p = rt_fmt("%s/%s", s->dir, nm);
			if (p)
				s->io->unlink(s->io, p);
			rt_free(p);
			continue;
		}
		if (strcmp(end, ".log") != 0)
			continue;
		if (*n == cap) {
			size_t nc = cap ? cap * 2 : 8;
			unsigned long *nv = rt_realloc(*out, nc * sizeof *nv);
			if (!nv) {
				rc = -1;
				break;
			}
			*out = nv;
			cap = nc;
		}
		(*out)[(*n)++] = k;
	}
	closedir(d);
	for (size_t i = 1; i < *n; i++)        /* insertion sort: few files */
		for (size_t j = i; j > 0 && (*out)[j - 1] > (*out)[j]; j--) {
			unsigned long t = (*out)[j];
			(*out)[j] = (*out)[j - 1];
			(*out)[j - 1] = t;
		}
	return rc;
}

/* ------------------------------------------------------ reading frames */

struct reader {
	struct rt_store_io *io;
	int fd;
	uint64_t off;                  /* file offset of buf[pos]                */
	uint64_t end;                  /* stop here (0: at the end of the file)  */
	uint64_t limit;                /* end, or the file's size when opened (0:
					  unknown): no frame runs past it       */
	unsigned char *buf;
	size_t cap, len, pos;
};

static void rd_init(struct reader *rd, struct rt_store_io *io, int fd, uint64_t from,
		    uint64_t end)
{
	memset(rd, 0, sizeof *rd);
	rd->io = io;
	rd->fd = fd;
	rd->off = from;
	rd->end = end;
	off_t size = end ? 0 : io->size(io, fd);
	rd->limit = end ? end : size > 0 ? (uint64_t)size : 0;
}

/* Make at least need bytes available at buf[pos] (fewer at the end of the
 * file). Returns the number available, or -1 (errno set) on an I/O error or
 * when out of memory. */
static long rd_fill(struct reader *rd, size_t need)
{
	if (rd->len - rd->pos >= need)
		return (long)(rd->len - rd->pos);
	if (rd->len > rd->pos)       /* keep the unread bytes (buf may be NULL) */
		memmove(rd->buf, rd->buf + rd->pos, rd->len - rd->pos);
	rd->len -= rd->pos;
	rd->pos = 0;
	size_t want = need > READ_CHUNK ? need : READ_CHUNK;
	if (rd->limit > rd->off && want > rd->limit - rd->off)   /* a small file */
		want = need > rd->limit - rd->off ? need : (size_t)(rd->limit - rd->off);
	if (rd->cap < want) {
		unsigned char *nb = rt_realloc(rd->buf, want);
		if (!nb) {
			errno = ENOMEM;    /* callers report strerror(errno) */
			return -1;
		}
		rd->buf = nb;
		rd->cap = want;
	}
	while (rd->len < need) {
		uint64_t at = rd->off + rd->len;
		size_t room = rd->cap - rd->len;
		if (rd->end && at >= rd->end)
			break;
		if (rd->end && room > rd->end - at)
			room = (size_t)(rd->end - at);
		ssize_t got = rd->io->pread(rd->io, rd->fd, rd->buf + rd->len, room, (off_t)at);
		if (got < 0)
			return -1;
		if (got == 0)
			break;
		rd->len += (size_t)got;
	}
	return (long)(rd->len - rd->pos);
}

/* The next frame: 1 with r filled (borrowed until the next call) and
 * *frame and *fsize set to its bytes; 0 at a clean end; 2 at a torn or corrupt
 * frame (rd->off is where it starts); -1 on an I/O error. */
static int rd_next(struct reader *rd, struct rt_rec *r, const unsigned char **frame,
		   size_t *fsize)
{
	long have = rd_fill(rd, RT_REC_HEADER);
	if (have < 0)
		return -1;
	if (have == 0)
		return 0;
	if ((size_t)have < RT_REC_HEADER)
		return 2;
	uint32_t body = get32(rd->buf + rd->pos);
	/* a length running past the file is torn: found without reading (or
	 * allocating for) up to RT_REC_MAX bytes a damaged length claims */
	if (body < 4 || body > RT_REC_MAX ||
	    (rd->limit && RT_REC_HEADER + (uint64_t)body > rd->limit - rd->off))
		return 2;
	have = rd_fill(rd, RT_REC_HEADER + body);
	if (have < 0)
		return -1;
	size_t n = rt_rec_parse(rd->buf + rd->pos, (size_t)have, r);
	if (n == 0)
		return 2;
	*frame = rd->buf + rd->pos;
	*fsize = n;
	rd->pos += n;
	rd->off += n;
	return 1;
}

/* -------------------------------------------------------------- opening */

/* Keep the torn tail [from, size) of path beside it, then cut it off. */
static int drop_tail(struct log_store *s, const char *path, uint64_t from, uint64_t size,
		     char **why)
{
	char *side = rt_fmt("%s.torn-%llu", path, (unsigned long long)from);
	unsigned char *tail = rt_malloc((size_t)(size - from));
	int ok = side && tail &&
		 s->io->pread(s->io, s->fd, tail, (size_t)(size - from), (off_t)from) ==
			 (ssize_t)(size - from);
	if (ok) {
		int fd = s->io->open(s->io, side, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		ok = fd >= 0 && s->io->write(s->io, fd, tail, (size_t)(size - from)) ==
					(ssize_t)(size - from) &&
		     s->io->sync(s->io, fd) == 0;
		if (fd >= 0)
			s->io->close(s->io, fd);
	}
	ok = ok && s->io->truncate(s->io, s->fd, (off_t)from) == 0 &&
	     s->io->sync(s->io, s->fd) == 0;
	if (!ok)
		*why = rt_fmt("%s: cannot cut off the torn tail at %llu: %s", path,
			      (unsigned long long)from, strerror(errno));
	rt_free(side);
	rt_free(tail);
	return ok ? 0 : -1;
}

/* Find the end of the valid records of the current wal and, for the
 * writer, cut off a torn tail. Returns 0 or -1 with *why. */
static int validate(struct log_store *s, const char *path, char **why)
{
	off_t size = s->io->size(s->io, s->fd);
	if (size < 0) {
		*why = rt_fmt("%s: %s", path, strerror(errno));
		return -1;
	}
	struct reader rd;
	rd_init(&rd, s->io, s->fd, s->header_len, 0);
	struct rt_rec r;
	const unsigned char *f;
	size_t fn;
	int rc;
	while ((rc = rd_next(&rd, &r, &f, &fn)) == 1)
		;
	rt_free(rd.buf);
	if (rc < 0) {
		*why = rt_fmt("%s: %s", path, strerror(errno));
		return -1;
	}
	s->file_len = rd.off;
	if (rd.off < (uint64_t)size && !s->readonly) {
		s->stats.torn_bytes = (uint64_t)size - rd.off;
		return drop_tail(s, path, rd.off, (uint64_t)size, why);
	}
	return 0;
}

/* Take dir/LOCK with flock(): held until the store is closed or the process
 * dies (so a lock is never stale), and unlike fcntl() locks not released
 * when the process closes some other descriptor of the file. The holder
 * writes its pid into the file for messages. Returns 0, or -2 (held: *why
 * names the holder) / -1. */
static int take_lock(struct log_store *s, char **why)
{
	char *p = rt_fmt("%s/LOCK", s->dir);
	if (!p) {
		*why = rt_fmt("out of memory");
		return -1;
	}
	s->lock_fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	rt_free(p);
	if (s->lock_fd < 0) {
		*why = rt_fmt("%s/LOCK: %s", s->dir, strerror(errno));
		return -1;
	}
	if (flock(s->lock_fd, LOCK_EX | LOCK_NB) != 0) {
		long pid = 0;
		rt_store_locked(s->dir, &pid);
		*why = rt_fmt("the store %s is in use by process %ld", s->dir, pid);
		return -2;
	}
	char pid[32];
	int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (ftruncate(s->lock_fd, 0) != 0 || pwrite(s->lock_fd, pid, (size_t)n, 0) != n) {
		/* the pid is only informative */
	}
	return 0;
}

int rt_store_locked(const char *dir, long *pid)
{
	char *p = rt_fmt("%s/LOCK", dir);
	int fd = p ? open(p, O_RDONLY | O_CLOEXEC) : -1;
	rt_free(p);
	*pid = 0;
	if (fd < 0)
		return 0;
	int held = flock(fd, LOCK_SH | LOCK_NB) != 0;
	if (held) {
		char buf[32] = "";
		ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
		buf[n > 0 ? n : 0] = '\0';
		*pid = strtol(buf, NULL, 10);
	}
	close(fd);
	return held;
}

static const struct rt_store_methods log_methods;

static void free_store(struct log_store *s)
{
	if (s->fd >= 0)
		s->io->close(s->io, s->fd);
	if (s->lock_fd >= 0)
		close(s->lock_fd);      /* releases the flock */
	pthread_mutex_destroy(&s->mu);
	pthread_mutex_destroy(&s->wmu);
	pthread_mutex_destroy(&s->cmu);
	rt_free(s->buf);
	rt_free(s->spare);
	rt_free(s->dir);
	rt_free(s->tag);
	rt_free(s->err);
	rt_free(s);
}

/* Open the current wal (creating wal-1 for a new store). */
static int open_wal(struct log_store *s, char **why)
{
	unsigned long *nums = NULL;
	size_t n = 0;
	if (list_files(s, "wal", !s->readonly, &nums, &n) != 0) {
		rt_free(nums);
		*why = rt_fmt("%s: %s", s->dir, strerror(errno));
		return -1;
	}
	s->walno = n ? nums[n - 1] : 1;
	rt_free(nums);
	char *path = path_of(s->dir, "wal", s->walno, "");
	if (!path) {
		*why = rt_fmt("out of memory");
		return -1;
	}
	if (n == 0 && s->readonly) {
		*why = rt_fmt("%s: no store here", s->dir);
		rt_free(path);
		return -1;
	}
	if (n == 0 && create_file(s, path, why) != 0) {
		rt_free(path);
		return -1;
	}
	s->fd = s->io->open(s->io, path, s->readonly ? O_RDONLY : O_RDWR | O_APPEND, 0600);
	int rc = -1;
	if (s->fd < 0)
		*why = rt_fmt("%s: %s", path, strerror(errno));
	else if ((s->header_len = check_header(s->io, s->fd, path, s->tag, why)) != 0)
		rc = validate(s, path, why);
	rt_free(path);
	return rc;
}

int rt_store_open_log(const char *dir, const char *tag, enum rt_sync_mode mode,
		      struct rt_store_io *io, int flags, struct rt_store **out, char **why)
{
	*out = NULL;
	*why = NULL;
	struct log_store *s = rt_calloc(1, sizeof *s);
	if (!s) {
		*why = rt_fmt("out of memory");
		return -1;
	}
	s->base.m = &log_methods;
	s->io = io ? io : &rt_store_posix;
	s->mode = mode;
	s->readonly = (flags & RT_STORE_READONLY) != 0;
	s->fd = s->lock_fd = -1;
	pthread_mutex_init(&s->mu, NULL);
	pthread_mutex_init(&s->wmu, NULL);
	pthread_mutex_init(&s->cmu, NULL);
	s->dir = rt_strdup(dir);
	s->tag = rt_strdup(tag ? tag : "");
	if (!s->dir || !s->tag) {
		free_store(s);
		*why = rt_fmt("out of memory");
		return -1;
	}
	if (!s->readonly && mkdir(dir, 0700) != 0 && errno != EEXIST) {
		*why = rt_fmt("cannot create the store %s: %s", dir, strerror(errno));
		free_store(s);
		return -1;
	}
	int rc = s->readonly ? 0 : take_lock(s, why);
	if (rc == 0)
		rc = open_wal(s, why);
	if (rc != 0) {
		free_store(s);
		return rc;
	}
	*out = &s->base;
	return 0;
}

/* ------------------------------------------------------------ writing */

/* Write out the buffer and make it durable per the mode. Caller holds wmu.
 * The buffer is swapped for the spare under mu, so appends go on while the
 * write and the fdatasync run. */
static int flush_locked(struct log_store *s, uint64_t *durable)
{
	pthread_mutex_lock(&s->mu);
	if (s->poisoned) {
		pthread_mutex_unlock(&s->mu);
		return -1;
	}
	unsigned char *data = s->buf;
	size_t len = s->blen, cap = s->bcap;
	uint64_t upto = s->appended;
	s->buf = s->spare;
	s->bcap = s->spare_cap;
	s->blen = 0;
	s->spare = NULL;
	s->spare_cap = 0;
	pthread_mutex_unlock(&s->mu);

	int rc = 0;
	if (len) {
		ssize_t w = s->io->write(s->io, s->fd, data, len);
		if (w != (ssize_t)len) {
			poison(s, "cannot write the store log", w < 0 ? errno : EIO);
			rc = -1;
		} else {
			s->file_len += len;
		}
	}
	if (rc == 0 && len && s->mode != RT_SYNC_NONE && s->io->sync(s->io, s->fd) != 0) {
		poison(s, "cannot sync the store log", errno);
		rc = -1;
	}
	pthread_mutex_lock(&s->mu);
	if (len) {
		s->stats.writes++;
		s->stats.syncs += s->mode != RT_SYNC_NONE;
	}
	if (!s->spare) {               /* keep the drained buffer for reuse */
		s->spare = data;
		s->spare_cap = cap;
	} else {
		rt_free(data);
	}
	if (rc == 0 && upto > s->durable)
		s->durable = upto;
	*durable = s->durable;
	pthread_mutex_unlock(&s->mu);
	return rc;
}

static int log_sync(struct rt_store *st, uint64_t *durable)
{
	struct log_store *s = (struct log_store *)st;
	uint64_t d = 0;
	if (s->readonly)
		return -1;
	pthread_mutex_lock(&s->wmu);
	int rc = flush_locked(s, &d);
	pthread_mutex_unlock(&s->wmu);
	if (durable)
		*durable = d;
	return rc;
}

static int log_append(struct rt_store *st, const struct rt_rec *r, uint64_t *lsn)
{
	struct log_store *s = (struct log_store *)st;
	size_t body = rt_rec_body_size(r);
	if (s->readonly || r->nlen > 0xffff || body > RT_REC_MAX) {
		pthread_mutex_lock(&s->mu);
		set_err(s, rt_fmt(s->readonly ? "the store is open read-only"
					      : "record too large (%zu bytes)", body));
		pthread_mutex_unlock(&s->mu);
		return -1;
	}
	size_t n = RT_REC_HEADER + body;
	/* frame (and checksum) outside the lock; only the copy is inside */
	unsigned char small[2048];
	unsigned char *f = n <= sizeof small ? small : rt_malloc(n);
	if (!f) {
		pthread_mutex_lock(&s->mu);
		set_err(s, rt_fmt("out of memory"));
		pthread_mutex_unlock(&s->mu);
		return -1;
	}
	rt_rec_frame(r, f);
	pthread_mutex_lock(&s->mu);
	if (s->poisoned) {
		pthread_mutex_unlock(&s->mu);
		if (f != small)
			rt_free(f);
		return -1;
	}
	if (s->blen + n > s->bcap) {
		size_t nc = s->bcap ? s->bcap : 65536;
		while (nc < s->blen + n)
			nc *= 2;
		unsigned char *nb = rt_realloc(s->buf, nc);
		if (!nb) {
			set_err(s, rt_fmt("out of memory"));
			pthread_mutex_unlock(&s->mu);
			if (f != small)
				rt_free(f);
			return -1;
		}
		s->buf = nb;
		s->bcap = nc;
	}
	memcpy(s->buf + s->blen, f, n);
	s->blen += n;
	s->appended += n;
	s->stats.records++;
	s->stats.bytes += n;
	uint64_t mine = s->appended;
	pthread_mutex_unlock(&s->mu);
	if (f != small)
		rt_free(f);
	if (lsn)
		*lsn = mine;
	if (s->mode == RT_SYNC_ALWAYS) {
		uint64_t d;
		return log_sync(st, &d);
	}
	return 0;
}

/* ------------------------------------------------------------ scanning */

/* Visit the records of the file at path (fd already open when fd >= 0),
 * from its header to `end` (0: its first invalid record). */
static int scan_file(struct log_store *s, const char *path, int fd, uint64_t end,
		     rt_store_visit fn, void *ctx)
{
	int own = fd < 0;
	char *why = NULL;
	if (own)
		fd = s->io->open(s->io, path, O_RDONLY, 0);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	uint64_t hl = check_header(s->io, fd, path, s->tag, &why);
	rt_free(why);
	int rc = hl ? 0 : -1;
	struct reader rd;
	rd_init(&rd, s->io, fd, hl, end);
	struct rt_rec r;
	const unsigned char *f;
	size_t fn_;
	while (rc == 0) {
		int k = rd_next(&rd, &r, &f, &fn_);
		if (k < 0)
			rc = -1;
		if (k != 1)
			break;
		rc = fn(ctx, &r);
	}
	rt_free(rd.buf);
	if (own)
		s->io->close(s->io, fd);
	return rc;
}

static int log_scan(struct rt_store *st, enum rt_scan_what what, rt_store_visit fn, void *ctx)
{
	struct log_store *s = (struct log_store *)st;
	int rc = 0;
	if (what == RT_SCAN_ALL) {
		unsigned long *nums = NULL;
		size_t n = 0;
		if (list_files(s, "archive", 0, &nums, &n) != 0)
			rc = -1;
		for (size_t i = 0; rc == 0 && i < n; i++) {
			if (nums[i] >= s->walno)   /* not yet in force (see compact) */
				continue;
			char *p = path_of(s->dir, "archive", nums[i], "");
			rc = p ? scan_file(s, p, -1, 0, fn, ctx) : -1;
			rt_free(p);
		}
		rt_free(nums);
	}
	if (rc == 0) {
		pthread_mutex_lock(&s->wmu);
		uint64_t end = s->readonly ? 0 : s->file_len;
		char *p = path_of(s->dir, "wal", s->walno, "");
		rc = p ? scan_file(s, p, s->fd, end, fn, ctx) : -1;
		rt_free(p);
		pthread_mutex_unlock(&s->wmu);
	}
	return rc;
}

/* ---------------------------------------------------------- compaction */

struct sink {
	struct log_store *s;
	char *path, *tmp;
	int fd;
	unsigned char *buf;
	size_t len, cap;
	uint64_t size;
	int failed;
};

static int sink_open(struct sink *k, struct log_store *s, const char *prefix, unsigned long n)
{
	memset(k, 0, sizeof *k);
	k->s = s;
	k->path = path_of(s->dir, prefix, n, "");
	k->tmp = path_of(s->dir, prefix, n, ".tmp");
	size_t hn = 0;
	unsigned char *h = make_header(s->tag, &hn);
	k->fd = k->tmp ? s->io->open(s->io, k->tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600) : -1;
	k->failed = !k->path || !h || k->fd < 0 || s->io->write(s->io, k->fd, h, hn) != (ssize_t)hn;
	k->size = hn;
	rt_free(h);
	return k->failed ? -1 : 0;
}

static void sink_flush(struct sink *k)
{
	if (!k->failed && k->len &&
	    k->s->io->write(k->s->io, k->fd, k->buf, k->len) != (ssize_t)k->len)
		k->failed = 1;
	k->len = 0;
}

static void sink_put(struct sink *k, const unsigned char *f, size_t n)
{
	if (k->failed)
		return;
	if (k->len + n > k->cap) {
		sink_flush(k);
		if (n > k->cap) {
			unsigned char *nb = rt_realloc(k->buf, n > READ_CHUNK ? n : READ_CHUNK);
			if (!nb) {
				k->failed = 1;
				return;
			}
			k->buf = nb;
			k->cap = n > READ_CHUNK ? n : READ_CHUNK;
		}
	}
	memcpy(k->buf + k->len, f, n);
	k->len += n;
	k->size += n;
}

/* Flush, sync, close and rename the sink into place. Returns 0 or -1. */
static int sink_commit(struct sink *k)
{
	sink_flush(k);
	int ok = !k->failed && k->s->io->sync(k->s->io, k->fd) == 0;
	if (k->fd >= 0)
		k->s->io->close(k->s->io, k->fd);
	k->fd = -1;
	return ok && k->s->io->rename(k->s->io, k->tmp, k->path) == 0 ? 0 : -1;
}

static void sink_free(struct sink *k)
{
	if (k->fd >= 0) {
		k->s->io->close(k->s->io, k->fd);
		k->s->io->unlink(k->s->io, k->tmp);
	}
	rt_free(k->buf);
	rt_free(k->path);
	rt_free(k->tmp);
}

/* Pass 2 of compaction: copy the frames of the old wal in [from, end) to
 * their sinks; with route NULL all go to the live one. */
static int route_range(struct log_store *s, int fd, uint64_t from, uint64_t end,
		       rt_store_route route, void *ctx, struct sink *live, struct sink *arch)
{
	struct reader rd;
	rd_init(&rd, s->io, fd, from, end);
	struct rt_rec r;
	const unsigned char *f;
	size_t fn;
	int k;
	while ((k = rd_next(&rd, &r, &f, &fn)) == 1) {
		enum rt_route to = route ? route(ctx, &r) : RT_ROUTE_LIVE;
		if (to != RT_ROUTE_DROP)
			sink_put(to == RT_ROUTE_LIVE ? live : arch, f, fn);
	}
	rt_free(rd.buf);
	return k == 0 && !live->failed && !arch->failed ? 0 : -1;
}

/* See docs/durable.md, "Compaction", for why each crash point is safe.
 *
 * The long part runs without the write lock, so group commits go on into
 * the old wal meanwhile: the records up to `end` (durable when compaction
 * began) are read and routed; then, under the lock, the tail appended since
 * is copied to the new live log as it is (routing it could put a finishing
 * execution's last records in the archive before its earlier live ones),
 * and the files are switched. A failure before the switch leaves wal-N
 * current and intact (a complete archive-N is then ignored by readers until
 * a later compaction replaces it); leftover .tmp files are removed by the
 * next open. */
static int log_compact(struct rt_store *st, rt_store_visit prepare, rt_store_route route,
		       void *ctx)
{
	struct log_store *s = (struct log_store *)st;
	if (s->readonly)
		return -1;
	pthread_mutex_lock(&s->cmu);             /* one compaction at a time */
	pthread_mutex_lock(&s->wmu);
	uint64_t d;
	int rc = flush_locked(s, &d);
	uint64_t end = s->file_len;
	int fd = s->fd;
	unsigned long n = s->walno;
	pthread_mutex_unlock(&s->wmu);
	char *old = path_of(s->dir, "wal", n, "");
	if (rc == 0 && (!old || scan_file(s, old, fd, end, prepare, ctx) != 0))
		rc = -1;
	struct sink live, arch;
	int opened = rc == 0;
	if (opened) {
		int ao = sink_open(&arch, s, "archive", n);
		int lo = sink_open(&live, s, "wal", n + 1);
		rc = ao == 0 && lo == 0
			     ? route_range(s, fd, s->header_len, end, route, ctx, &live, &arch) : -1;
	}
	pthread_mutex_lock(&s->wmu);
	if (rc == 0)
		rc = flush_locked(s, &d);        /* the tail, on disk and in order */
	if (rc == 0)
		rc = route_range(s, fd, end, s->file_len, NULL, ctx, &live, &arch);
	if (rc == 0)
		rc = sink_commit(&arch);
	if (rc == 0)
		rc = sink_commit(&live);
	if (rc == 0)
		rc = s->io->sync_dir(s->io, s->dir);
	int nfd = -1;
	if (rc == 0) {
		nfd = s->io->open(s->io, live.path, O_RDWR | O_APPEND, 0600);
		rc = nfd >= 0 ? 0 : -1;
	}
	if (rc == 0) {
		s->io->close(s->io, s->fd);
		s->fd = nfd;
		s->walno++;
		s->file_len = live.size;
		s->io->unlink(s->io, old);   /* a crash before this: wal-(N+1) wins */
		pthread_mutex_lock(&s->mu);
		s->stats.compactions++;
		pthread_mutex_unlock(&s->mu);
	} else {
		int e = errno;
		pthread_mutex_lock(&s->mu);
		set_err(s, rt_fmt("cannot compact the store log: %s", strerror(e ? e : EIO)));
		pthread_mutex_unlock(&s->mu);
	}
	pthread_mutex_unlock(&s->wmu);
	if (opened) {
		sink_free(&live);
		sink_free(&arch);
	}
	rt_free(old);
	pthread_mutex_unlock(&s->cmu);
	return rc;
}

/* ------------------------------------------------------------ the rest */

static void log_stats(struct rt_store *st, struct rt_store_stats *out)
{
	struct log_store *s = (struct log_store *)st;
	pthread_mutex_lock(&s->mu);
	*out = s->stats;
	out->live_bytes = s->file_len;
	pthread_mutex_unlock(&s->mu);
}

static const char *log_error(struct rt_store *st)
{
	struct log_store *s = (struct log_store *)st;
	return s->err ? s->err : "no error";
}

static void log_close(struct rt_store *st)
{
	if (st)
		free_store((struct log_store *)st);
}

static const struct rt_store_methods log_methods = {
	log_append, log_sync, log_scan, log_compact, log_stats, log_error, log_close,
};
