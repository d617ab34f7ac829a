/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The embedded monitor as a producer of snapshots for damo record: a
 * running monitor's aggregations, received over its control socket, with
 * each target's RSS and VSZ as side samples once a second.
 */
#ifndef DAMO_CMD_RECORD_EMBEDDED_H
#define DAMO_CMD_RECORD_EMBEDDED_H

struct diag;
struct snap_sink;

/*
 * record_embedded() - stream running monitor eN (@id) into @sink until it
 * stops, the sink says stop, or an error.  *@source receives what it sees
 * through ("uffd", ...; owned by the caller).  Return: 0 or -errno (@d).
 */
int record_embedded(const char *rundir, unsigned long id,
		    struct snap_sink *sink, char **source, struct diag *d);

#endif /* DAMO_CMD_RECORD_EMBEDDED_H */
