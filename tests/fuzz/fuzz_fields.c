/* fuzz_fields.c — libFuzzer target: the field setters. The input is a list
 * of assignments separated by NUL bytes, each one byte of field index
 * (modulo the number of fields: 24 is the id, since 0 separates), one byte
 * of flags (bit 0: allow internal fields, as import does) and the value.
 * Every value a setter accepts must read back in a form the same setter
 * accepts and reads back unchanged; the finished record is validated,
 * copied and sent through the codec, and must come back whole. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The record's encoding, for comparing two records. */
static void encode(const struct case_record *c, struct buf *out)
{
	out->len = 0;
	codec_encode(c, out);
}

static void assign(struct case_record *c, const uint8_t *p, size_t n)
{
	struct cb_err err = {0};
	struct case_record fresh;
	int field;
	bool internal;
	char *value, *got, *again;

	if (n < 2)
		return;
	field = p[0] % FIELD__COUNT;
	internal = p[1] & 1;
	value = malloc(n - 1);
	memcpy(value, p + 2, n - 2);
	value[n - 2] = '\0';
	if (case_set_field(c, field, value, internal, &err) == 0) {
		got = case_get_field(c, field);
		case_init(&fresh);
		if (case_set_field(&fresh, field, got, true, &err) != 0)
			abort(); /* a field's own text form is refused */
		again = case_get_field(&fresh, field);
		if (strcmp(got, again) != 0)
			abort(); /* the text form does not read back unchanged */
		free(again);
		free(got);
		case_free(&fresh);
	}
	free(value);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct case_record c, copy, back;
	struct cb_err err = {0};
	struct buf a = {0}, b = {0};
	size_t start = 0;

	case_init(&c);
	for (size_t i = 0; i <= size; i++) {
		if (i == size || data[i] == '\0') {
			assign(&c, data + start, i - start);
			start = i + 1;
		}
	}
	case_validate(&c, &err);
	case_copy(&copy, &c);
	encode(&c, &a);
	encode(&copy, &b);
	if (a.len != b.len || memcmp(a.p, b.p, a.len) != 0)
		abort(); /* case_copy lost or changed something */
	case_init(&back);
	if (codec_decode(a.p, a.len, &back, &err) != 0)
		abort(); /* the codec refused a record the setters made */
	encode(&back, &b);
	if (a.len != b.len || memcmp(a.p, b.p, a.len) != 0)
		abort(); /* the codec lost or changed something */
	case_free(&c);
	case_free(&copy);
	case_free(&back);
	buf_free(&a);
	buf_free(&b);
	return 0;
}
