/* SPDX-License-Identifier: GPL-2.0 */
/* A command damo launches to monitor it from its first instruction. */
#ifndef DAMO_KDAMOND_SPAWN_H
#define DAMO_KDAMOND_SPAWN_H

#include <sys/types.h>

/*
 * kdamond_spawn_held() - fork @argv, held before its exec until *@gate
 * (the write end of a pipe, returned) is written, so that it can be
 * monitored from its first instruction; closing *@gate unwritten ends it.
 * With @preload, the command runs with it in LD_PRELOAD (ASan's link order
 * check off, for a sanitized command).  Return: its pid, or -1 (errno).
 */
pid_t kdamond_spawn_held(char **argv, const char *preload, int *gate);

#endif /* DAMO_KDAMOND_SPAWN_H */
