/*
 * durable_main.c - the program of the Standard-mode allocation sweep
 * (durable_sweep.py): the machine of sweep/durable.asl.json behind the
 * usual command line (aslrt_main), which also reports, with
 * ASLRT_ALLOC_COUNT set, how many allocations the command made
 * ("PROG: T allocations" on stderr), as cli.c does for `run`.
 */
#include "rt.h"

#include <stdio.h>
#include <stdlib.h>

extern const struct aslrt_machine durable_machine;

int main(int argc, char **argv)
{
	int rc = aslrt_main(&durable_machine, argc, argv);
	if (getenv("ASLRT_ALLOC_COUNT"))
		fprintf(stderr, "%s: %ld allocations\n", argv[0], rt_alloc_count());
	return rc;
}
