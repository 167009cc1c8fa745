/* fuzz_codec.c — libFuzzer target: the record decoder on any bytes. A
 * record it accepts must encode again, and that encoding must decode to
 * the same record (the second encoding equals the first byte for byte). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct case_record c, again;
	struct cb_err err = {0};
	struct buf one = {0}, two = {0};

	case_init(&c);
	if (codec_decode(data, size, &c, &err) == 0) {
		codec_encode(&c, &one);
		case_init(&again);
		if (codec_decode(one.p, one.len, &again, &err) != 0)
			abort(); /* the decoder refused what the encoder wrote */
		codec_encode(&again, &two);
		if (one.len != two.len || memcmp(one.p, two.p, one.len) != 0)
			abort(); /* a decode and encode lost or changed something */
		case_free(&again);
	}
	case_free(&c);
	buf_free(&one);
	buf_free(&two);
	return 0;
}
