/* test_codec.c — the record encoding: round trips, hostile input, unknown fields. */
#include "unit.h"

#include <zlib.h>

#include "case.h"
#include "codec.h"
#include "util.h"

/* A case with every field set, in several scripts. */
static void full_case(struct case_record *c)
{
	static const char *const set[][2] = {
	    {"id", "123456789012"},
	    {"rev", "42"},
	    {"name", "Нинагуль Джуманиязова"},
	    {"name_latin", "Ninagul DZHUMANIYAZOVA"},
	    {"aliases", "Ninagul Dzhumaniyazova|Нинагүл Жұманиязова|N\\|D"},
	    {"sex", "f"},
	    {"birth_year", "1985"},
	    {"affiliation", "activist|DCK supporter"},
	    {"event", "2021-05-01 митинги ДВК"},
	    {"date", "2021-05-01"},
	    {"region", "Алматы"},
	    {"city", "Алматы"},
	    {"measures",
	        "detention:days=1:date=2021-05-01|admin_arrest:days=15:fine=100 MRP:"
	        "date=2021-05-03:article=KoAP 488 part 6:court=Медеуский суд|warning|"
	        "admin_arrest:days=0"},
	    {"injuries",
	        "strangulation:body=шея:exam=yes|bruise:note=many\\: arms|"
	        "head_trauma:exam=no|joint_injury:body=shoulder"},
	    {"status", "appeal"},
	    {"verification", "likely"},
	    {"lawyer", "Айгерім Адвокатова"},
	    {"hearing", "2021-06"},
	    {"confidentiality", "public"},
	    {"sources", "https://example.org/a?b=c|Radio Azattyq 2021-05-02"},
	    {"notes", "Задержана у памятника.\nTab:\tend"},
	    {"created", "2021-05-02T08:00:00Z"},
	    {"updated", "2021-05-03T09:30:15Z"},
	    {"updated_by", "aigerim"},
	};
	unit_case_fill(c, set, sizeof set / sizeof set[0]);
}

static void assert_same(const struct case_record *a, const struct case_record *b)
{
	char *x = unit_case_dump(a), *y = unit_case_dump(b);

	assert_string_equal(x, y);
	free(x);
	free(y);
	/* The parts the text form could hide. */
	assert_true(a->id == b->id);
	assert_int_equal(a->rev, b->rev);
	assert_true(a->created == b->created);
	assert_true(a->updated == b->updated);
	assert_int_equal(a->n_measures, b->n_measures);
	for (size_t i = 0; i < a->n_measures; i++) {
		assert_int_equal(a->measures[i].type, b->measures[i].type);
		assert_int_equal(a->measures[i].days, b->measures[i].days);
	}
	assert_int_equal(a->n_injuries, b->n_injuries);
	for (size_t i = 0; i < a->n_injuries; i++)
		assert_int_equal(a->injuries[i].exam, b->injuries[i].exam);
	assert_int_equal(a->unknown_len, b->unknown_len);
	if (a->unknown_len)
		assert_memory_equal(a->unknown, b->unknown, a->unknown_len);
}

static bool is_empty(const struct case_record *c)
{
	struct case_record e;
	char *x, *y;
	bool same;

	case_init(&e);
	x = unit_case_dump(c);
	y = unit_case_dump(&e);
	same = strcmp(x, y) == 0 && c->unknown == NULL && c->unknown_len == 0 &&
	    c->measures == NULL && c->injuries == NULL && c->aliases.items == NULL;
	free(x);
	free(y);
	return same;
}

/* Decodes from an exactly sized heap copy, so ASan sees any over-read. */
static int decode_copy(const unsigned char *p, size_t len, struct case_record *out,
    struct cb_err *err)
{
	unsigned char *copy = malloc(len ? len : 1);
	int rc;

	memcpy(copy, p, len);
	rc = codec_decode(copy, len, out, err);
	free(copy);
	return rc;
}

static void test_roundtrip(void **state)
{
	struct case_record c, d;
	struct buf b = {0}, b2 = {0};
	struct cb_err err = {0};

	(void)state;
	full_case(&c);
	codec_encode(&c, &b);
	assert_int_equal(b.p[0], CODEC_VERSION);
	case_init(&d);
	if (decode_copy(b.p, b.len, &d, &err))
		fail_msg("%s", err.msg);
	assert_same(&c, &d);
	assert_string_equal(d.name, "Нинагуль Джуманиязова");
	assert_string_equal(d.aliases.items[2], "N|D");
	assert_string_equal(d.measures[1].court, "Медеуский суд");
	assert_int_equal(d.measures[3].days, 0);
	assert_int_equal(d.measures[2].days, -1);
	assert_string_equal(d.injuries[1].note, "many: arms");
	assert_int_equal(d.injuries[3].exam, -1);
	assert_int_equal(d.injuries[2].exam, 0);
	assert_string_equal(d.notes, "Задержана у памятника.\nTab:\tend");
	/* Re-encoding gives the same bytes. */
	codec_encode(&d, &b2);
	assert_int_equal(b.len, b2.len);
	assert_memory_equal(b.p, b2.p, b.len);
	case_free(&d);

	/* Appends: a second record after the first decodes alone. */
	size_t first = b.len;
	codec_encode(&c, &b);
	assert_int_equal(b.len, 2 * first);
	memset(&d, 0, sizeof d); /* zeroed is accepted too */
	assert_int_equal(decode_copy(b.p + first, first, &d, &err), 0);
	assert_same(&c, &d);
	case_free(&d);

	/* Negative timestamps and the largest id survive. */
	c.created = -86400;
	c.updated = INT64_MIN;
	c.id = UINT64_MAX;
	c.rev = UINT32_MAX;
	b.len = 0;
	codec_encode(&c, &b);
	case_init(&d);
	assert_int_equal(decode_copy(b.p, b.len, &d, &err), 0);
	assert_same(&c, &d);
	case_free(&d);
	case_free(&c);
	buf_free(&b);
	buf_free(&b2);
}

static void test_empty_and_defaults(void **state)
{
	struct case_record c, d;
	struct buf b = {0};
	struct cb_err err = {0};

	(void)state;
	case_init(&c);
	codec_encode(&c, &b);
	/* Defaults are not written: just the version byte and the checksum. */
	assert_int_equal(b.len, 5);
	case_init(&d);
	assert_int_equal(decode_copy(b.p, b.len, &d, &err), 0);
	assert_true(is_empty(&d));
	case_free(&d);

	/* Non-default vocabulary values are written and come back. */
	c.sex = SEX_M;
	c.status = STATUS_CLOSED;
	c.verification = VERIF_CONFIRMED;
	c.confidentiality = CONF_PUBLIC;
	b.len = 0;
	codec_encode(&c, &b);
	assert_true(b.len > 5);
	case_init(&d);
	assert_int_equal(decode_copy(b.p, b.len, &d, &err), 0);
	assert_int_equal(d.sex, SEX_M);
	assert_int_equal(d.status, STATUS_CLOSED);
	assert_int_equal(d.verification, VERIF_CONFIRMED);
	assert_int_equal(d.confidentiality, CONF_PUBLIC);
	case_free(&d);
	case_free(&c);
	buf_free(&b);
}

/* The stored format must not change by accident: a fixed record has fixed bytes. */
static void test_golden(void **state)
{
	static const unsigned char want[] = {
	    0x02, /* version */
	    0x01, 0x01, 0x07, /* id 7 */
	    0x02, 0x01, 0x02, /* rev 2 */
	    0x03, 0x02, 0xd0, 0x90, /* name "А" */
	    0x06, 0x01, 'f', /* sex f */
	    0x0a, 0x04, 0xc5, 0xc6, 0xd1, 0x09, /* date 20210501 */
	    0x0d, 0x0e, /* measure, 14 bytes */
	    0x01, 0x09, 'd', 'e', 't', 'e', 'n', 't', 'i', 'o', 'n', /* type */
	    0x02, 0x01, 0x03, /* days 3 */
	    0x0e, 0x0b, /* injury, 11 bytes */
	    0x01, 0x06, 'b', 'r', 'u', 'i', 's', 'e', /* type */
	    0x04, 0x01, 0x01, /* exam yes */
	    0x8b, 0x4b, 0xb0, 0x34, /* CRC-32 of the bytes above, little-endian */
	};
	struct case_record c;
	struct buf b = {0};

	(void)state;
	case_init(&c);
	c.id = 7;
	c.rev = 2;
	assert_int_equal(case_assign(&c, "name=А", NULL), 0);
	assert_int_equal(case_assign(&c, "sex=f", NULL), 0);
	assert_int_equal(case_assign(&c, "date=2021-05-01", NULL), 0);
	assert_int_equal(case_assign(&c, "measures=detention:days=3", NULL), 0);
	assert_int_equal(case_assign(&c, "injuries=bruise:exam=yes", NULL), 0);
	codec_encode(&c, &b);
	assert_int_equal(b.len, sizeof want);
	assert_memory_equal(b.p, want, sizeof want);
	/* The same record as version 1 wrote it (no checksum) still decodes. */
	unsigned char old[sizeof want - 4];
	memcpy(old, want, sizeof old);
	old[0] = 0x01;
	struct case_record d;
	struct cb_err err = {0};
	case_init(&d);
	assert_int_equal(decode_copy(old, sizeof old, &d, &err), 0);
	assert_same(&c, &d);
	case_free(&d);
	case_free(&c);
	buf_free(&b);
}

static void expect_corrupt(const unsigned char *p, size_t len, const char *fragment)
{
	struct case_record d;
	struct cb_err err = {0};

	case_init(&d);
	assert_int_equal(decode_copy(p, len, &d, &err), CB_ECORRUPT);
	assert_int_equal(err.code, CB_ECORRUPT);
	if (fragment && !strstr(err.msg, fragment))
		fail_msg("message \"%s\" lacks \"%s\"", err.msg, fragment);
	assert_true(is_empty(&d));
	case_free(&d);
}

static void test_truncations(void **state)
{
	struct case_record c, d;
	struct buf b = {0};
	struct cb_err err = {0};
	size_t ok = 0, bad = 0;

	(void)state;
	full_case(&c);
	codec_encode(&c, &b);
	expect_corrupt(b.p, 0, "empty");
	for (size_t len = 1; len < b.len; len++) {
		case_init(&d);
		int rc = decode_copy(b.p, len, &d, &err);
		if (rc == 0) {
			ok++;
			case_free(&d);
		} else {
			assert_int_equal(rc, CB_ECORRUPT);
			assert_true(is_empty(&d));
			bad++;
		}
	}
	/* The checksum covers the whole record: every cut is refused, also
	 * one at a field boundary. */
	assert_int_equal(ok, 0);
	assert_int_equal(bad, b.len - 1);
	case_free(&c);
	buf_free(&b);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	return unit_xorshift(&rng_state);
}

static void test_bit_flips(void **state)
{
	struct case_record c, d, e;
	struct buf b = {0}, b2 = {0};
	struct cb_err err = {0};
	unsigned char *copy;
	int refused = 0, accepted = 0, unchanged = 0;

	(void)state;
	full_case(&c);
	/* Some unknown fields too, to exercise that path. */
	c.unknown = malloc(5);
	memcpy(c.unknown, "\x63\x03xyz", 5);
	c.unknown_len = 5;
	codec_encode(&c, &b);
	copy = malloc(b.len);
	for (int iter = 0; iter < 20000; iter++) {
		memcpy(copy, b.p, b.len);
		int flips = 1 + (int)(rng() % 3);
		for (int k = 0; k < flips; k++) {
			size_t pos = rng() % b.len;
			copy[pos] ^= (unsigned char)(1u << (rng() % 8));
		}
		/* Sometimes also cut the record short. */
		size_t len = (iter % 4 == 0) ? 1 + rng() % b.len : b.len;
		if (len == b.len && memcmp(copy, b.p, len) == 0) {
			unchanged++; /* two flips of the same bit */
			continue;
		}
		case_init(&d);
		if (decode_copy(copy, len, &d, &err) == 0) {
			/* Whatever was accepted is a record that round-trips (the
			 * checksum should let nothing through). */
			accepted++;
			b2.len = 0;
			codec_encode(&d, &b2);
			case_init(&e);
			assert_int_equal(decode_copy(b2.p, b2.len, &e, &err), 0);
			assert_same(&d, &e);
			case_free(&e);
			case_free(&d);
		} else {
			refused++;
			assert_true(is_empty(&d));
		}
	}
	free(copy);
	/* CRC-32 catches every change of up to three bits in a record this
	 * size, and a cut record fails it too. */
	assert_int_equal(accepted, 0);
	assert_int_equal(refused, 20000 - unchanged);
	case_free(&c);
	buf_free(&b);
	buf_free(&b2);
}

static void test_hostile(void **state)
{
	(void)state;
	/* Versions. */
	expect_corrupt((const unsigned char *)"\x00", 1, "version 0");
	expect_corrupt((const unsigned char *)"\x03\x03\x01x", 4, "newer casebook");
	/* Version 2 with a checksum that does not match, or no room for one. */
	expect_corrupt((const unsigned char *)"\x02\x03\x01x\0\0\0\0", 8, "checksum");
	expect_corrupt((const unsigned char *)"\x02\0\0", 3, "checksum");
	expect_corrupt((const unsigned char *)"\xff", 1, "newer");
	/* A length far beyond the record, and the largest one. */
	expect_corrupt((const unsigned char *)"\x01\x03\x7f"
	                                      "abc",
	    6, "longer than the record");
	expect_corrupt((const unsigned char *)"\x01\x03\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01x",
	    13, "longer");
	/* Varints: 11 bytes, a 10th byte over 64 bits, unfinished. */
	expect_corrupt((const unsigned char
	                       *)"\x01\x03\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x00",
	    13, "length");
	expect_corrupt((const unsigned char *)"\x01\x03\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02",
	    12, "length");
	expect_corrupt((const unsigned char *)"\x01\x03\x80", 3, "length");
	expect_corrupt((const unsigned char *)"\x01\x83", 2, "tag");
	expect_corrupt((const unsigned char *)"\x01\x03", 2, "length");
	expect_corrupt((const unsigned char *)"\x01\x00\x00", 3, "tag 0");
	/* A number field with trailing bytes, or too large for its field. */
	expect_corrupt((const unsigned char *)"\x01\x01\x02\x07\x00", 5, "bad number");
	expect_corrupt((const unsigned char *)"\x01\x02\x05\x80\x80\x80\x80\x10", 8,
	    "out of range");
	expect_corrupt((const unsigned char *)"\x01\x07\x02\x90\x4e", 5, "out of range");
	/* Embedded NUL in text. */
	expect_corrupt((const unsigned char *)"\x01\x03\x03\x61\x00\x62", 6, "NUL");
	/* Unknown vocabulary keys, including a case variant. */
	expect_corrupt((const unsigned char *)"\x01\x06\x01x", 4, "vocabulary");
	expect_corrupt((const unsigned char *)"\x01\x06\x01"
	                                      "F",
	    4, "vocabulary");
	expect_corrupt((const unsigned char *)"\x01\x0f\x04open\x01", 8, NULL);
	/* Bad dates: 2021-02-29, month 13, day without month, year 999. */
	expect_corrupt((const unsigned char *)"\x01\x0a\x04\xb5\xc4\xd1\x09", 7, "bad date");
	expect_corrupt((const unsigned char *)"\x01\x0a\x04\xe5\xcc\xd1\x09", 7, "bad date");
	expect_corrupt((const unsigned char *)"\x01\x0a\x04\xd1\xc2\xd1\x09", 7, "bad date");
	expect_corrupt((const unsigned char *)"\x01\x0a\x04\xd5\xdf\xe1\x04", 7, "bad date");
	/* Measures: no type, bad type, a nested field running past its parent. */
	expect_corrupt((const unsigned char *)"\x01\x0d\x03\x02\x01\x05", 6, "without a type");
	expect_corrupt((const unsigned char *)"\x01\x0d\x03\x01\x01z", 6, "vocabulary");
	expect_corrupt((const unsigned char *)"\x01\x0d\x04\x01\x05"
	                                      "fine",
	    7, "longer");
	expect_corrupt((const unsigned char *)"\x01\x0e\x09\x01\x04"
	                                      "burn\x04\x01\x02",
	    12, "out of range");
	expect_corrupt((const unsigned char *)"\x01\x0e\x00", 3, "without a type");
}

static void test_valid_handcrafted(void **state)
{
	struct case_record d;
	struct cb_err err = {0};

	(void)state;
	/* Field order does not matter, and a later value wins. */
	case_init(&d);
	assert_int_equal(decode_copy((const unsigned char *)"\x01\x0c\x01"
	                                                    "b\x03\x01"
	                                                    "x\x0c\x01"
	                                                    "c",
	                     10, &d, &err),
	    0);
	assert_string_equal(d.city, "c");
	assert_string_equal(d.name, "x");
	case_free(&d);
	/* An unknown sub-field inside a measure is skipped. */
	case_init(&d);
	assert_int_equal(decode_copy((const unsigned char *)"\x01\x0d\x09\x01\x04"
	                                                    "fine\x2a\x01"
	                                                    "q",
	                     12, &d, &err),
	    0);
	assert_int_equal(d.n_measures, 1);
	assert_int_equal(d.measures[0].type, MEASURE_FINE);
	assert_int_equal(d.unknown_len, 0);
	case_free(&d);
}

static void test_unknown_fields(void **state)
{
	struct case_record c, d, e;
	struct buf b = {0}, b2 = {0};
	struct cb_err err = {0};
	/* Tag 99 (one byte, 0x63) and tag 300 (two bytes), as a newer version writes them. */
	static const unsigned char extra[] = {0x63, 0x06, 'f', 'u', 't', 'u', 'r', 'e', 0xac, 0x02,
	    0x02, 0x00, 0xff};

	(void)state;
	full_case(&c);
	codec_encode(&c, &b);
	/* After the known fields and before the checksum, which covers them. */
	b.len -= 4;
	buf_put(&b, extra, sizeof extra);
	uint32_t sum = (uint32_t)crc32(0, b.p, (uInt)b.len);
	unsigned char le[4] = {(unsigned char)sum, (unsigned char)(sum >> 8),
	    (unsigned char)(sum >> 16), (unsigned char)(sum >> 24)};
	buf_put(&b, le, sizeof le);
	case_init(&d);
	assert_int_equal(decode_copy(b.p, b.len, &d, &err), 0);
	assert_int_equal(d.unknown_len, sizeof extra);
	assert_memory_equal(d.unknown, extra, sizeof extra);
	assert_string_equal(d.name, c.name);

	/* Editing the record keeps them. */
	assert_int_equal(case_assign(&d, "city=Шымкент", &err), 0);
	codec_encode(&d, &b2);
	assert_true(b2.len >= sizeof extra + 4);
	assert_memory_equal(b2.p + b2.len - 4 - sizeof extra, extra, sizeof extra);
	case_init(&e);
	assert_int_equal(decode_copy(b2.p, b2.len, &e, &err), 0);
	assert_string_equal(e.city, "Шымкент");
	assert_int_equal(e.unknown_len, sizeof extra);
	assert_memory_equal(e.unknown, extra, sizeof extra);
	/* case_copy keeps them too. */
	struct case_record f;
	case_copy(&f, &e);
	assert_int_equal(f.unknown_len, sizeof extra);
	assert_memory_equal(f.unknown, extra, sizeof extra);
	case_free(&f);
	case_free(&e);
	case_free(&d);
	case_free(&c);
	buf_free(&b);
	buf_free(&b2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_roundtrip),
	    cmocka_unit_test(test_empty_and_defaults),
	    cmocka_unit_test(test_golden),
	    cmocka_unit_test(test_truncations),
	    cmocka_unit_test(test_bit_flips),
	    cmocka_unit_test(test_hostile),
	    cmocka_unit_test(test_valid_handcrafted),
	    cmocka_unit_test(test_unknown_fields),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
