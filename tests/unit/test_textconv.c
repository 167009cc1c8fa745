/* test_textconv.c — office CSV files: real byte strings as Excel and
 * LibreOffice write them (Windows-1251, UTF-16 LE with BOM, UTF-8 with and
 * without BOM) come out as the same UTF-8 text with the encoding named;
 * Latin-1 and broken files are refused naming line and byte; the delimiter
 * is found from the header and first rows, quotes respected. */
#include "unit.h"

#include "textconv.h"

/* Converts n bytes, expecting success with encoding enc and text want. */
static void expect_text(const char *bytes, size_t n, enum textconv_encoding enc, const char *want)
{
	struct textconv_text t;
	struct cb_err err = {0};

	if (textconv_to_utf8(bytes, n, &t, &err) != 0)
		fail_msg("refused: %s", err.msg);
	assert_int_equal(t.enc, enc);
	assert_int_equal(t.len, strlen(want));
	assert_string_equal(t.text, want);
	free(t.text);
}

/* Converts n bytes, expecting refusal with exactly msg. */
static void expect_refused(const char *bytes, size_t n, const char *msg)
{
	struct textconv_text t;
	struct cb_err err = {0};

	assert_int_equal(textconv_to_utf8(bytes, n, &t, &err), CB_EINVAL);
	assert_null(t.text);
	assert_string_equal(err.msg, msg);
}

/* What Russian Excel writes for "Save as CSV": Windows-1251, semicolons,
 * CRLF, with «», № and a comma inside an unquoted field. */
static const char cp1251_file[] =
    "\xd4\xc8\xce;\xc3\xee\xf0\xee\xe4;\xc4\xe0\xf2\xe0;"
    "\xcf\xf0\xe8\xec\xe5\xf7\xe0\xed\xe8\xe5\r\n"
    "\xc8\xe2\xe0\xed\xee\xe2 \xc8\xe2\xe0\xed;\xc0\xeb\xec\xe0\xf2\xfb;01.05.2021;"
    "\xab\xe7\xe0\xe4\xe5\xf0\xe6\xe0\xed\xbb, \xef\xf0\xee\xf2\xee\xea\xee\xeb \xb9"
    "5\r\n";
static const char cp1251_utf8[] = "ФИО;Город;Дата;Примечание\r\n"
                                  "Иванов Иван;Алматы;01.05.2021;«задержан», протокол №5\r\n";

/* KOI8-R bytes decode as Cyrillic in Windows-1251 too, as rare letters in
 * the wrong case: the letters' frequency tells them apart, the header
 * alone included. */
static void test_koi8r(void **state)
{
	(void)state;
	expect_text("\xe6\xe9\xef;\xe7\xcf\xd2\xcf\xc4;\xe4\xc1\xd4\xc1", 14, TEXTCONV_KOI8R,
	    "ФИО;Город;Дата");
	static const char koi[] =
	    "\xe6\xe9\xef;\xe7\xcf\xd2\xcf\xc4\n"
	    "\xe9\xd7\xc1\xce\xcf\xd7 \xe9\xd7\xc1\xce;\xe1\xcc\xcd\xc1\xd4\xd9\n";
	expect_text(koi, sizeof koi - 1, TEXTCONV_KOI8R, "ФИО;Город\nИванов Иван;Алматы\n");
	assert_string_equal(textconv_encoding_name(TEXTCONV_KOI8R), "KOI8-R (Cyrillic)");
}

static void test_windows_1251(void **state)
{
	(void)state;
	expect_text(cp1251_file, sizeof cp1251_file - 1, TEXTCONV_CP1251, cp1251_utf8);
	/* The header alone is enough to tell. */
	expect_text("\xd4\xc8\xce;\xc3\xee\xf0\xee\xe4;\xc4\xe0\xf2\xe0", 14, TEXTCONV_CP1251,
	    "ФИО;Город;Дата");
	/* A word or two typed with a Latin lookalike letter still reads as
	 * Cyrillic: "Aлматы" with a Latin A among four Cyrillic words. */
	static const char lookalike[] =
	    "\xc8\xe2\xe0\xed\xee\xe2;A\xeb\xec\xe0\xf2\xfb;\xc8\xe2\xe0\xed "
	    "\xc8\xe2\xe0\xed\xee\xe2 \xcf\xf0\xe8\xec\xe5\xf7\xe0\xed\xe8\xe5";
	expect_text(lookalike, sizeof lookalike - 1, TEXTCONV_CP1251,
	    "Иванов;Aлматы;Иван Иванов Примечание");
}

static void test_lost_kazakh_letters(void **state)
{
	(void)state;
	/* Excel saving Kazakh text as Windows-1251 writes "?" for қ: the
	 * letters are gone, and the file is refused naming the word. */
	static const char lost[] = "\xd4\xc8\xce;\xc3\xee\xf0\xee\xe4\n"
	                           "\xc8\xe2\xe0\xed\xee\xe2;?\xfb\xe7\xfb\xeb\xee\xf0\xe4\xe0\n";
	expect_refused(lost, sizeof lost - 1,
	    "line 2, byte 18: \"?ызылорда\" has lost letters Windows-1251 cannot hold "
	    "(such as Kazakh қ, ә, ң); save the file as \"CSV UTF-8\"");
	/* A question mark that ends a word is only punctuation. */
	static const char question[] =
	    "\xd4\xc8\xce;\xcf\xf0\xe8\xec\xe5\xf7\xe0\xed\xe8\xe5\n"
	    "\xc8\xe2\xe0\xed\xee\xe2;\xc7\xe0\xe4\xe5\xf0\xe6\xe0\xed? \xc4\xe0\n";
	expect_text(question, sizeof question - 1, TEXTCONV_CP1251,
	    "ФИО;Примечание\nИванов;Задержан? Да\n");
}

static void test_utf8_stays_utf8(void **state)
{
	(void)state;
	/* Cyrillic UTF-8 bytes would decode as Windows-1251 too ("Р¤РРћ"): valid
	 * UTF-8 must win. */
	expect_text(cp1251_utf8, sizeof cp1251_utf8 - 1, TEXTCONV_UTF8, cp1251_utf8);
	expect_text("name,city\nA,B\n", 14, TEXTCONV_UTF8, "name,city\nA,B\n");
	/* The byte-order mark is stripped and reported. */
	expect_text("\xef\xbb\xbf"
	            "ФИО;Город",
	    3 + 17, TEXTCONV_UTF8_BOM, "ФИО;Город");
	expect_text("\xef\xbb\xbf", 3, TEXTCONV_UTF8_BOM, "");
}

static void test_utf16(void **state)
{
	(void)state;
	static const char le[] =
	    "\xff\xfe"
	    "\x24\x04\x18\x04\x1e\x04\x2c\x00\x13\x04\x3e\x04\x40\x04\x3e\x04\x34\x04"
	    "\x0a\x00\x01\x04\x3b\x04\x3a\x04\x30\x04\x2c\x00\x10\x04\x3b\x04\x3c\x04\x30\x04"
	    "\x42\x04\x4b\x04\x0a\x00";
	expect_text(le, sizeof le - 1, TEXTCONV_UTF16LE, "ФИО,Город\nЁлка,Алматы\n");
	/* The same text big-endian. */
	char be[sizeof le];
	be[0] = '\xfe', be[1] = '\xff';
	for (size_t i = 2; i + 1 < sizeof le; i += 2)
		be[i] = le[i + 1], be[i + 1] = le[i];
	expect_text(be, sizeof le - 1, TEXTCONV_UTF16BE, "ФИО,Город\nЁлка,Алматы\n");
	/* A character outside the BMP (a surrogate pair) converts whole. */
	expect_text("\xff\xfe"
	            "a\x00\x3d\xd8\x00\xde",
	    8, TEXTCONV_UTF16LE, "a\xf0\x9f\x98\x80");
	expect_text("\xff\xfe", 2, TEXTCONV_UTF16LE, "");
	/* An odd byte at the end, a lone surrogate, a NUL. */
	expect_refused("\xff\xfe"
	               "a\x00\n\x00"
	               "b",
	    7, "line 2, byte 7: the file ends inside a UTF-16 character");
	expect_refused("\xff\xfe"
	               "a\x00\n\x00\x3d\xd8"
	               "b\x00",
	    10, "line 2, byte 7: bad UTF-16 sequence after a UTF-16 byte-order mark");
	expect_refused("\xff\xfe"
	               "a\x00\x00\x00",
	    6, "line 1, byte 5: NUL character (not a text file? save it as CSV)");
}

static void test_latin1_is_refused(void **state)
{
	(void)state;
	/* Latin-1 (or Windows-1252) "Café Müller;Zürich" decodes as Windows-1251
	 * to "Cafй Mьller;Zьrich": letters, but Cyrillic glued to Latin, so no
	 * honest guess is possible. The first byte that is not UTF-8 is named. */
	expect_refused("Name;City\nCaf\xe9 M\xfcller;Z\xfcrich\n", 29,
	    "line 2, byte 14: not UTF-8 (0xE9), nor Cyrillic Windows-1251; "
	    "save the file as \"CSV UTF-8\"");
	/* High bytes that are no letters at all tell nothing either. */
	expect_refused("a;b\n1;\xb1"
	               "2\n",
	    8,
	    "line 2, byte 7: not UTF-8 (0xB1), nor Cyrillic Windows-1251; "
	    "save the file as \"CSV UTF-8\"");
	/* 0x98 has no character in Windows-1251. */
	expect_refused("\xc8\xe2\xe0\xed\n\x98", 6,
	    "line 1, byte 1: not UTF-8 (0xC8), nor Cyrillic Windows-1251; "
	    "save the file as \"CSV UTF-8\"");
}

static void test_broken_and_foreign_files(void **state)
{
	(void)state;
	expect_refused("\xef\xbb\xbf"
	               "a;b\nc;\xff\n",
	    11, "line 2, byte 10: bad UTF-8 (0xFF) after a UTF-8 byte-order mark");
	expect_refused("a;b\nc\x00;d\n", 10,
	    "line 2, byte 6: NUL character (not a text file? save it as CSV)");
	/* UTF-16 without a byte-order mark shows as NULs. */
	expect_refused("a\x00;\x00", 4,
	    "line 1, byte 2: NUL character (not a text file? save it as CSV)");
	/* A NUL after the first non-UTF-8 byte is still found. */
	expect_refused("\xc8\xe2\xe0\xed\n\x00", 6,
	    "line 2, byte 6: NUL character (not a text file? save it as CSV)");
	expect_refused("PK\x03\x04\x14\x00\x06\x00", 8,
	    "this is a spreadsheet workbook (.xlsx, .xls or .ods), not CSV text: "
	    "save it as \"CSV UTF-8\" first");
	expect_refused("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", 10,
	    "this is a spreadsheet workbook (.xlsx, .xls or .ods), not CSV text: "
	    "save it as \"CSV UTF-8\" first");
	/* UTF-8 with one stray byte is not taken for Windows-1251, whose
	 * decoding of it would read as Cyrillic ("Р˜РІР°РЅРѕРІ"). */
	expect_refused("ФИО;Город\nИванов;Алматы\xff\n", 45,
	    "line 2, byte 44: bad UTF-8 (0xFF) in text that is otherwise UTF-8");
	/* Cut in the middle of the last letter. */
	expect_refused("ФИО;Город\nИванов;Алматы", 42,
	    "line 2, byte 42: bad UTF-8 (0xD1) in text that is otherwise UTF-8");
	/* An overlong encoding is not UTF-8. */
	expect_refused("\xef\xbb\xbf"
	               "a;\xc0\xaf",
	    7, "line 1, byte 6: bad UTF-8 (0xC0) after a UTF-8 byte-order mark");
}

static void test_empty_file(void **state)
{
	size_t skip = 99;
	(void)state;
	/* An empty file is UTF-8 with no text; saying "no header" is the
	 * importer's job. */
	expect_text("", 0, TEXTCONV_UTF8, "");
	assert_int_equal(textconv_delimiter("", 0, &skip), ',');
	assert_int_equal(skip, 0);
}

/* The delimiter of a NUL-terminated text. */
static char delim(const char *s)
{
	return textconv_delimiter(s, strlen(s), NULL);
}

static void test_delimiter(void **state)
{
	size_t skip;
	(void)state;

	assert_int_equal(delim(cp1251_utf8), ';');
	assert_int_equal(delim("name,city,date\nA,B,2021\n"), ',');
	assert_int_equal(delim("ФИО\tГород\tДата\r\nИванов, Иван\tАлматы\t2021\r\n"), '\t');
	/* Quoted fields holding the other delimiters do not count. */
	assert_int_equal(delim("ФИО;Город;Примечание\n\"Иванов, Иван\";Алматы;\"a, b, c\"\n"
	                       "\"Петров, Пётр\";Шымкент;\"d, e\"\n"),
	    ';');
	assert_int_equal(delim("name,city,notes\n\"a;b;c;d\",x,\"t\tt;u\"\n\"e;f\",y,z\n"), ',');
	/* A quoted field spanning lines is one record. */
	assert_int_equal(delim("a,b\n\"x;y\nz;w;v\",c\n"), ',');
	/* A header that names a column "Город, район": the count that repeats wins. */
	assert_int_equal(delim("ФИО;Город, район;Дата\nИванов;Алматы, Медеуский;2021\n"
	                       "Петров;Шымкент;2021\n"),
	    ';');
	/* One row: the candidate with more columns. */
	assert_int_equal(delim("a;b;c,d"), ';');
	assert_int_equal(delim("a,b,c;d"), ',');
	/* Ties in the header alone go tab, semicolon, comma. */
	assert_int_equal(delim("a;b,c"), ';');
	assert_int_equal(delim("a\tb;c"), '\t');
	/* One column, or only blank lines. */
	assert_int_equal(delim("ФИО\nИванов\n"), ',');
	assert_int_equal(delim("\n\n"), ',');
	/* Blank lines before the header are passed over. */
	assert_int_equal(delim("\r\n\r\na;b\n1;2\n"), ';');
	/* Excel's hint line. */
	assert_int_equal(textconv_delimiter("sep=;\r\na,b;c\n", 14, &skip), ';');
	assert_int_equal(skip, 7);
	assert_int_equal(textconv_delimiter("sep=\t", 5, &skip), '\t');
	assert_int_equal(skip, 5);
	assert_int_equal(textconv_delimiter("sep=ab\na,b\n", 11, &skip), ',');
	assert_int_equal(skip, 0);
}

static void test_names_and_summary(void **state)
{
	(void)state;
	char *s = textconv_summary(TEXTCONV_CP1251, ';');
	assert_string_equal(s, "read as Windows-1251 (Cyrillic), columns separated by semicolon");
	free(s);
	s = textconv_summary(TEXTCONV_UTF16LE, '\t');
	assert_string_equal(s, "read as UTF-16 (little-endian), columns separated by tab");
	free(s);
	assert_string_equal(textconv_encoding_name(TEXTCONV_UTF8), "UTF-8");
	assert_string_equal(textconv_encoding_name(TEXTCONV_UTF8_BOM),
	    "UTF-8 with byte-order mark");
	assert_string_equal(textconv_encoding_name(TEXTCONV_UTF16BE), "UTF-16 (big-endian)");
	assert_string_equal(textconv_delimiter_name(','), "comma");
	assert_string_equal(textconv_delimiter_name('|'), "|");
}

/* ---- Streams: files read in pieces ------------------------------------- */

/* Reads all of bytes through textconv_open as encoding (NULL: detected)
 * into a malloc'd string; returns textconv_open's code, *enc_name the
 * encoding named, *failed whether a read failed (err then says why). */
static int stream_all(const void *bytes, size_t n, const char *encoding, char **text,
    char *enc_name, size_t enc_cap, bool *failed, struct cb_err *err)
{
	FILE *in = fmemopen((void *)bytes, n, "r");
	struct textconv_stream *s;
	struct buf b = {0};
	char chunk[4096];
	size_t got;

	assert_non_null(in);
	int rc = textconv_open(in, encoding, &s, err);
	*text = NULL;
	if (rc != 0) {
		fclose(in);
		return rc;
	}
	size_t peek_len;
	textconv_peek(s, &peek_len);
	FILE *f = textconv_file(s);
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_put(&b, chunk, got);
	*failed = textconv_failed(s, err);
	snprintf(enc_name, enc_cap, "%s", textconv_stream_name(s));
	textconv_close(s);
	fclose(in);
	buf_putc(&b, '\0');
	*text = buf_steal(&b);
	return 0;
}

/* A Windows-1251 file whose first 100 KiB are ASCII: detected where its
 * first Cyrillic byte is, and converted whole, across the pieces. */
static void test_stream_late_cyrillic(void **state)
{
	(void)state;
	struct buf raw = {0}, want = {0};
	buf_puts(&raw, "name;city\r\n");
	buf_puts(&want, "name;city\r\n");
	for (int i = 0; i < 5000; i++) {
		buf_printf(&raw, "Person %d;Almaty\r\n", i);
		buf_printf(&want, "Person %d;Almaty\r\n", i);
	}
	for (int i = 0; i < 5000; i++) {
		buf_puts(&raw, "\xc8\xe2\xe0\xed\xee\xe2;\xc0\xeb\xec\xe0\xf2\xfb\r\n");
		buf_puts(&want, "Иванов;Алматы\r\n");
	}
	assert_true(raw.len > 150000);
	char *text, name[64];
	bool failed;
	struct cb_err err = {0};
	assert_int_equal(stream_all(raw.p, raw.len, NULL, &text, name, sizeof name, &failed, &err),
	    0);
	assert_false(failed);
	assert_string_equal(name, "Windows-1251 (Cyrillic)");
	assert_int_equal(strlen(text), want.len);
	assert_memory_equal(text, want.p, want.len);
	free(text);

	/* An undefined byte (0x98) far into it: the read fails naming its line. */
	buf_puts(&raw, "\x98\r\n");
	assert_int_equal(stream_all(raw.p, raw.len, NULL, &text, name, sizeof name, &failed, &err),
	    0);
	assert_true(failed);
	assert_string_equal(err.msg,
	    "line 10002, byte 173902: not valid Windows-1251 (Cyrillic) text");
	free(text);
	buf_free(&raw);
	buf_free(&want);
}

/* UTF-16 with surrogate pairs on every side of the 64 KiB pieces. */
static void test_stream_utf16_pieces(void **state)
{
	(void)state;
	struct buf raw = {0}, want = {0};
	buf_put(&raw, "\xff\xfe", 2);
	for (int i = 0; i < 30000; i++) {
		/* "Ә😀\n": U+04D8, U+1F600 (D83D DE00), LF: 8 bytes */
		buf_put(&raw, "\xd8\x04\x3d\xd8\x00\xde\x0a\x00", 8);
		buf_puts(&want, "Ә😀\n");
	}
	/* Shifted by 0 to 3 units ("A"s first), so that the 64 KiB pieces end
	 * before a record, inside a pair, and between Ә and the pair. */
	char *text, name[64];
	bool failed;
	struct cb_err err = {0};
	for (int shift = 0; shift < 4; shift++) {
		struct buf r2 = {0};
		buf_put(&r2, raw.p, 2);
		for (int k = 0; k < shift; k++)
			buf_put(&r2, "\x41\x00", 2); /* "A" */
		buf_put(&r2, raw.p + 2, raw.len - 2);
		assert_int_equal(stream_all(r2.p, r2.len, NULL, &text, name, sizeof name, &failed,
		                     &err),
		    0);
		assert_false(failed);
		assert_string_equal(name, "UTF-16 (little-endian)");
		assert_string_equal(text + shift, (char *)want.p);
		free(text);
		buf_free(&r2);
	}
	/* Named instead of detected; an unknown name refused. */
	assert_int_equal(stream_all("\xcd\xd5\xd2", 3, "koi8-r", &text, name, sizeof name, &failed,
	                     &err),
	    0);
	assert_string_equal(text, "мур");
	assert_string_equal(name, "koi8-r");
	free(text);
	assert_int_equal(stream_all("x", 1, "no-such-code", &text, name, sizeof name, &failed,
	                     &err),
	    CB_EINVAL);
	buf_free(&raw);
	buf_free(&want);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_windows_1251),
	    cmocka_unit_test(test_koi8r),
	    cmocka_unit_test(test_lost_kazakh_letters),
	    cmocka_unit_test(test_utf8_stays_utf8),
	    cmocka_unit_test(test_utf16),
	    cmocka_unit_test(test_latin1_is_refused),
	    cmocka_unit_test(test_broken_and_foreign_files),
	    cmocka_unit_test(test_empty_file),
	    cmocka_unit_test(test_delimiter),
	    cmocka_unit_test(test_names_and_summary),
	    cmocka_unit_test(test_stream_late_cyrillic),
	    cmocka_unit_test(test_stream_utf16_pieces),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
