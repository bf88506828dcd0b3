/*
 * engine.c - the public face of Standard mode (aslrt_engine_* in aslrt.h):
 * thin wrappers over the scheduler (sched.c).
 */
#include "durable.h"
#include "taskutil.h"

struct aslrt_engine {
	struct rt_sched *sc;
};

int aslrt_engine_open(const struct aslrt_machine *m, const struct aslrt_engine_options *o,
		      struct aslrt_engine **out, struct aslrt_error *err)
{
	rt_alloc_init();
	*out = NULL;
	struct rt_sched_options so = { .dir = o->store, .workers = o->workers,
				       .history_limit = o->history_limit,
				       .compact_bytes = o->compact_bytes, .inbox = o->serve_inbox,
				       .on_finish = o->on_finish, .ctx = o->ctx };
	so.run.time_scale = o->time_scale;
	so.run.mock = o->mock;
	so.run.bindings = o->bindings;
	if (!o->store) {
		aslrt_error_set(err, ASLRT_ERR_RUNTIME, "no store directory");
		return -1;
	}
	if (o->sync && rt_sync_mode_parse(o->sync, &so.sync) != 0) {
		aslrt_error_set(err, ASLRT_ERR_RUNTIME, "sync mode \"%s\": not always, batch or none",
				o->sync);
		return -1;
	}
	struct aslrt_engine *e = rt_calloc(1, sizeof *e);
	char *why = NULL;
	if (!e || rt_sched_open(m, &so, &e->sc, &why) != 0) {
		aslrt_error_set(err, ASLRT_ERR_RUNTIME, "%s", why ? why : "out of memory");
		rt_free(why);
		rt_free(e);
		return -1;
	}
	*out = e;
	return 0;
}

int aslrt_engine_start(struct aslrt_engine *e, const char *name, cJSON *input_take,
		       struct aslrt_error *err)
{
	uint64_t lsn;
	int64_t t;
	return rt_sched_start(e->sc, name, input_take, &lsn, &t, err);
}

int aslrt_engine_run(struct aslrt_engine *e, int until_idle, struct aslrt_error *err)
{
	char *why = NULL;
	int rc = rt_sched_run(e->sc, until_idle, &why);
	if (rc != 0)
		aslrt_error_set(err, ASLRT_ERR_RUNTIME, "%s", why ? why : "the store failed");
	rt_free(why);
	return rc;
}

void aslrt_engine_stop(struct aslrt_engine *e)
{
	rt_sched_stop(e->sc);
}

void aslrt_engine_stats(struct aslrt_engine *e, struct aslrt_engine_stats *out)
{
	struct rt_store_stats ss;
	rt_sched_stats(e->sc, &out->steps, &out->finished, &ss);
	out->records = ss.records;
	out->bytes = ss.bytes;
	out->writes = ss.writes;
	out->syncs = ss.syncs;
	out->compactions = ss.compactions;
	out->live_bytes = ss.live_bytes;
}

void aslrt_engine_close(struct aslrt_engine *e)
{
	if (e) {
		rt_sched_close(e->sc);
		rt_free(e);
	}
}
