/*
 * store.h - the checkpoint store of Standard executions, behind a method
 * table in the manner of SQLite's VFS: the scheduler only sees `struct
 * rt_store` and its methods, so another backend (or a test's fault-injecting
 * wrapper) can stand in for the default one, the append-only log of
 * store_log.c. Below the log, every OS call goes through `struct
 * rt_store_io`, so tests fail the Nth write or fsync, or lose what was not
 * synced, exactly where a disk would. Design: docs/durable.md.
 *
 * A record is opaque to the store except for its frame: a kind, flags (the
 * store's compaction needs FINAL / REOPEN), the execution name it belongs to,
 * and a payload. Ownership: records passed in are borrowed (copied when
 * appended); records passed to a visitor are borrowed for the call only.
 */
#ifndef ASLRT_STORE_H
#define ASLRT_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* ------------------------------------------------------------ records */

enum rt_rec_kind {
	RT_REC_START = 1,              /* an execution began                     */
	RT_REC_STEP,                   /* a checkpoint after one step            */
	RT_REC_TASK,                   /* a task's result (or error)             */
	RT_REC_PARK,                   /* a task parked on a token               */
	RT_REC_END,                    /* stopped (ABORTED) or TIMED_OUT         */
	RT_REC_REDRIVE,                /* restarted from a checkpoint            */
	RT_REC_NOTE                    /* activity started, heartbeat: history only */
};

#define RT_REC_FINAL 0x01          /* the execution is finished after this   */
#define RT_REC_REOPEN 0x02         /* the execution runs again after this    */

#define RT_REC_HEADER 8u           /* u32 length, u32 CRC-32C                 */
#define RT_REC_MAX (64u << 20)     /* largest body accepted on recovery      */

struct rt_rec {
	uint8_t kind, flags;
	const char *name;              /* the execution's name (not terminated)  */
	size_t nlen;
	const char *data;              /* payload (JSON text, not terminated)    */
	size_t len;
};

/* CRC-32C of n bytes at data, continuing from crc (0 to start). */
uint32_t rt_crc32c(uint32_t crc, const void *data, size_t n);

/* Frame r into out (RT_REC_HEADER + rt_rec_body_size(r) bytes). */
size_t rt_rec_body_size(const struct rt_rec *r);
void rt_rec_frame(const struct rt_rec *r, unsigned char *out);

/* Check the frame at p (avail bytes available). Returns the frame's total
 * size and fills r (pointing into p) when it is complete and its CRC holds;
 * 0 when it is incomplete, corrupt, or longer than RT_REC_MAX. */
size_t rt_rec_parse(const unsigned char *p, size_t avail, struct rt_rec *r);

/* ------------------------------------------------------------ OS calls */

/* What the log backend asks of the OS. Each returns what the POSIX call
 * returns (-1 with errno on failure). rt_store_posix is the real thing. */
struct rt_store_io {
	int (*open)(struct rt_store_io *io, const char *path, int flags, mode_t mode);
	ssize_t (*write)(struct rt_store_io *io, int fd, const void *buf, size_t n);
	ssize_t (*pread)(struct rt_store_io *io, int fd, void *buf, size_t n, off_t off);
	off_t (*size)(struct rt_store_io *io, int fd);
	int (*sync)(struct rt_store_io *io, int fd);          /* fdatasync */
	int (*truncate)(struct rt_store_io *io, int fd, off_t len);
	int (*rename)(struct rt_store_io *io, const char *from, const char *to);
	int (*unlink)(struct rt_store_io *io, const char *path);
	int (*close)(struct rt_store_io *io, int fd);
	int (*sync_dir)(struct rt_store_io *io, const char *dir);
};

extern struct rt_store_io rt_store_posix;

/* --------------------------------------------------------------- store */

enum rt_sync_mode {
	RT_SYNC_BATCH,                 /* group commit: one fdatasync per sync() */
	RT_SYNC_ALWAYS,                /* every append written and synced        */
	RT_SYNC_NONE                   /* written, never synced                  */
};

/* Parse "always" / "batch" / "none". Returns 0, or -1. */
int rt_sync_mode_parse(const char *s, enum rt_sync_mode *out);

/* Called for each record; a non-zero return stops the scan and is returned
 * by it. */
typedef int (*rt_store_visit)(void *ctx, const struct rt_rec *r);

enum rt_route { RT_ROUTE_LIVE, RT_ROUTE_ARCHIVE, RT_ROUTE_DROP };
typedef enum rt_route (*rt_store_route)(void *ctx, const struct rt_rec *r);

enum rt_scan_what {
	RT_SCAN_LIVE,                  /* the live log: what recovery needs      */
	RT_SCAN_ALL                    /* archived records first, then the live  */
};

struct rt_store_stats {
	uint64_t records, bytes;       /* appended since open                   */
	uint64_t writes, syncs;        /* write() and fdatasync() calls          */
	uint64_t live_bytes;           /* size of the live log                   */
	uint64_t compactions;
	uint64_t torn_bytes;           /* dropped on open (a torn tail)          */
};

struct rt_store;

struct rt_store_methods {
	/* Add r to the store (copied). On success *lsn is its sequence number:
	 * it is durable once a sync() reports a durable LSN >= it. Returns 0,
	 * or -1 (see error()). Thread-safe. */
	int (*append)(struct rt_store *st, const struct rt_rec *r, uint64_t *lsn);
	/* Write out everything appended so far and make it durable as the
	 * sync mode says; *durable receives the highest durable LSN. Returns 0
	 * or -1. Thread-safe; concurrent calls are serialised. */
	int (*sync)(struct rt_store *st, uint64_t *durable);
	/* Call fn for every valid record, in order. Returns 0, fn's non-zero
	 * value, or -1 on an I/O error. */
	int (*scan)(struct rt_store *st, enum rt_scan_what what, rt_store_visit fn, void *ctx);
	/* Rewrite the live log: prepare sees every record durable when the
	 * compaction began once, then route sends each to the new live log or
	 * the archive (or drops it); records synced while it runs (sync() goes
	 * on meanwhile) follow in the new live log unrouted. Returns 0 or -1.
	 * Thread-safe; meant for a thread of its own. */
	int (*compact)(struct rt_store *st, rt_store_visit prepare, rt_store_route route,
		       void *ctx);
	void (*stats)(struct rt_store *st, struct rt_store_stats *out);
	/* The last failure, as a sentence (borrowed until the next call). */
	const char *(*error)(struct rt_store *st);
	/* Release everything. Records not synced are not promised. */
	void (*close)(struct rt_store *st);
};

struct rt_store {
	const struct rt_store_methods *m;
};

#define RT_STORE_READONLY 0x01     /* no lock, no repair, no append          */

/* Open (creating it, mode 0700, when missing and not read-only) the log
 * store in directory dir for the state machine named tag: a store made for
 * another machine is refused. The writer takes an exclusive lock on
 * dir/LOCK; a torn tail of the live log is cut off (and kept beside it as
 * wal-N.log.torn-OFFSET). io NULL means rt_store_posix (it must outlive the
 * store). Returns 0 with *out new (close with st->m->close), or -1 with *why
 * a new message (rt_free). When the lock is held by another process, -2
 * with *why naming its pid. */
int rt_store_open_log(const char *dir, const char *tag, enum rt_sync_mode mode,
		      struct rt_store_io *io, int flags, struct rt_store **out, char **why);

/* 1 when a process holds the store in dir open for writing (its pid in
 * *pid), else 0. */
int rt_store_locked(const char *dir, long *pid);

/* ------------------------------------------------------ fault injection */

/* An rt_store_io wrapper for tests (store_fault.c). Counters are 1-based;
 * 0 disables. A "crash" makes the Nth sync and every later call fail, as if
 * the process had died there; rt_fault_power_loss then throws away what the
 * files had not synced, keeping `keep` bytes of each unsynced tail (-1: all,
 * which is what a kill -9 does). */
struct rt_fault_io {
	struct rt_store_io io;         /* must be first                          */
	struct rt_store_io *real;
	long fail_write_at, fail_sync_at, crash_at_sync;
	long short_write;              /* the failing write writes this many bytes first */
	long writes, syncs;
	int crashed;
	int nfiles;
	struct rt_fault_file {
		char *path;
		int fd;
		off_t size, synced;
	} files[32];
};

void rt_fault_init(struct rt_fault_io *f);
/* Apply a power loss to every file f has seen written, then forget them. */
void rt_fault_power_loss(struct rt_fault_io *f, long keep);
void rt_fault_free(struct rt_fault_io *f);

#endif /* ASLRT_STORE_H */
