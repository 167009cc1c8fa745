/* fuzz_csv.c — libFuzzer target: CSV import as `casebook import --dry-run`
 * does it on a database that does not exist yet: parse and validate every
 * row, then check the batch without a store (nothing is written). */
#include "import_target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return import_target_run(data, size, "fuzz.csv", csvio_read);
}
