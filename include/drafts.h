/* drafts.h — a draft: what a form held when it was last saved aside, so
 * that nothing typed is lost to Ctrl-C, a dropped connection or kill -9.
 * A draft is a list of (key, text) pairs as the form itself holds them
 * (text that need not be a valid value yet), with the case it edits (0:
 * a new case), the revision the form started from and when it changed.
 * This module encodes and decodes drafts (a compact encoding that begins
 * with a version byte and ends with a CRC-32); store_drafts.h keeps them
 * in the database, per user. */
#ifndef CASEBOOK_DRAFTS_H
#define CASEBOOK_DRAFTS_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "util.h"

/* The encoding version this build writes. A draft of another version (a
 * newer casebook's) does not decode: it is reported and kept aside. */
#define DRAFT_VERSION 1

struct draft_field {
	char *key, *value;
};

struct draft {
	char user[64]; /* whose draft */
	uint64_t case_id; /* the case the form edits; 0: a new case */
	uint64_t token; /* tells apart two forms of one user on one case */
	uint32_t base_rev; /* the revision the form started from (0: new) */
	int64_t changed; /* unix time of the last change written */
	struct draft_field *fields;
	size_t n, cap;
};

void draft_init(struct draft *d);
void draft_free(struct draft *d);
/* Sets key to a copy of value (replacing an earlier value of key). */
void draft_set(struct draft *d, const char *key, const char *value);
/* The value of key, or NULL. */
const char *draft_get(const struct draft *d, const char *key);

/* Appends the encoding of d's contents (base_rev, changed and the fields;
 * user, case and token are the database key's) to out. */
void draft_encode(const struct draft *d, struct buf *out);
/* Decodes data[0..n) into d (draft_init'ed; its fields are replaced,
 * the key's parts are left as they are). CB_ECORRUPT with a message saying why (another
 * version, damaged) when it cannot. */
int draft_decode(const void *data, size_t n, struct draft *d, struct cb_err *err);

#endif
