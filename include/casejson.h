/* casejson.h — one case as a JSON object (jansson), the form `show --json`,
 * `list --format json` and `export --format json` write and import reads.
 * Keys are the field names of case_fields; lists are arrays; measures and
 * injuries are arrays of objects. Implemented in casejson.c. */
#ifndef CASEBOOK_CASEJSON_H
#define CASEBOOK_CASEJSON_H

#include <jansson.h>

#include "case.h"
#include "error.h"

json_t *casejson_from_case(const struct case_record *c);
/* Builds a case from a JSON object (unknown keys are an error naming them). */
int casejson_to_case(const json_t *obj, struct case_record *out, struct cb_err *err);

#endif
