/* fuzz_json.c — libFuzzer target: JSON import as `casebook import --dry-run`
 * does it on a database that does not exist yet (nothing is written). */
#include <stdint.h>
#include <stdio.h>

#include "csvio.h"
#include "import.h"
#include "jsonio.h"

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
	if (jsonio_read(f, "fuzz.json", NULL, &b, &err) == 0)
		import_apply(NULL, &b, true, &stats, &err);
	fclose(f);
	csvio_batch_free(&b);
	return 0;
}
