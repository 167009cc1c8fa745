/* codec.h — the versioned binary encoding of a case record in the `cases`
 * database. Decoding never trusts its input: corrupt, truncated or hostile
 * bytes give CB_ECORRUPT, never a crash or an over-read. Every record
 * carries a CRC-32 that decoding verifies, so damage is refused, never
 * shown. Fields this version does not know are kept in
 * case_record.unknown and written back. */
#ifndef CASEBOOK_CODEC_H
#define CASEBOOK_CODEC_H

#include <stdbool.h>
#include <stddef.h>

#include "case.h"
#include "error.h"
#include "util.h"

/* The encoding version this build writes: 2 adds a CRC-32 of the record
 * (zlib) after the fields; version 1 records (no checksum) still decode. */
#define CODEC_VERSION 2

/* Appends the encoding of c to out (out is not cleared first). */
void codec_encode(const struct case_record *c, struct buf *out);

/* Decodes len bytes into out, which must be case_init'ed or zeroed; on
 * error out is left initialised but empty and err says what is wrong. */
int codec_decode(const void *data, size_t len, struct case_record *out, struct cb_err *err);

/* False when the record carries a checksum that does not match its bytes
 * (a version 1 record, which has none, passes). */
bool codec_checksum_ok(const void *data, size_t len);

/* True when the record is in the encoding this build writes (so it has a
 * checksum); casebook check --rewrite re-encodes the others. */
bool codec_is_current(const void *data, size_t len);

#endif
