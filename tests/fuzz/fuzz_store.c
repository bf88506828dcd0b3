/*
 * fuzz_store.c - the recovery reader of the checkpoint store
 * (docs/durable.md): arbitrary bytes as a store's files, read back by the
 * log's scan (store_log.c, store_io.c), folded into executions (catalog.c),
 * their checkpoints restored (journal.c, sched.c), their history derived
 * (history.c), and, when asked, an inbox request served (inbox.c).
 *
 * Input: a mode byte, then
 *   MODE_ARCHIVE  u16 (little endian) A, then A bytes of archive-1.log
 *                 records (the live log is then wal-2.log);
 *   MODE_INBOX    u16 R, then R bytes of the request file inbox/0.req;
 *   the rest      the live log: its records after a valid file header, or
 *                 with MODE_RAW the whole file, header included.
 * Archive records always follow a valid header. With MODE_RESEAL the
 * target first gives every frame whose length fits the right CRC, so that
 * mutated payloads, names, kinds and flags get past the frame check to the
 * JSON decoding, the catalog's folding and the checkpoints' restoring.
 *
 * What must hold, besides no crash, leak, undefined behaviour or hang:
 *   - the store opens whenever the header is valid (and never when it is
 *     not), and its scan visits exactly the records a reference reader
 *     (below, with its own CRC-32C) finds valid before the first invalid
 *     frame: the same bytes, in order; a record with a bad CRC is never
 *     reported;
 *   - opening for writing cuts the log at the first invalid frame and keeps
 *     the rest, byte for byte, in wal-N.log.torn-OFFSET; a record appended
 *     after that is read back after the valid ones;
 *   - recovery (rt_sched_open) either succeeds or fails with a message;
 *     list, describe, history and the redrive point of every execution it
 *     names answer or fail cleanly.
 */
#include "fuzz.h"

#include "durable.h"
#include "taskutil.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

extern const struct aslrt_machine fuzz_store_machine;

#define MODE_RAW 0x01
#define MODE_ARCHIVE 0x02
#define MODE_INBOX 0x04
#define MODE_RESEAL 0x08

#define MAX_FRAMES 4096

/* ------------------------------------------------------ the reference */

/* CRC-32C bit by bit (Castagnoli, reflected 0x82F63B78): independent of
 * runtime/crc32c.c's tables. */
static uint32_t ref_crc(uint32_t crc, const uint8_t *p, size_t n)
{
	crc = ~crc;
	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = crc & 1 ? crc >> 1 ^ 0x82F63B78u : crc >> 1;
	}
	return ~crc;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The valid frames of the records in p[0..n): their offsets into *off (at
 * most MAX_FRAMES) and sizes into *len; returns how many, *end where the
 * first invalid frame starts. A frame is valid when its 8-byte header is
 * complete, its length (4 to 64 MiB) fits, the CRC-32C of the length field
 * and the body matches, its kind is not 0 and its name fits the body. */
static size_t ref_frames(const uint8_t *p, size_t n, size_t *off, size_t *len, size_t *end)
{
	size_t at = 0, k = 0;
	while (k < MAX_FRAMES && n - at >= 8) {
		uint32_t body = le32(p + at);
		if (body < 4 || body > RT_REC_MAX || body > n - at - 8)
			break;
		uint32_t crc = ref_crc(ref_crc(0, p + at, 4), p + at + 8, body);
		size_t nlen = (size_t)p[at + 10] | (size_t)p[at + 11] << 8;
		if (crc != le32(p + at + 4) || p[at + 8] == 0 || 4 + nlen > body)
			break;
		off[k] = at;
		len[k++] = 8 + (size_t)body;
		at += 8 + (size_t)body;
	}
	*end = at;
	return k;
}

/* Give each frame of p[0..n) that fits its correct CRC-32C, up to the
 * first one whose length does not fit. */
static void reseal(uint8_t *p, size_t n)
{
	size_t at = 0;
	while (n - at >= 8) {
		uint32_t body = le32(p + at);
		if (body < 4 || body > n - at - 8)
			break;
		uint32_t crc = ref_crc(ref_crc(0, p + at, 4), p + at + 8, body);
		for (int i = 0; i < 4; i++)
			p[at + 4 + i] = (uint8_t)(crc >> (8 * i));
		at += 8 + (size_t)body;
	}
}

/* The file header the store writes for tag (store_log.c's format 1). */
static size_t ref_header(const char *tag, uint8_t *h)
{
	size_t tl = strlen(tag);
	memcpy(h, "ASLRTLOG", 8);
	const uint32_t v[2] = { 1, (uint32_t)tl };
	for (int i = 0; i < 8; i++)
		h[8 + i] = (uint8_t)(v[i / 4] >> (8 * (i % 4)));
	memcpy(h + 16, tag, tl);
	uint32_t c = ref_crc(0, h, 16 + tl);
	for (int i = 0; i < 4; i++)
		h[16 + tl + i] = (uint8_t)(c >> (8 * i));
	return 20 + tl;
}

/* ---------------------------------------------------------- the files */

static char dir[64];

static void remove_tree(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char p[512];
		struct stat st;
		snprintf(p, sizeof p, "%s/%s", path, e->d_name);
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			remove_tree(p);
		else
			unlink(p);
	}
	if (d)
		closedir(d);
	rmdir(path);
}

static int write_file(const char *path, const uint8_t *a, size_t an, const uint8_t *b,
		      size_t bn)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	int ok = (!an || fwrite(a, 1, an, f) == an) && (!bn || fwrite(b, 1, bn, f) == bn);
	return fclose(f) == 0 && ok ? 0 : -1;
}

/* The whole file at path (malloc, *n bytes), or NULL when it is missing. */
static uint8_t *read_back(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096;
	uint8_t *b = malloc(cap);
	*n = 0;
	size_t got;
	while (b && (got = fread(b + *n, 1, cap - *n, f)) > 0) {
		*n += got;
		if (*n == cap) {
			uint8_t *nb = realloc(b, cap *= 2);
			if (!nb)
				free(b);
			b = nb;
		}
	}
	fclose(f);
	return b;
}

/* ------------------------------------------------------- store checks */

struct expect {
	const uint8_t *bytes[2];       /* archive records, live records         */
	const size_t *off[2], *len[2];
	size_t n[2];
	const struct rt_rec *extra;    /* appended after the live ones, or NULL */
	size_t seen;
};

/* Each visited record must be the next expected frame, byte for byte. */
static int expect_visit(void *ctx, const struct rt_rec *r)
{
	struct expect *e = ctx;
	size_t i = e->seen++, part = i < e->n[0] ? 0 : 1;
	size_t k = part ? i - e->n[0] : i;
	if (part == 1 && k == e->n[1] && e->extra) {
		const struct rt_rec *x = e->extra;
		if (r->kind != x->kind || r->flags != x->flags || r->nlen != x->nlen ||
		    r->len != x->len || memcmp(r->name, x->name, x->nlen) != 0 ||
		    memcmp(r->data, x->data, x->len) != 0)
			abort();               /* the appended record reads back */
		return 0;
	}
	if (k >= e->n[part])
		abort();                       /* a record the reference rejects */
	const uint8_t *f = e->bytes[part] + e->off[part][k];
	size_t body = e->len[part][k] - 8;
	if (r->kind != f[8] || r->flags != f[9] || r->nlen != ((size_t)f[10] | (size_t)f[11] << 8) ||
	    r->nlen + 4 + r->len != body || memcmp(r->name, f + 12, r->nlen) != 0 ||
	    memcmp(r->data, f + 12 + r->nlen, r->len) != 0)
		abort();                       /* not the bytes of the valid frame */
	return 0;
}

static void scan_expect(struct rt_store *st, struct expect *e)
{
	e->seen = 0;
	if (st->m->scan(st, RT_SCAN_ALL, expect_visit, e) != 0)
		abort();
	if (e->seen != e->n[0] + e->n[1] + (e->extra != NULL))
		abort();                       /* a valid record was missed */
}

/* Open the store as its writer and check what it reads, cuts and keeps. */
static void check_store(const char *tag, const char *wal, const uint8_t *log, size_t log_n,
			int header_ok, struct expect *e)
{
	struct rt_store *st = NULL;
	char *why = NULL;
	int rc = rt_store_open_log(dir, tag, RT_SYNC_NONE, NULL, 0, &st, &why);
	if (rc != 0) {
		if (!why || header_ok)
			abort();               /* a valid header always opens */
		rt_free(why);
		return;
	}
	if (!header_ok)
		abort();                       /* a damaged header never opens */
	size_t end = e->n[1] ? e->off[1][e->n[1] - 1] + e->len[1][e->n[1] - 1] : 0;
	scan_expect(st, e);

	/* the torn tail is cut off and kept beside the log */
	char path[128];
	size_t head = (size_t)(e->bytes[1] - log), recs = log_n - head, n = 0;
	snprintf(path, sizeof path, "%s/%s.torn-%zu", dir, wal, head + end);
	uint8_t *torn = read_back(path, &n);
	if (end < recs && (!torn || n != recs - end || memcmp(torn, e->bytes[1] + end, n) != 0))
		abort();
	if (end == recs && torn)
		abort();
	free(torn);

	/* appending goes on after the valid records */
	static const char name[] = "appended", data[] = "{\"input\":{},\"t\":1}";
	const struct rt_rec x = { RT_REC_START, 0, name, sizeof name - 1, data, sizeof data - 1 };
	uint64_t lsn = 0, durable = 0;
	if (st->m->append(st, &x, &lsn) != 0 || st->m->sync(st, &durable) != 0 || durable < lsn)
		abort();
	st->m->close(st);
	if (rt_store_open_log(dir, tag, RT_SYNC_NONE, NULL, RT_STORE_READONLY, &st, &why) != 0)
		abort();
	e->extra = &x;
	scan_expect(st, e);
	e->extra = NULL;
	st->m->close(st);
}

/* ---------------------------------------------------------- recovery */

/* Every execution the store names: list, describe, history, redrive. */
static void read_all(struct rt_sched *sc)
{
	struct rt_store *st = rt_sched_store(sc);
	const struct aslrt_machine *m = rt_sched_machine(sc);
	struct rt_summary *v = NULL;
	size_t n = 0;
	if (rt_catalog_list(st, NULL, &v, &n) != 0)
		return;
	for (size_t i = 0; i < n && i < 4; i++) {
		struct rt_summary *one = NULL;
		size_t k = 0;
		if (rt_catalog_list(st, v[i].name, &one, &k) == 0) {
			if (k != 1 || strcmp(one[0].name, v[i].name) != 0)
				abort();       /* describe finds what list found */
			rt_summary_free(&one[0]);
			rt_free(one);
		}
		int oom = 0;
		cJSON *h = rt_catalog_history(st, m, v[i].name, (int)(i & 1), &oom);
		rt_free(rt_json_print(h));
		cJSON_Delete(h);
		cJSON_Delete(rt_catalog_redrive_point(st, v[i].name));
	}
	for (size_t i = 0; i < n; i++)
		rt_summary_free(&v[i]);
	rt_free(v);
}

static void recover(int inbox)
{
	struct rt_sched_options o = { 0 };
	o.dir = dir;
	o.sync = RT_SYNC_NONE;
	o.workers = 1;
	o.run.time_scale = 0;
	struct rt_sched *sc = NULL;
	char *why = NULL;
	if (rt_sched_open(&fuzz_store_machine, &o, &sc, &why) != 0) {
		if (!why)
			abort();               /* a failure says why */
		rt_free(why);
		return;
	}
	if (inbox)
		rt_inbox_serve(sc, dir);
	read_all(sc);
	rt_sched_close(sc);
}

/* ------------------------------------------------------------- entry */

static size_t take16(const uint8_t **p, size_t *n)
{
	if (*n < 2) {
		*n = 0;
		return 0;
	}
	size_t v = (size_t)(*p)[0] | (size_t)(*p)[1] << 8;
	*p += 2;
	*n -= 2;
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	rt_alloc_init();
	if (!dir[0])
		snprintf(dir, sizeof dir, "/tmp/aslc-fuzz-store-%ld", (long)getpid());
	remove_tree(dir);
	if (mkdir(dir, 0700) != 0)
		return 0;
	int mode = data[0];
	const uint8_t *p = data + 1;
	size_t n = size - 1;
	size_t an = mode & MODE_ARCHIVE ? take16(&p, &n) : 0;
	size_t rn = mode & MODE_INBOX ? take16(&p, &n) : 0;
	rn = rn < n ? rn : n;
	const uint8_t *req = p;
	p += rn;
	n -= rn;
	an = an < n ? an : n;
	uint8_t *arch = malloc(an + 1);
	if (!arch)
		return 0;
	if (an)
		memcpy(arch, p, an);
	p += an;
	n -= an;
	if (mode & MODE_RESEAL)
		reseal(arch, an);

	const char *tag = fuzz_store_machine.name;
	uint8_t hdr[300];
	size_t hn = ref_header(tag, hdr);
	char path[128];
	const char *wal = mode & MODE_ARCHIVE ? "wal-00000002.log" : "wal-00000001.log";
	if (mode & MODE_ARCHIVE) {
		snprintf(path, sizeof path, "%s/archive-00000001.log", dir);
		if (write_file(path, hdr, hn, arch, an) != 0) {
			free(arch);
			return 0;
		}
	}
	if (mode & MODE_INBOX) {
		snprintf(path, sizeof path, "%s/inbox", dir);
		mkdir(path, 0700);
		snprintf(path, sizeof path, "%s/inbox/0.req", dir);
		if (write_file(path, req, rn, NULL, 0) != 0) {
			free(arch);
			return 0;
		}
	}
	/* the live log as the store sees it: log[0..log_n) */
	uint8_t *log = malloc(hn + n + 1);
	if (!log) {
		free(arch);
		return 0;
	}
	size_t log_n = 0;
	if (!(mode & MODE_RAW)) {
		memcpy(log, hdr, hn);
		log_n = hn;
	}
	if (n)
		memcpy(log + log_n, p, n);
	log_n += n;
	if ((mode & MODE_RESEAL) && !(mode & MODE_RAW))
		reseal(log + hn, log_n - hn);
	int header_ok = log_n >= hn && memcmp(log, hdr, hn) == 0;
	snprintf(path, sizeof path, "%s/%s", dir, wal);
	if (write_file(path, log, log_n, NULL, 0) != 0) {
		free(log);
		free(arch);
		return 0;
	}

	static size_t aoff[MAX_FRAMES], alen[MAX_FRAMES], loff[MAX_FRAMES], llen[MAX_FRAMES];
	size_t aend = 0, lend = 0;
	struct expect e = { { arch, log + hn }, { aoff, loff }, { alen, llen }, { 0, 0 }, NULL, 0 };
	e.n[0] = ref_frames(arch, an, aoff, alen, &aend);
	if (header_ok)
		e.n[1] = ref_frames(log + hn, log_n - hn, loff, llen, &lend);
	/* beyond MAX_FRAMES the reference stops counting: check only the
	 * recovery then (the seeds stay far below) */
	if (e.n[0] < MAX_FRAMES && e.n[1] < MAX_FRAMES)
		check_store(tag, wal, log, log_n, header_ok, &e);
	free(log);
	free(arch);

	/* recovery proper, on the files as the writer left them */
	recover((mode & MODE_INBOX) != 0);
	return 0;
}
