/* Unit tests of the checkpoint store (store_io.c, store_log.c, store_fault.c,
 * crc32c.c): the record frame, recovery of torn tails at every byte offset,
 * failed writes and fsyncs, crashes at every sync point followed by a power
 * loss, group commit, compaction and its crash points. The rule checked
 * throughout: after any failure, reopening yields exactly a prefix of the
 * records appended, and that prefix contains every record whose sync()
 * returned success. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rt.h"
#include "store.h"
#include "tmpdir.h"

#define TAG "order"

/* Remove path and everything under it. */
static void rm_tree(const char *path)
{
	DIR *d = opendir(path);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			char *p = td_path(path, e->d_name);
			rm_tree(p);
			free(p);
		}
		closedir(d);
		rmdir(path);
	} else {
		unlink(path);
	}
}

/* Remove dir (from td_make) with its contents, then free it. */
static void rm_dir(char *dir)
{
	rm_tree(dir);
	free(dir);
}

/* The payload of record i of a test sequence: varying lengths, so that
 * frames straddle every alignment. */
static void payload(int i, char *buf, size_t cap)
{
	int n = snprintf(buf, cap, "{\"i\":%d,\"pad\":\"", i);
	for (int k = 0; k < (i * 37) % 61 && (size_t)n + 4 < cap; k++)
		buf[n++] = (char)('a' + (i + k) % 26);
	buf[n++] = '"';
	buf[n++] = '}';
	buf[n] = '\0';
}

static struct rt_rec rec_of(int i, char *buf, size_t cap, const char *name)
{
	payload(i, buf, cap);
	struct rt_rec r = { .kind = RT_REC_STEP, .flags = (uint8_t)(i % 3 == 2 ? RT_REC_FINAL : 0),
			    .name = name, .nlen = strlen(name), .data = buf, .len = strlen(buf) };
	return r;
}

/* What a scan saw. */
struct seen {
	int n;
	int ids[4096];
	char names[4096][16];
	int bad;                       /* a record that is not in the sequence */
};

static int visit(void *ctx, const struct rt_rec *r)
{
	struct seen *s = ctx;
	char want[256], got[256];
	int i = -1;
	if (r->len < sizeof got) {
		memcpy(got, r->data, r->len);
		got[r->len] = '\0';
		sscanf(got, "{\"i\":%d", &i);
	}
	if (i < 0) {
		s->bad++;
		return 0;
	}
	payload(i, want, sizeof want);
	if (strcmp(want, got) != 0 || r->kind != RT_REC_STEP ||
	    r->flags != (i % 3 == 2 ? RT_REC_FINAL : 0) || r->nlen >= 16)
		s->bad++;
	if (s->n < 4096) {
		s->ids[s->n] = i;
		memcpy(s->names[s->n], r->name, r->nlen);
		s->names[s->n][r->nlen] = '\0';
		s->n++;
	}
	return 0;
}

/* Open dir as the writer with the real io, scan the live log into *s. */
static void reopen_scan(const char *dir, struct seen *s)
{
	struct rt_store *st = NULL;
	char *why = NULL;
	int rc = rt_store_open_log(dir, TAG, RT_SYNC_BATCH, NULL, 0, &st, &why);
	ck_assert_msg(rc == 0, "reopen: %s", why ? why : "?");
	memset(s, 0, sizeof *s);
	ck_assert_int_eq(st->m->scan(st, RT_SCAN_LIVE, visit, s), 0);
	st->m->close(st);
}

/* The records seen are 0, 1, ..., n-1 in order, nothing else. */
static void assert_prefix(const struct seen *s, int at_least, int at_most)
{
	ck_assert_int_eq(s->bad, 0);
	ck_assert_msg(s->n >= at_least && s->n <= at_most, "%d records, expected %d..%d", s->n,
		      at_least, at_most);
	for (int i = 0; i < s->n; i++)
		ck_assert_int_eq(s->ids[i], i);
}

static off_t file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? st.st_size : -1;
}

/* ------------------------------------------------------------ frames */

START_TEST(crc32c_check_value)
{
	/* RFC 3720, B.4: the CRC-32C of "123456789" */
	ck_assert_uint_eq(rt_crc32c(0, "123456789", 9), 0xE3069283u);
	ck_assert_uint_eq(rt_crc32c(0, "", 0), 0);
	/* incremental equals one-shot */
	ck_assert_uint_eq(rt_crc32c(rt_crc32c(0, "1234", 4), "56789", 5), 0xE3069283u);
	unsigned char zeros[32] = { 0 };
	ck_assert_uint_eq(rt_crc32c(0, zeros, 32), 0x8A9136AAu);  /* RFC 3720 B.4 */
}
END_TEST

START_TEST(frame_round_trip_and_every_corruption)
{
	char buf[128];
	struct rt_rec r = rec_of(5, buf, sizeof buf, "ORD-1");
	size_t n = RT_REC_HEADER + rt_rec_body_size(&r);
	unsigned char *f = malloc(n);
	rt_rec_frame(&r, f);
	struct rt_rec back;
	ck_assert_uint_eq(rt_rec_parse(f, n, &back), n);
	ck_assert_int_eq(back.kind, RT_REC_STEP);
	ck_assert_uint_eq(back.nlen, 5);
	ck_assert_int_eq(memcmp(back.name, "ORD-1", 5), 0);
	ck_assert_uint_eq(back.len, strlen(buf));
	ck_assert_int_eq(memcmp(back.data, buf, back.len), 0);
	/* every truncation is incomplete */
	for (size_t k = 0; k < n; k++)
		ck_assert_uint_eq(rt_rec_parse(f, k, &back), 0);
	/* every single-bit flip of every byte is caught */
	for (size_t k = 0; k < n; k++)
		for (int bit = 0; bit < 8; bit++) {
			f[k] ^= (unsigned char)(1 << bit);
			size_t got = rt_rec_parse(f, n, &back);
			ck_assert_msg(got == 0, "flip of bit %d of byte %zu accepted", bit, k);
			f[k] ^= (unsigned char)(1 << bit);
		}
	/* an all-zero region (a file extended by a crash) is not a record */
	unsigned char z[64] = { 0 };
	ck_assert_uint_eq(rt_rec_parse(z, sizeof z, &back), 0);
	free(f);
}
END_TEST

/* --------------------------------------------------------- the log */

/* Append records 0..n-1, syncing after each batch of `batch`. */
static void fill(struct rt_store *st, int from, int n, int batch)
{
	char buf[128];
	for (int i = from; i < from + n; i++) {
		struct rt_rec r = rec_of(i, buf, sizeof buf, i % 2 ? "odd" : "even");
		uint64_t lsn = 0;
		ck_assert_int_eq(st->m->append(st, &r, &lsn), 0);
		ck_assert_uint_gt(lsn, 0);
		if ((i + 1) % batch == 0) {
			uint64_t d = 0;
			ck_assert_int_eq(st->m->sync(st, &d), 0);
			ck_assert_uint_ge(d, lsn);
		}
	}
}

START_TEST(append_sync_reopen)
{
	char *dir = td_make();
	char *sdir = td_path(dir, "store");
	struct rt_store *st;
	char *why = NULL;
	ck_assert_int_eq(rt_store_open_log(sdir, TAG, RT_SYNC_BATCH, NULL, 0, &st, &why), 0);
	fill(st, 0, 100, 10);
	struct rt_store_stats ss;
	st->m->stats(st, &ss);
	ck_assert_uint_eq(ss.records, 100);
	ck_assert_uint_eq(ss.syncs, 10);       /* group commit: one per batch */
	ck_assert_uint_eq(ss.writes, 10);
	st->m->close(st);
	/* owner-only permissions */
	struct stat sb;
	ck_assert_int_eq(stat(sdir, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0700);
	char *wal = td_path(sdir, "wal-00000001.log");
	ck_assert_int_eq(stat(wal, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	struct seen s;
	reopen_scan(sdir, &s);
	assert_prefix(&s, 100, 100);
	ck_assert_str_eq(s.names[0], "even");
	ck_assert_str_eq(s.names[1], "odd");
	/* another machine's store is refused */
	ck_assert_int_eq(rt_store_open_log(sdir, "other", RT_SYNC_BATCH, NULL, 0, &st, &why), -1);
	ck_assert_ptr_nonnull(strstr(why, "belongs to state machine \"order\""));
	rt_free(why);
	free(wal);
	free(sdir);
	rm_dir(dir);
}
END_TEST

START_TEST(sync_modes)
{
	char *dir = td_make();
	struct rt_store *st;
	char *why = NULL;
	char *a = td_path(dir, "always"), *n = td_path(dir, "none");
	ck_assert_int_eq(rt_store_open_log(a, TAG, RT_SYNC_ALWAYS, NULL, 0, &st, &why), 0);
	fill(st, 0, 7, 1000);                  /* never calls sync itself */
	struct rt_store_stats ss;
	st->m->stats(st, &ss);
	ck_assert_uint_eq(ss.syncs, 7);        /* one per record */
	st->m->close(st);
	ck_assert_int_eq(rt_store_open_log(n, TAG, RT_SYNC_NONE, NULL, 0, &st, &why), 0);
	fill(st, 0, 7, 2);
	st->m->stats(st, &ss);
	ck_assert_uint_eq(ss.syncs, 0);
	ck_assert_uint_eq(ss.writes, 3);
	st->m->close(st);
	struct seen s;
	reopen_scan(a, &s);
	assert_prefix(&s, 7, 7);
	reopen_scan(n, &s);
	assert_prefix(&s, 6, 6);               /* the 7th was never written */
	enum rt_sync_mode m;
	ck_assert_int_eq(rt_sync_mode_parse("always", &m), 0);
	ck_assert_int_eq(m, RT_SYNC_ALWAYS);
	ck_assert_int_eq(rt_sync_mode_parse("sometimes", &m), -1);
	free(a);
	free(n);
	rm_dir(dir);
}
END_TEST

/* Truncate the log at every byte offset inside its last three records:
 * recovery keeps exactly the records wholly before the cut and drops the
 * rest, keeps the dropped bytes beside the log, and accepts appends. */
START_TEST(truncate_at_every_offset)
{
	char *dir = td_make();
	char *sdir = td_path(dir, "store");
	struct rt_store *st;
	char *why = NULL;
	ck_assert_int_eq(rt_store_open_log(sdir, TAG, RT_SYNC_BATCH, NULL, 0, &st, &why), 0);
	fill(st, 0, 20, 1);
	st->m->close(st);
	char *wal = td_path(sdir, "wal-00000001.log");
	off_t full = file_size(wal);
	FILE *fp = fopen(wal, "rb");
	unsigned char *copy = malloc((size_t)full);
	ck_assert_uint_eq(fread(copy, 1, (size_t)full, fp), (size_t)full);
	fclose(fp);
	/* offsets where records 17, 18, 19 start */
	char buf[128];
	off_t ends[21];
	ends[20] = full;
	for (int i = 19; i >= 0; i--) {
		struct rt_rec r = rec_of(i, buf, sizeof buf, i % 2 ? "odd" : "even");
		ends[i] = ends[i + 1] - (off_t)(RT_REC_HEADER + rt_rec_body_size(&r));
	}
	for (off_t cut = ends[17]; cut < full; cut++) {
		fp = fopen(wal, "wb");
		ck_assert_uint_eq(fwrite(copy, 1, (size_t)cut, fp), (size_t)cut);
		fclose(fp);
		int whole = 17;
		while (whole < 20 && ends[whole + 1] <= cut)
			whole++;
		struct seen s;
		reopen_scan(sdir, &s);
		assert_prefix(&s, whole, whole);
		ck_assert_int_eq(file_size(wal), ends[whole]);
		if (cut > ends[whole]) {           /* the torn bytes were kept */
			char name[64];
			snprintf(name, sizeof name, "wal-00000001.log.torn-%lld",
				 (long long)ends[whole]);
			char *side = td_path(sdir, name);
			ck_assert_int_eq(file_size(side), cut - ends[whole]);
			unlink(side);
			free(side);
		}
		/* appending after recovery continues cleanly */
		ck_assert_int_eq(rt_store_open_log(sdir, TAG, RT_SYNC_BATCH, NULL, 0, &st, &why), 0);
		fill(st, whole, 1, 1);
		st->m->close(st);
		reopen_scan(sdir, &s);
		assert_prefix(&s, whole + 1, whole + 1);
	}
	/* a corrupted byte inside record 18 drops 18 and 19, keeps 0..17 */
	fp = fopen(wal, "wb");
	copy[ends[18] + RT_REC_HEADER + 6] ^= 0x40;
	fwrite(copy, 1, (size_t)full, fp);
	fclose(fp);
	struct seen s;
	reopen_scan(sdir, &s);
	assert_prefix(&s, 18, 18);
	free(copy);
	free(wal);
	free(sdir);
	rm_dir(dir);
}
END_TEST

/* The workload of the fault tests: 30 records synced in batches of 3.
 * Returns how many records were acknowledged (their sync succeeded). */
static int faulty_run(const char *sdir, struct rt_fault_io *f)
{
	struct rt_store *st;
	char *why = NULL;
	if (rt_store_open_log(sdir, TAG, RT_SYNC_BATCH, &f->io, 0, &st, &why) != 0) {
		rt_free(why);
		return 0;
	}
	char buf[128];
	int acked = 0;
	for (int i = 0; i < 30; i++) {
		struct rt_rec r = rec_of(i, buf, sizeof buf, "x");
		uint64_t lsn;
		if (st->m->append(st, &r, &lsn) != 0)
			break;
		if ((i + 1) % 3 == 0) {
			uint64_t d;
			if (st->m->sync(st, &d) != 0) {
				/* poisoned: nothing more is accepted */
				ck_assert_int_eq(st->m->append(st, &r, &lsn), -1);
				ck_assert_int_eq(st->m->sync(st, &d), -1);
				break;
			}
			acked = i + 1;
		}
	}
	st->m->close(st);
	return acked;
}

/* Fail the Nth write (whole, or after writing part of it) and the Nth
 * fsync, for every N the workload reaches; then lose power keeping
 * nothing, part, or all of what was not synced. */
START_TEST(fail_nth_write_or_fsync)
{
	for (int what = 0; what < 3; what++) {
		for (long nth = 1; nth <= 12; nth++) {
			for (long keep = -1; keep <= 50; keep += 17) {
				char *dir = td_make();
				char *sdir = td_path(dir, "store");
				struct rt_fault_io f;
				rt_fault_init(&f);
				if (what < 2)
					f.fail_write_at = nth;
				if (what == 1)
					f.short_write = 11;
				if (what == 2)
					f.fail_sync_at = nth;
				int acked = faulty_run(sdir, &f);
				rt_fault_power_loss(&f, keep);
				rt_fault_free(&f);
				struct seen s;
				reopen_scan(sdir, &s);
				assert_prefix(&s, acked, 30);
				free(sdir);
				rm_dir(dir);
			}
		}
	}
}
END_TEST

/* Crash at every sync point (the first is creating wal-1), lose power
 * keeping each of several prefixes of the unsynced bytes. */
START_TEST(crash_at_every_sync_point)
{
	for (long at = 1; at <= 12; at++) {
		for (long keep = 0; keep <= 120; keep += 7) {
			char *dir = td_make();
			char *sdir = td_path(dir, "store");
			struct rt_fault_io f;
			rt_fault_init(&f);
			f.crash_at_sync = at;
			int acked = faulty_run(sdir, &f);
			ck_assert_int_eq(f.crashed, at <= 11);
			rt_fault_power_loss(&f, keep);
			rt_fault_free(&f);
			if (at == 1) {              /* died creating the store */
				free(sdir);
				rm_dir(dir);
				continue;
			}
			struct seen s;
			reopen_scan(sdir, &s);
			assert_prefix(&s, acked, 30);
			ck_assert_int_eq(acked, (int)(at - 2) * 3 > 30 ? 30 : (int)(at - 2) * 3);
			free(sdir);
			rm_dir(dir);
		}
	}
}
END_TEST

/* ---------------------------------------------------------- compaction */

struct plan {
	char finished[8][16];
	int nfinished;
};

/* Finished: names whose last record has FINAL (no REOPEN after it). */
static int plan_prepare(void *ctx, const struct rt_rec *r)
{
	struct plan *p = ctx;
	int k = -1;
	for (int i = 0; i < p->nfinished; i++)
		if (strlen(p->finished[i]) == r->nlen && memcmp(p->finished[i], r->name, r->nlen) == 0)
			k = i;
	if ((r->flags & RT_REC_FINAL) && k < 0 && p->nfinished < 8) {
		memcpy(p->finished[p->nfinished], r->name, r->nlen);
		p->finished[p->nfinished++][r->nlen] = '\0';
	} else if (!(r->flags & RT_REC_FINAL) && k >= 0) {
		p->finished[k][0] = '\0';           /* reopened */
	}
	return 0;
}

static enum rt_route plan_route(void *ctx, const struct rt_rec *r)
{
	struct plan *p = ctx;
	for (int i = 0; i < p->nfinished; i++)
		if (strlen(p->finished[i]) == r->nlen && memcmp(p->finished[i], r->name, r->nlen) == 0)
			return RT_ROUTE_ARCHIVE;
	return RT_ROUTE_LIVE;
}

/* Records 0..11 of names a (ends with FINAL at 11) and b (live). */
static void fill_two(struct rt_store *st)
{
	char buf[128];
	for (int i = 0; i < 12; i++) {
		struct rt_rec r = rec_of(i, buf, sizeof buf, i % 2 ? "b" : "a");
		r.flags = i == 10 ? RT_REC_FINAL : 0;   /* a's last record */
		uint64_t lsn;
		ck_assert_int_eq(st->m->append(st, &r, &lsn), 0);
	}
	uint64_t d;
	ck_assert_int_eq(st->m->sync(st, &d), 0);
}

static int visit_ids(void *ctx, const struct rt_rec *r)
{
	struct seen *s = ctx;
	int i = -1;
	char got[256];
	memcpy(got, r->data, r->len < 255 ? r->len : 255);
	got[r->len < 255 ? r->len : 255] = '\0';
	sscanf(got, "{\"i\":%d", &i);
	s->ids[s->n] = i;
	memcpy(s->names[s->n], r->name, r->nlen);
	s->names[s->n++][r->nlen] = '\0';
	return 0;
}

START_TEST(compaction_moves_finished_to_archive)
{
	char *dir = td_make();
	char *sdir = td_path(dir, "store");
	struct rt_store *st;
	char *why = NULL;
	ck_assert_int_eq(rt_store_open_log(sdir, TAG, RT_SYNC_BATCH, NULL, 0, &st, &why), 0);
	fill_two(st);
	struct plan p = { .nfinished = 0 };
	ck_assert_int_eq(st->m->compact(st, plan_prepare, plan_route, &p), 0);
	/* a record appended after compaction lands in the new live log */
	char buf[128];
	struct rt_rec r = rec_of(12, buf, sizeof buf, "b");
	uint64_t lsn, d;
	ck_assert_int_eq(st->m->append(st, &r, &lsn), 0);
	ck_assert_int_eq(st->m->sync(st, &d), 0);
	struct seen s = { 0 };
	ck_assert_int_eq(st->m->scan(st, RT_SCAN_LIVE, visit_ids, &s), 0);
	ck_assert_int_eq(s.n, 7);
	for (int i = 0; i < 6; i++)
		ck_assert_int_eq(s.ids[i], 2 * i + 1);
	ck_assert_int_eq(s.ids[6], 12);
	memset(&s, 0, sizeof s);
	ck_assert_int_eq(st->m->scan(st, RT_SCAN_ALL, visit_ids, &s), 0);
	ck_assert_int_eq(s.n, 13);                /* archive (a) first */
	for (int i = 0; i < 6; i++) {
		ck_assert_int_eq(s.ids[i], 2 * i);
		ck_assert_str_eq(s.names[i], "a");
	}
	st->m->close(st);
	char *old = td_path(sdir, "wal-00000001.log");
	char *arch = td_path(sdir, "archive-00000001.log");
	char *cur = td_path(sdir, "wal-00000002.log");
	ck_assert_int_eq(file_size(old), -1);
	ck_assert_int_gt(file_size(arch), 0);
	ck_assert_int_gt(file_size(cur), 0);
	/* a reader sees the same */
	ck_assert_int_eq(rt_store_open_log(sdir, TAG, RT_SYNC_BATCH, NULL, RT_STORE_READONLY, &st,
					   &why), 0);
	memset(&s, 0, sizeof s);
	ck_assert_int_eq(st->m->scan(st, RT_SCAN_ALL, visit_ids, &s), 0);
	ck_assert_int_eq(s.n, 13);
	st->m->close(st);
	free(old);
	free(arch);
	free(cur);
	free(sdir);
	rm_dir(dir);
}
END_TEST

/* Records synced while a compaction runs (here: from its prepare pass,
 * which runs without the write lock) follow in the new live log, in order,
 * even when they belong to an execution that finishes with them. */
struct busy {
	struct plan p;
	struct rt_store *st;
	int done;
};

static int busy_prepare(void *ctx, const struct rt_rec *r)
{
	struct busy *b = ctx;
	if (!b->done) {
		b->done = 1;
		char buf[128];
		for (int i = 12; i < 14; i++) {
			struct rt_rec n = rec_of(i, buf, sizeof buf, "b");
			n.flags = i == 13 ? RT_REC_FINAL : 0;       /* b finishes here */
			uint64_t lsn, d;
			ck_assert_int_eq(b->st->m->append(b->st, &n, &lsn), 0);
			ck_assert_int_eq(b->st->m->sync(b->st, &d), 0);
		}
	}
	return plan_prepare(&b->p, r);
}

static enum rt_route busy_route(void *ctx, const struct rt_rec *r)
{
	return plan_route(&((struct busy *)ctx)->p, r);
}

START_TEST(compaction_keeps_concurrent_appends)
{
	char *dir = td_make();
	char *sdir = td_path(dir, "store");
	struct rt_store *st;
	char *why = NULL;
	ck_assert_int_eq(rt_store_open_log(sdir, TAG, RT_SYNC_BATCH, NULL, 0, &st, &why), 0);
	fill_two(st);
	struct busy b = { .st = st };
	ck_assert_int_eq(st->m->compact(st, busy_prepare, busy_route, &b), 0);
	struct seen s = { 0 };
	ck_assert_int_eq(st->m->scan(st, RT_SCAN_LIVE, visit_ids, &s), 0);
	ck_assert_int_eq(s.n, 8);                 /* b's 6, then the 2 of the tail */
	ck_assert_int_eq(s.ids[6], 12);
	ck_assert_int_eq(s.ids[7], 13);
	memset(&s, 0, sizeof s);
	ck_assert_int_eq(st->m->scan(st, RT_SCAN_ALL, visit_ids, &s), 0);
	ck_assert_int_eq(s.n, 14);
	for (int i = 0; i < 6; i++)
		ck_assert_str_eq(s.names[i], "a");  /* archived */
	st->m->close(st);
	free(sdir);
	rm_dir(dir);
}
END_TEST

/* Crash at every sync point of a compaction: afterwards every record is
 * found exactly once by a full scan, archived or live. */
START_TEST(compaction_crash_points)
{
	for (long at = 1; at <= 6; at++) {
		char *dir = td_make();
		char *sdir = td_path(dir, "store");
		struct rt_store *st;
		char *why = NULL;
		ck_assert_int_eq(rt_store_open_log(sdir, TAG, RT_SYNC_BATCH, NULL, 0, &st, &why), 0);
		fill_two(st);
		st->m->close(st);
		struct rt_fault_io f;
		rt_fault_init(&f);
		ck_assert_int_eq(rt_store_open_log(sdir, TAG, RT_SYNC_BATCH, &f.io, 0, &st, &why), 0);
		f.crash_at_sync = f.syncs + at;
		struct plan p = { .nfinished = 0 };
		int rc = st->m->compact(st, plan_prepare, plan_route, &p);
		/* two sync points: the archive, then the new live log */
		ck_assert_int_eq(rc, at <= 2 ? -1 : 0);
		ck_assert_int_eq(f.crashed, at <= 2);
		st->m->close(st);
		rt_fault_power_loss(&f, 0);
		rt_fault_free(&f);
		ck_assert_int_eq(rt_store_open_log(sdir, TAG, RT_SYNC_BATCH, NULL, 0, &st, &why), 0);
		struct seen s = { 0 };
		ck_assert_int_eq(st->m->scan(st, RT_SCAN_ALL, visit_ids, &s), 0);
		st->m->close(st);
		ck_assert_int_eq(s.n, 12);
		int count[12] = { 0 };
		for (int i = 0; i < s.n; i++)
			count[s.ids[i]]++;
		for (int i = 0; i < 12; i++)
			ck_assert_int_eq(count[i], 1);
		free(sdir);
		rm_dir(dir);
	}
}
END_TEST

START_TEST(one_writer_at_a_time)
{
	char *dir = td_make();
	char *sdir = td_path(dir, "store");
	struct rt_store *st;
	char *why = NULL;
	ck_assert_int_eq(rt_store_open_log(sdir, TAG, RT_SYNC_BATCH, NULL, 0, &st, &why), 0);
	long pid = 0;
	ck_assert_int_eq(rt_store_locked(sdir, &pid), 1);
	ck_assert_int_eq(pid, (long)getpid());
	pid_t child = fork();
	if (child == 0) {
		struct rt_store *st2;
		char *w = NULL;
		int rc = rt_store_open_log(sdir, TAG, RT_SYNC_BATCH, NULL, 0, &st2, &w);
		_exit(rc == -2 && strstr(w, "in use by process") ? 0 : 1);
	}
	int status = 0;
	waitpid(child, &status, 0);
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	st->m->close(st);
	ck_assert_int_eq(rt_store_locked(sdir, &pid), 0);
	free(sdir);
	rm_dir(dir);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, crc32c_check_value);
	tcase_add_test(tc, frame_round_trip_and_every_corruption);
	tcase_add_test(tc, append_sync_reopen);
	tcase_add_test(tc, sync_modes);
	tcase_add_test(tc, truncate_at_every_offset);
	tcase_add_test(tc, fail_nth_write_or_fsync);
	tcase_add_test(tc, crash_at_every_sync_point);
	tcase_add_test(tc, compaction_moves_finished_to_archive);
	tcase_add_test(tc, compaction_keeps_concurrent_appends);
	tcase_add_test(tc, compaction_crash_points);
	tcase_add_test(tc, one_writer_at_a_time);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
