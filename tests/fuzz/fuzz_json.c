/* fuzz_json.c — libFuzzer target: JSON import as `casebook import --dry-run`
 * does it on a database that does not exist yet (nothing is written). */
#include "import_target.h"
#include "jsonio.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return import_target_run(data, size, "fuzz.json", jsonio_read);
}
