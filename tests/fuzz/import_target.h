/* import_target.h — the body the import targets share: one input read by a
 * format's reader into a batch, then checked as `casebook import --dry-run`
 * does on a database that does not exist yet (no store; nothing is written). */
#ifndef CASEBOOK_FUZZ_IMPORT_TARGET_H
#define CASEBOOK_FUZZ_IMPORT_TARGET_H

#include <stdint.h>
#include <stdio.h>

#include "csvio.h"
#include "import.h"

/* A format's reader: csvio_read or jsonio_read. */
typedef int (*import_reader)(FILE *f, const char *name, const struct csvio_options *opt,
    struct csvio_batch *b, struct cb_err *err);

/* Reads data (size bytes, named name in messages) with reader and checks the
 * batch; always 0, as libFuzzer wants. */
static inline int import_target_run(const uint8_t *data, size_t size, const char *name,
    import_reader reader)
{
	struct csvio_batch b;
	struct import_stats stats = {0};
	struct cb_err err = {0};
	FILE *f;

	if (size == 0 || !(f = fmemopen((void *)data, size, "r")))
		return 0;
	csvio_batch_init(&b);
	if (reader(f, name, NULL, &b, &err) == 0)
		import_apply(NULL, &b, true, &stats, &err);
	fclose(f);
	csvio_batch_free(&b);
	return 0;
}

#endif
