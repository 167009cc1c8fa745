/* jsonio.c — JSON export and import over casejson (jansson). */
#include "jsonio.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "casejson.h"
#include "util.h"

int jsonio_write_begin(struct jsonio_writer *w, FILE *f, bool no_meta)
{
	w->f = f;
	w->no_meta = no_meta;
	w->n = 0;
	return fputs("[\n", f) == EOF ? CB_EIO : 0;
}

int jsonio_write_case(struct jsonio_writer *w, const struct case_record *c)
{
	json_t *o = casejson_from_case(c);
	char *s;
	int rc = 0;

	if (w->no_meta)
		for (int f = 0; f < FIELD__COUNT; f++)
			if (!case_fields[f].user_set)
				json_object_del(o, case_fields[f].name);
	s = json_dumps(o, 0);
	json_decref(o);
	if (!s)
		die("%s", _("out of memory"));
	if ((w->n > 0 && fputs(",\n", w->f) == EOF) || fputs(s, w->f) == EOF)
		rc = CB_EIO;
	free(s);
	w->n++;
	return rc;
}

int jsonio_write_end(struct jsonio_writer *w)
{
	return fputs(w->n > 0 ? "\n]\n" : "]\n", w->f) == EOF ? CB_EIO : 0;
}

bool jsonio_sniff(const char *text, size_t len)
{
	size_t i = len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;

	while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
		i++;
	return i < len && (text[i] == '[' || text[i] == '{');
}

static size_t skip_blank(const char *s, size_t len, size_t pos, long *line)
{
	while (pos < len && (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\r' || s[pos] == '\n')) {
		if (s[pos] == '\n')
			(*line)++;
		pos++;
	}
	return pos;
}

static long count_lines(const char *s, size_t from, size_t to)
{
	long n = 0;
	for (size_t i = from; i < to; i++)
		n += s[i] == '\n';
	return n;
}

static void drop_key(const char *k, const char *v, void *ctx)
{
	(void)v;
	json_object_del(ctx, k);
}

static void rename_key(const char *k, const char *v, void *ctx)
{
	json_t *o = ctx, *val = json_object_get(o, k);
	if (!val || !v)
		return;
	json_object_set(o, v, val);
	json_object_del(o, k);
}

/* One decoded object: check it and add it to the batch. */
static void take_object(struct csvio_batch *b, const struct csvio_options *opt, json_t *o,
    long line)
{
	struct case_record c;
	struct cb_err e = {0};
	uint32_t fields = 0;
	const char *key;
	json_t *v;

	if (!json_is_object(o)) {
		csvio_batch_error(b, line, _("expected a case object"));
		b->n_rejected++;
		return;
	}
	if (opt) {
		csvio_option_each(opt->ignore, drop_key, o);
		csvio_option_each(opt->map, rename_key, o);
	}
	json_object_foreach(o, key, v)
	{
		int f = case_field_find(key);
		if (f >= 0)
			fields |= 1u << f;
	}
	case_init(&c);
	if (casejson_to_case(o, &c, &e) != 0 || case_validate(&c, &e) != 0) {
		csvio_batch_error(b, line, "%s", e.msg);
		b->n_rejected++;
		case_free(&c);
		return;
	}
	csvio_batch_keep(b, &c, line, fields);
}

/* The input, read in pieces: only the text from the object being parsed
 * on is held, so a large file is never all in memory. */
struct window {
	FILE *f;
	struct buf in;
	size_t pos; /* where parsing is, in in */
	long line; /* the file line at pos */
	bool eof;
};

/* Drops the text before pos and reads more: 64 KiB, or as much as is held
 * already (an object larger than the window doubles it). False when
 * nothing more could be read. */
static bool more(struct window *w)
{
	if (w->eof)
		return false;
	if (w->pos > 0) {
		memmove(w->in.p, w->in.p + w->pos, w->in.len - w->pos);
		w->in.len -= w->pos;
		w->pos = 0;
	}
	size_t want = w->in.len > 65536 ? w->in.len : 65536;
	buf_reserve(&w->in, want);
	size_t n = fread(w->in.p + w->in.len, 1, want, w->f);
	w->in.len += n;
	if (n < want)
		w->eof = true;
	return n > 0;
}

/* The byte after blanks at pos, or -1 at the end of the input. */
static int peek(struct window *w)
{
	for (;;) {
		w->pos = skip_blank((const char *)w->in.p, w->in.len, w->pos, &w->line);
		if (w->pos < w->in.len)
			return w->in.p[w->pos];
		if (!more(w))
			return -1;
	}
}

/* Parses the value at pos with jansson; the array brackets and commas
 * around the objects are the only bytes looked at here. An error at the
 * end of the window (an object, or a UTF-8 sequence, cut by it) reads
 * more and tries again. */
static json_t *load_next(struct csvio_batch *b, struct window *w)
{
	json_error_t je;

	for (;;) {
		const char *s = (const char *)w->in.p + w->pos;
		size_t len = w->in.len - w->pos;
		json_t *o =
		    json_loadb(s, len, JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES, &je);
		if (o) {
			w->line += count_lines(s, 0, (size_t)je.position);
			w->pos += (size_t)je.position;
			return o;
		}
		if (!w->eof &&
		    (json_error_code(&je) == json_error_premature_end_of_input ||
		        (size_t)je.position + 8 >= len) &&
		    more(w))
			continue;
		csvio_batch_error(b, w->line + (je.line > 0 ? je.line - 1 : 0), _("JSON: %s"),
		    je.text);
		b->fatal = true;
		return NULL;
	}
}

/* Reads the objects of the array, each handed to take_object. */
static void read_array(struct csvio_batch *b, const struct csvio_options *opt, struct window *w)
{
	w->pos++;
	if (peek(w) == ']') {
		w->pos++;
		return;
	}
	for (;;) {
		long at = w->line;
		json_t *o = load_next(b, w);
		if (!o)
			return;
		take_object(b, opt, o, at);
		json_decref(o);
		if (b->stopped)
			return;
		int c = peek(w);
		if (c == ',') {
			w->pos++;
			peek(w);
			continue;
		}
		if (c == ']') {
			w->pos++;
			return;
		}
		csvio_batch_error(b, w->line, _("JSON: expected ',' or ']' after a case object"));
		b->fatal = true;
		return;
	}
}

int jsonio_read(FILE *f, const char *name, const struct csvio_options *opt, struct csvio_batch *b,
    struct cb_err *err)
{
	struct window w = {.f = f, .line = 1};

	more(&w);
	if (w.in.len >= 3 && memcmp(w.in.p, "\xef\xbb\xbf", 3) == 0)
		w.pos = 3;
	int c = peek(&w);
	if (c == '{') {
		long at = w.line;
		json_t *o = load_next(b, &w);
		if (o)
			take_object(b, opt, o, at);
		json_decref(o);
	} else if (c == '[') {
		read_array(b, opt, &w);
	} else {
		csvio_batch_error(b, w.line, _("JSON: expected an array of case objects ('[')"));
		b->fatal = true;
	}
	if (!b->fatal && !b->stopped && peek(&w) >= 0) {
		csvio_batch_error(b, w.line, _("JSON: unexpected text after the end of the array"));
		b->fatal = true;
	}
	buf_free(&w.in);
	if (ferror(f))
		return cb_err_set(err, CB_EIO, _("%s: cannot read the file"), name);
	if (b->n_errors > 0)
		return csvio_errors_summary(err, CB_EINVAL, name, b->n_errors);
	return 0;
}
