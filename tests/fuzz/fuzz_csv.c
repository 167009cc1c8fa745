/* fuzz_csv.c — libFuzzer target: CSV import as `casebook import --dry-run`
 * does it on a database that does not exist yet: parse and validate every
 * row, then check the batch without a store (nothing is written). */
#include <stdint.h>
#include <stdio.h>

#include "csvio.h"
#include "import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csvio_batch b;
	struct import_stats stats = {0};
	struct cb_err err = {0};
	FILE *f;

	if (size == 0 || !(f = fmemopen((void *)data, size, "r")))
		return 0;
	csvio_batch_init(&b);
	if (csvio_read(f, "fuzz.csv", NULL, &b, &err) == 0)
		import_apply(NULL, &b, true, &stats, &err);
	fclose(f);
	csvio_batch_free(&b);
	return 0;
}
