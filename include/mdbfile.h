/* mdbfile.h — looks at an LMDB data file (data.mdb) with plain reads before
 * anything maps it: a file shorter than its own meta pages say it must be
 * would make the first access past its end kill the process (SIGBUS), and
 * an empty file would be initialised as a new database. */
#ifndef CASEBOOK_MDBFILE_H
#define CASEBOOK_MDBFILE_H

#include <stdbool.h>

#include "error.h"

enum mdbfile_state {
	MDBFILE_ABSENT, /* no such file */
	MDBFILE_WHOLE, /* an LMDB file at least as long as its newest meta page needs */
	MDBFILE_EMPTY, /* zero bytes */
	MDBFILE_TRUNCATED, /* shorter than the pages it uses */
	MDBFILE_FOREIGN, /* not an LMDB file of the version this LMDB reads */
	MDBFILE_UNREADABLE /* could not be read (errno in the message) */
};

/* Examines DIR/data.mdb and returns its state (enum above); for every
 * state but ABSENT and WHOLE, err holds a one-line message naming the file
 * and what to do (code CB_EDB). An empty file is looked at again once a
 * process that may be setting it up right now (holding LMDB's exclusive
 * lock on lock.mdb) is done. *fresh tells, for MDBFILE_ABSENT, whether dir
 * holds nothing else but a lock file, so that a new database may be made
 * there without taking over anybody's files. */
int mdbfile_check_dir(const char *dir, bool *fresh, struct cb_err *err);

#endif
