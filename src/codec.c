/* codec.c — the binary encoding of a case record.
 *
 * Layout: one version byte (CODEC_VERSION), then fields, each
 *   tag (varint) | length (varint) | payload (length bytes),
 * then (version 2 on) a 4-byte little-endian CRC-32 (zlib's crc32) of every
 * byte before it. Decoding checks it first, so a changed byte anywhere is
 * refused before any field is believed. Version 1 records, written before
 * the checksum, still decode; they gain one when they are next written.
 * Strings are raw UTF-8 without NUL; numbers are varints (timestamps
 * zigzag-encoded); dates are the varint YYYYMMDD (month, day 0 when not
 * known); vocabulary values are their stable key strings, so reordering a
 * table never changes a stored record. List fields repeat their tag once per
 * item; a measure or an injury is a nested sequence of fields. Empty
 * fields and vocabulary defaults are not written.
 *
 * Tags this version does not know are kept verbatim (tag, length and
 * payload) in case_record.unknown and written back after the known fields.
 * Unknown tags inside a measure or an injury are skipped: new sub-fields
 * must therefore be optional ones. */
#include "codec.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* Field tags: field f of case_fields (enum case_field) has tag f + 1, so
 * decoding follows the table; fields may be appended, never reordered. */
enum {
	T_ID = 1,
	T_REV,
	T_NAME,
	T_NAME_LATIN,
	T_ALIAS,
	T_SEX,
	T_BIRTH_YEAR,
	T_AFFILIATION,
	T_EVENT,
	T_DATE,
	T_REGION,
	T_CITY,
	T_MEASURE,
	T_INJURY,
	T_STATUS,
	T_VERIFICATION,
	T_LAWYER,
	T_HEARING,
	T_CONFIDENTIALITY,
	T_SOURCE,
	T_NOTES,
	T_CREATED,
	T_UPDATED,
	T_UPDATED_BY,
};
_Static_assert(T_UPDATED_BY == FIELD_UPDATED_BY + 1 && T_MEASURE == FIELD_MEASURES + 1,
    "codec tags follow enum case_field");
/* Inside a measure or an injury, part p of its item_def has tag p + 1:
 * measure type 1, days 2, fine 3, date 4, article 5, court 6; injury type 1,
 * body 2, note 3, exam 4. Parts may be appended, never reordered. */

/* ---- Checksum ----------------------------------------------------------- */

#define CHECKSUM_LEN 4
#define FIRST_CHECKSUMMED 2 /* the first encoding version with a checksum */

static uint32_t checksum(const unsigned char *p, size_t len)
{
	return (uint32_t)crc32_z(crc32_z(0, Z_NULL, 0), p, len);
}

static uint32_t get_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

bool codec_checksum_ok(const void *data, size_t len)
{
	const unsigned char *p = data;

	if (len == 0 || p[0] < FIRST_CHECKSUMMED)
		return true;
	return len > CHECKSUM_LEN &&
	    checksum(p, len - CHECKSUM_LEN) == get_le32(p + len - CHECKSUM_LEN);
}

bool codec_is_current(const void *data, size_t len)
{
	return len > 0 && ((const unsigned char *)data)[0] == CODEC_VERSION;
}

/* ---- Encoding ----------------------------------------------------------- */

static size_t varint_len(uint64_t v)
{
	size_t n = 1;

	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

/* Writes v as a LEB128 varint at p (room for 10 bytes); returns the end. */
static unsigned char *varint_at(unsigned char *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	*p++ = (unsigned char)v;
	return p;
}

/* The bytes of an encoding are written straight into the buffer after one
 * reservation a field: encoding runs once a case in an import. */
static void put_varint(struct buf *b, uint64_t v)
{
	buf_reserve(b, 10);
	b->len = (size_t)(varint_at(b->p + b->len, v) - b->p);
}

static uint64_t zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static int64_t unzigzag(uint64_t v)
{
	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

static size_t str_size(unsigned tag, const char *s)
{
	size_t n;

	if (str_empty(s))
		return 0;
	n = strlen(s);
	return varint_len(tag) + varint_len(n) + n;
}

static void put_str(struct buf *b, unsigned tag, const char *s)
{
	size_t n;

	if (str_empty(s))
		return;
	n = strlen(s);
	buf_reserve(b, 20 + n);
	unsigned char *p = varint_at(varint_at(b->p + b->len, tag), n);
	memcpy(p, s, n);
	b->len = (size_t)(p + n - b->p);
}

/* A number field: its payload is one varint (at most 10 bytes, so the
 * length is always a single byte). */
static size_t uint_size(unsigned tag, uint64_t v)
{
	return varint_len(tag) + 1 + varint_len(v);
}

static void put_uint(struct buf *b, unsigned tag, uint64_t v)
{
	buf_reserve(b, 21);
	unsigned char *p = varint_at(b->p + b->len, tag);
	*p++ = (unsigned char)varint_len(v);
	b->len = (size_t)(varint_at(p, v) - b->p);
}

static uint64_t date_num(struct pdate d)
{
	return (uint64_t)d.year * 10000 + (uint64_t)d.month * 100 + d.day;
}

static void put_vocab(struct buf *b, unsigned tag, const struct vocab *v, int val, int def)
{
	if (val != def)
		put_str(b, tag, vocab_key(v, val));
}

static void put_list(struct buf *b, unsigned tag, const struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		put_str(b, tag, l->items[i]);
}

/* The value of part p of an item, at its offset. */
static const void *part_at(const struct item_def *d, const void *item, int p)
{
	return (const char *)item + d->parts[p].off;
}

/* Writes (b != NULL) or sizes (b == NULL) the parts of an item, each as
 * field tag part + 1; a part without a value is not written. */
static size_t put_parts(struct buf *b, const struct item_def *d, const void *item)
{
	size_t n = 0;

	for (int p = 0; p < d->nparts; p++) {
		const void *at = part_at(d, item, p);
		unsigned tag = (unsigned)p + 1;
		const char *s = NULL;
		uint64_t v = 0;
		if (!item_has_part(d, item, p))
			continue;
		switch (d->parts[p].kind) {
		case KIND_VOCAB:
			s = vocab_key(d->parts[p].vocab, *(const int *)at);
			break;
		case KIND_TEXT:
			s = *(char *const *)at;
			break;
		case KIND_NUMBER:
			v = (uint64_t) * (const int32_t *)at;
			break;
		case KIND_YESNO:
			v = *(const int *)at ? 1 : 0;
			break;
		default:
			v = date_num(*(const struct pdate *)at);
			break;
		}
		if (s && b)
			put_str(b, tag, s);
		else if (b)
			put_uint(b, tag, v);
		n += s ? str_size(tag, s) : uint_size(tag, v);
	}
	return n;
}

/* A measure or an injury: a nested sequence of its parts. */
static void put_item(struct buf *b, unsigned tag, const struct item_def *d, const void *item)
{
	put_varint(b, tag);
	put_varint(b, put_parts(NULL, d, item));
	put_parts(b, d, item);
}

/* Appends the encoding of c to out. */
void codec_encode(const struct case_record *c, struct buf *out)
{
	size_t start = out->len;

	/* Most records are a few hundred bytes: one reservation avoids regrowth. */
	buf_reserve(out, 256 + c->unknown_len);
	buf_putc(out, CODEC_VERSION);
	if (c->id)
		put_uint(out, T_ID, c->id);
	if (c->rev)
		put_uint(out, T_REV, c->rev);
	put_str(out, T_NAME, c->name);
	put_str(out, T_NAME_LATIN, c->name_latin);
	put_list(out, T_ALIAS, &c->aliases);
	put_vocab(out, T_SEX, &vocab_sex, c->sex, SEX_UNKNOWN);
	if (c->birth_year > 0)
		put_uint(out, T_BIRTH_YEAR, (uint64_t)c->birth_year);
	put_list(out, T_AFFILIATION, &c->affiliation);
	put_str(out, T_EVENT, c->event);
	if (pdate_is_set(c->date))
		put_uint(out, T_DATE, date_num(c->date));
	put_str(out, T_REGION, c->region);
	put_str(out, T_CITY, c->city);
	for (size_t i = 0; i < c->n_measures; i++)
		put_item(out, T_MEASURE, &item_measure, &c->measures[i]);
	for (size_t i = 0; i < c->n_injuries; i++)
		put_item(out, T_INJURY, &item_injury, &c->injuries[i]);
	put_vocab(out, T_STATUS, &vocab_status, c->status, STATUS_OPEN);
	put_vocab(out, T_VERIFICATION, &vocab_verification, c->verification, VERIF_UNKNOWN);
	put_str(out, T_LAWYER, c->lawyer);
	if (pdate_is_set(c->hearing))
		put_uint(out, T_HEARING, date_num(c->hearing));
	put_vocab(out, T_CONFIDENTIALITY, &vocab_confidentiality, c->confidentiality,
	    CONF_INTERNAL);
	put_list(out, T_SOURCE, &c->sources);
	put_str(out, T_NOTES, c->notes);
	if (c->created)
		put_uint(out, T_CREATED, zigzag(c->created));
	if (c->updated)
		put_uint(out, T_UPDATED, zigzag(c->updated));
	put_str(out, T_UPDATED_BY, c->updated_by);
	if (c->unknown_len)
		buf_put(out, c->unknown, c->unknown_len);
	uint32_t sum = checksum(out->p + start, out->len - start);
	unsigned char le[CHECKSUM_LEN] = {(unsigned char)sum, (unsigned char)(sum >> 8),
	    (unsigned char)(sum >> 16), (unsigned char)(sum >> 24)};
	buf_put(out, le, sizeof le);
}

/* ---- Decoding ----------------------------------------------------------- */

/* A bounded view of the input; base is the start of the record, for the
 * byte offsets in messages. */
struct rd {
	const unsigned char *p, *end, *base;
};

/* One field: its tag and payload. */
struct field {
	uint64_t tag;
	const unsigned char *p;
	size_t len;
	const unsigned char *start; /* the tag's first byte */
};

static int corrupt(struct cb_err *err, const struct rd *r, const unsigned char *at,
    const char *what, uint64_t tag)
{
	return cb_err_set(err, CB_ECORRUPT, _("corrupt record: %s (field %llu, byte %zu)"), what,
	    (unsigned long long)tag, (size_t)(at - r->base));
}

/* Reads a LEB128 varint of at most 10 bytes that fits 64 bits. */
static bool get_varint(const unsigned char **pp, const unsigned char *end, uint64_t *out)
{
	const unsigned char *p = *pp;
	uint64_t v = 0;

	for (unsigned i = 0; i < 10; i++) {
		if (p >= end)
			return false;
		unsigned char b = *p++;
		if (i == 9 && b > 1)
			return false; /* more than 64 bits */
		v |= (uint64_t)(b & 0x7f) << (7 * i);
		if (!(b & 0x80)) {
			*pp = p;
			*out = v;
			return true;
		}
	}
	return false;
}

/* Reads the next field header and bounds its payload. 1: a field, 0: end of input, <0: corrupt. */
static int next_field(struct rd *r, struct field *f, struct cb_err *err)
{
	uint64_t len;

	if (r->p >= r->end)
		return 0;
	f->start = r->p;
	f->tag = 0;
	if (!get_varint(&r->p, r->end, &f->tag))
		return corrupt(err, r, f->start, _("bad or truncated field tag"), 0);
	if (f->tag == 0)
		return corrupt(err, r, f->start, _("field tag 0"), 0);
	if (!get_varint(&r->p, r->end, &len))
		return corrupt(err, r, f->start, _("bad or truncated field length"), f->tag);
	if (len > (uint64_t)(r->end - r->p))
		return corrupt(err, r, f->start, _("field longer than the record"), f->tag);
	f->p = r->p;
	f->len = (size_t)len;
	r->p += len;
	return 1;
}

/* A payload that is exactly one varint. */
static int get_uint(const struct rd *r, const struct field *f, uint64_t max, uint64_t *out,
    struct cb_err *err)
{
	const unsigned char *p = f->p, *end = f->p + f->len;

	if (!get_varint(&p, end, out) || p != end)
		return corrupt(err, r, f->start, _("bad number"), f->tag);
	if (*out > max)
		return corrupt(err, r, f->start, _("number out of range"), f->tag);
	return 0;
}

/* A payload that is text: no NUL inside. Replaces *dst. */
static int get_str(const struct rd *r, const struct field *f, char **dst, struct cb_err *err)
{
	if (memchr(f->p, '\0', f->len))
		return corrupt(err, r, f->start, _("NUL byte in text"), f->tag);
	free(*dst);
	*dst = xstrndup((const char *)f->p, f->len);
	return 0;
}

static int get_list_item(const struct rd *r, const struct field *f, struct strlist *l,
    struct cb_err *err)
{
	char *s = NULL;
	int rc = get_str(r, f, &s, err);

	if (rc)
		return rc;
	l->items = xreallocarray(l->items, l->n + 1, sizeof *l->items);
	l->items[l->n++] = s;
	return 0;
}

static int get_vocab(const struct rd *r, const struct field *f, const struct vocab *v, int *out,
    struct cb_err *err)
{
	for (int i = 0; i < v->count; i++) {
		const char *k = v->terms[i].key;
		if (strlen(k) == f->len && memcmp(k, f->p, f->len) == 0) {
			*out = i;
			return 0;
		}
	}
	return corrupt(err, r, f->start, _("unknown vocabulary key"), f->tag);
}

static bool leap(unsigned y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int get_date(const struct rd *r, const struct field *f, struct pdate *out,
    struct cb_err *err)
{
	static const unsigned char dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	uint64_t v;
	unsigned y, m, d;
	int rc = get_uint(r, f, 99991231, &v, err);

	if (rc)
		return rc;
	y = (unsigned)(v / 10000);
	m = (unsigned)(v / 100 % 100);
	d = (unsigned)(v % 100);
	if (y < 1000 || m > 12 || (m == 0 && d != 0) ||
	    (m && d > (m == 2 && leap(y) ? 29u : dim[m - 1])))
		return corrupt(err, r, f->start, _("bad date"), f->tag);
	out->year = (uint16_t)y;
	out->month = (uint8_t)m;
	out->day = (uint8_t)d;
	return 0;
}

/* Decodes one part of an item from field f (tag part + 1). */
static int get_part(const struct rd *sub, const struct field *f, const struct item_def *d,
    void *item, struct cb_err *err)
{
	int p = (int)f->tag - 1;
	void *at = (char *)item + d->parts[p].off;
	uint64_t v;
	int rc;

	switch (d->parts[p].kind) {
	case KIND_VOCAB:
		return get_vocab(sub, f, d->parts[p].vocab, at, err);
	case KIND_TEXT:
		return get_str(sub, f, at, err);
	case KIND_DATE:
		return get_date(sub, f, at, err);
	case KIND_NUMBER:
		if (!(rc = get_uint(sub, f, INT32_MAX, &v, err)))
			*(int32_t *)at = (int32_t)v;
		return rc;
	default: /* KIND_YESNO */
		if (!(rc = get_uint(sub, f, 1, &v, err)))
			*(int *)at = (int)v;
		return rc;
	}
}

/* Decodes a measure or an injury; unknown parts (a newer optional
 * sub-field) are skipped, a missing type is corrupt. */
static int get_item(const struct rd *r, const struct field *outer, const struct item_def *d,
    void *item, struct cb_err *err)
{
	struct rd sub = {outer->p, outer->p + outer->len, r->base};
	struct field f;
	bool typed = false;
	int rc;

	item_init(d, item);
	while ((rc = next_field(&sub, &f, err)) > 0) {
		if (f.tag < 1 || f.tag > (uint64_t)d->nparts)
			continue;
		typed |= f.tag == 1;
		if ((rc = get_part(&sub, &f, d, item, err)))
			break;
	}
	if (rc == 0 && !typed)
		rc = corrupt(err, r, outer->start,
		    d == &item_measure ? _("measure without a type") : _("injury without a type"),
		    outer->tag);
	if (rc)
		item_free(d, item);
	return rc;
}

/* Appends one more item (measure or injury) of field fl, decoded from f. */
static int get_list_of_items(const struct rd *r, const struct field *f, struct case_record *c,
    int fl, struct cb_err *err)
{
	const struct item_def *d = case_field_items(fl);
	size_t n;
	unsigned char *arr = (unsigned char *)case_items(c, fl, &n);
	int rc;

	arr = xreallocarray(arr, n + 1, d->size);
	if (d == &item_measure)
		c->measures = (struct measure *)arr;
	else
		c->injuries = (struct injury *)arr;
	if ((rc = get_item(r, f, d, arr + n * d->size, err)))
		return rc;
	if (d == &item_measure)
		c->n_measures++;
	else
		c->n_injuries++;
	return 0;
}

/* Decodes one field: tag t is field t - 1 of case_fields, read as its kind
 * says; a tag this version does not know is kept verbatim. */
static int decode_field(const struct rd *r, const struct field *f, struct case_record *c,
    struct cb_err *err)
{
	int fl = f->tag >= T_ID && f->tag <= T_UPDATED_BY ? (int)f->tag - T_ID : -1;
	void *at = fl >= 0 ? (char *)c + case_fields[fl].off : NULL;
	uint64_t v;
	int rc;

	switch (fl < 0 ? -1 : case_fields[fl].kind) {
	case KIND_TEXT:
		return get_str(r, f, at, err);
	case KIND_LIST:
		return get_list_item(r, f, at, err);
	case KIND_VOCAB:
		return get_vocab(r, f, case_fields[fl].vocab, at, err);
	case KIND_DATE:
		return get_date(r, f, at, err);
	case KIND_MEASURES:
	case KIND_INJURIES:
		return get_list_of_items(r, f, c, fl, err);
	case KIND_TIME:
		if ((rc = get_uint(r, f, UINT64_MAX, &v, err)))
			return rc;
		*(int64_t *)at = unzigzag(v);
		return 0;
	case KIND_NUMBER:
		if (fl == FIELD_ID)
			return get_uint(r, f, UINT64_MAX, &c->id, err);
		if ((rc = get_uint(r, f, fl == FIELD_REV ? UINT32_MAX : 9999, &v, err)))
			return rc;
		if (fl == FIELD_REV)
			c->rev = (uint32_t)v;
		else
			c->birth_year = (int)v;
		return 0;
	default: {
		/* Written by a newer casebook: keep the whole field as it was. */
		size_t n = (size_t)(f->p + f->len - f->start);
		c->unknown = xrealloc(c->unknown, c->unknown_len + n);
		memcpy(c->unknown + c->unknown_len, f->start, n);
		c->unknown_len += n;
		return 0;
	}
	}
}

/* Decodes len bytes into out; on error out is left initialised and empty. */
int codec_decode(const void *data, size_t len, struct case_record *out, struct cb_err *err)
{
	const unsigned char *p = data;
	struct rd r;
	struct field f;
	int rc;

	case_init(out);
	if (len == 0 || !p)
		return cb_err_set(err, CB_ECORRUPT, _("corrupt record: empty"));
	if (p[0] == 0 || p[0] > CODEC_VERSION)
		return cb_err_set(err, CB_ECORRUPT,
		    p[0] > CODEC_VERSION
		        ? _("record written by a newer casebook (encoding version %u; this one "
		            "reads %u): upgrade casebook")
		        : _("corrupt record: unknown encoding version %u (this casebook reads %u)"),
		    (unsigned)p[0], (unsigned)CODEC_VERSION);
	r.base = p;
	r.p = p + 1;
	r.end = p + len;
	if (p[0] >= FIRST_CHECKSUMMED) {
		if (!codec_checksum_ok(p, len))
			return cb_err_set(err, CB_ECORRUPT, "%s",
			    _("damaged record: its checksum "
			      "does not match; restore it from a backup"));
		r.end -= CHECKSUM_LEN;
	}
	while ((rc = next_field(&r, &f, err)) > 0)
		if ((rc = decode_field(&r, &f, out, err)))
			break;
	if (rc < 0) {
		case_free(out);
		return rc;
	}
	return 0;
}
