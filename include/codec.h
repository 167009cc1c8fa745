/* codec.h — the versioned binary encoding of a case record in the `cases`
 * database. Decoding never trusts its input: corrupt, truncated or hostile
 * bytes give CB_ECORRUPT, never a crash or an over-read. Fields this version
 * does not know are kept in case_record.unknown and written back. */
#ifndef CASEBOOK_CODEC_H
#define CASEBOOK_CODEC_H

#include <stddef.h>

#include "case.h"
#include "error.h"
#include "util.h"

/* The encoding version this build writes. */
#define CODEC_VERSION 1

/* Appends the encoding of c to out (out is not cleared first). */
void codec_encode(const struct case_record *c, struct buf *out);

/* Decodes len bytes into out, which must be case_init'ed or zeroed; on
 * error out is left initialised but empty and err says what is wrong. */
int codec_decode(const void *data, size_t len, struct case_record *out, struct cb_err *err);

#endif
