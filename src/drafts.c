/* drafts.c — the encoding of a draft (drafts.h):
 *
 *   version (1 byte) | base_rev (4, big-endian) | changed (8, big-endian)
 *   | number of fields (4) | per field: key length (4), key, value
 *   length (4), value | CRC-32 (zlib) of all that (4, little-endian)
 *
 * Lengths are checked against what is left before anything is copied, so
 * damaged bytes give an error, never an over-read. */
#include "drafts.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

/* Most a decoder accepts: far more than any form holds. */
#define DRAFT_MAX_FIELDS 100000

void draft_init(struct draft *d)
{
	memset(d, 0, sizeof *d);
}

void draft_free(struct draft *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->fields[i].key);
		free(d->fields[i].value);
	}
	free(d->fields);
	d->fields = NULL;
	d->n = d->cap = 0;
}

void draft_set(struct draft *d, const char *key, const char *value)
{
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->fields[i].key, key) == 0) {
			free(d->fields[i].value);
			d->fields[i].value = xstrdup(value);
			return;
		}
	if (d->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 32;
		d->fields = xreallocarray(d->fields, d->cap, sizeof *d->fields);
	}
	d->fields[d->n].key = xstrdup(key);
	d->fields[d->n++].value = xstrdup(value);
}

const char *draft_get(const struct draft *d, const char *key)
{
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->fields[i].key, key) == 0)
			return d->fields[i].value;
	return NULL;
}

static void put_be(struct buf *b, uint64_t v, int bytes)
{
	unsigned char t[8];
	for (int i = bytes - 1; i >= 0; i--, v >>= 8)
		t[i] = (unsigned char)v;
	buf_put(b, t, (size_t)bytes);
}

static uint32_t crc_of(const unsigned char *p, size_t n)
{
	return (uint32_t)crc32_z(crc32_z(0, Z_NULL, 0), p, n);
}

void draft_encode(const struct draft *d, struct buf *out)
{
	size_t start = out->len;

	buf_putc(out, DRAFT_VERSION);
	put_be(out, d->base_rev, 4);
	put_be(out, (uint64_t)d->changed, 8);
	put_be(out, d->n, 4);
	for (size_t i = 0; i < d->n; i++) {
		size_t kl = strlen(d->fields[i].key), vl = strlen(d->fields[i].value);
		put_be(out, kl, 4);
		buf_put(out, d->fields[i].key, kl);
		put_be(out, vl, 4);
		buf_put(out, d->fields[i].value, vl);
	}
	uint32_t crc = crc_of(out->p + start, out->len - start);
	unsigned char t[4] = {(unsigned char)crc, (unsigned char)(crc >> 8),
	    (unsigned char)(crc >> 16), (unsigned char)(crc >> 24)};
	buf_put(out, t, 4);
}

/* A cursor over the bytes being decoded. */
struct reader {
	const unsigned char *p;
	size_t left;
	bool bad;
};

static uint64_t get_be(struct reader *r, int bytes)
{
	uint64_t v = 0;
	if (r->left < (size_t)bytes) {
		r->bad = true;
		return 0;
	}
	for (int i = 0; i < bytes; i++)
		v = (v << 8) | r->p[i];
	r->p += bytes;
	r->left -= (size_t)bytes;
	return v;
}

/* A copy of the next len bytes as a string; NULL (r->bad) when they are
 * not all there or hold a NUL. */
static char *get_text(struct reader *r)
{
	uint64_t len = get_be(r, 4);
	if (r->bad || len > r->left || memchr(r->p, '\0', len)) {
		r->bad = true;
		return NULL;
	}
	char *s = xstrndup((const char *)r->p, len);
	r->p += len;
	r->left -= len;
	return s;
}

int draft_decode(const void *data, size_t n, struct draft *d, struct cb_err *err)
{
	const unsigned char *p = data;
	struct reader r = {p + 1, n >= 5 ? n - 5 : 0, false};

	draft_free(d);
	if (n < 1 + 4 + 8 + 4 + 4)
		return cb_err_set(err, CB_ECORRUPT, "%s", _("the draft is cut short"));
	if (p[0] != DRAFT_VERSION)
		return cb_err_set(err, CB_ECORRUPT,
		    _("the draft was written by another version of casebook (format %u; this one "
		      "reads %u)"),
		    p[0], DRAFT_VERSION);
	uint32_t want = (uint32_t)p[n - 4] | (uint32_t)p[n - 3] << 8 | (uint32_t)p[n - 2] << 16 |
	    (uint32_t)p[n - 1] << 24;
	if (crc_of(p, n - 4) != want)
		return cb_err_set(err, CB_ECORRUPT, "%s",
		    _("the draft is damaged (its bytes do not match their checksum)"));
	d->base_rev = (uint32_t)get_be(&r, 4);
	d->changed = (int64_t)get_be(&r, 8);
	uint64_t count = get_be(&r, 4);
	if (count > DRAFT_MAX_FIELDS)
		r.bad = true;
	for (uint64_t i = 0; i < count && !r.bad; i++) {
		char *k = get_text(&r), *v = k ? get_text(&r) : NULL;
		if (k && v)
			draft_set(d, k, v);
		free(k);
		free(v);
	}
	if (r.bad || r.left) {
		draft_free(d);
		return cb_err_set(err, CB_ECORRUPT, "%s", _("the draft is damaged"));
	}
	return 0;
}
