/*
 * cli_durable.h - the Standard-mode commands (cli_durable.c), dispatched
 * from aslrt_main in cli.c.
 */
#ifndef ASLRT_CLI_DURABLE_H
#define ASLRT_CLI_DURABLE_H

#include "aslrt.h"

/* Run the command argv[1] when it is one of Standard mode's (start, worker,
 * list, describe, history, stop, redrive, send-task-*, get-activity-task,
 * run --type standard) and return its exit status; otherwise return -1 and
 * leave it to cli.c (`run --type express` loses its --type option, which
 * is why argc is a pointer). */
int rt_cli_durable(const struct aslrt_machine *m, const char *prog, int *argc, char **argv);

/* The store directory of the commands: given (--store) when not NULL, else
 * $ASLRT_STORE, else ./MACHINE.store, made into *owned (NULL at first; the
 * caller frees it with rt_free). Never NULL. */
const char *rt_cli_store(const struct aslrt_machine *m, const char *given, char **owned);

#endif /* ASLRT_CLI_DURABLE_H */
