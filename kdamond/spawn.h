/* SPDX-License-Identifier: GPL-2.0 */
/* A command damo launches to monitor it from its first instruction. */
#ifndef DAMO_KDAMOND_SPAWN_H
#define DAMO_KDAMOND_SPAWN_H

#include <sys/types.h>

/*
 * kdamond_spawn_held() - fork @argv, held before its exec until *@gate
 * (the write end of a pipe, returned) is written, so that it can be
 * monitored from its first instruction; closing *@gate unwritten ends it.
 * With @preload, the command runs with it added to the LD_PRELOAD it
 * inherits (kdamond_preload_list(); ASan's link order check off, for a
 * sanitized command).  Return: its pid, or -1 (errno).
 */
pid_t kdamond_spawn_held(char **argv, const char *preload, int *gate);

/*
 * kdamond_preload_list() - @lib added to @old, the user's own LD_PRELOAD
 * (NULL or a list separated by colons or spaces, as ld.so reads it):
 * "LIB:OLD", or @old unchanged when @lib is already in it, or @lib when
 * @old is empty.  The user's libraries stay: the agent is added, never
 * put in their place.  Return: a new string.
 */
char *kdamond_preload_list(const char *old, const char *lib);

#endif /* DAMO_KDAMOND_SPAWN_H */
