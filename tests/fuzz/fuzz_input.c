/*
 * fuzz_input.c - the runtime's JSON input handling: the bytes are what a
 * program gets from `--input` (parsed by rt_json_parse, as cli.c does), and
 * every parsed document runs through small fixed machines (the machines/ directory,
 * compiled by aslc at build time) that walk it with paths, templates,
 * intrinsics, Choice rules, Map, Parallel and variables. Each run ends
 * SUCCEEDED or FAILED with an error name, never a crash, leak or hang.
 */
#include "fuzz.h"

#include "rt.h"
#include "taskutil.h"

extern const struct aslrt_machine fuzz_paths_machine;
extern const struct aslrt_machine fuzz_intrinsics_machine;
extern const struct aslrt_machine fuzz_choice_machine;
extern const struct aslrt_machine fuzz_fanout_machine;

static const struct aslrt_machine *const machines[] = {
	&fuzz_paths_machine, &fuzz_intrinsics_machine, &fuzz_choice_machine,
	&fuzz_fanout_machine,
};

static void run(const struct aslrt_machine *m, const cJSON *input)
{
	static const struct aslrt_options opt = { .time_scale = 0, .execution_name = "fuzz",
						  .workers = 1 };
	cJSON *in = cJSON_Duplicate(input, 1);
	if (!in)
		return;
	struct aslrt_result res;
	if (aslrt_run(m, &opt, in, &res) == 0) {
		if (res.status == ASLRT_SUCCEEDED) {
			if (!res.output)
				abort();
			char *s = rt_json_print(res.output);
			rt_free(s);
		} else if (res.status != ASLRT_FAILED || !res.error.error) {
			abort();           /* an execution ends with a status */
		}
	}
	aslrt_result_clear(&res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rt_alloc_init();
	char *text = fuzz_text(data, size);
	if (!text)
		return 0;
	char *why = NULL;
	cJSON *input = rt_json_parse(text, size, &why);
	free(text);
	if (!input) {
		if (!why)
			abort();           /* a rejected input says why */
		rt_free(why);
		return 0;
	}
	for (size_t i = 0; i < sizeof machines / sizeof machines[0]; i++)
		run(machines[i], input);
	cJSON_Delete(input);
	return 0;
}
