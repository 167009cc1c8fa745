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

bool jsonio_sniff(FILE *f)
{
	int c;
	long start = ftell(f);

	if (start < 0)
		return false;
	c = getc(f);
	if (c == 0xef) { /* byte-order mark */
		if (getc(f) != 0xbb || getc(f) != 0xbf) {
			fseek(f, start, SEEK_SET);
			return false;
		}
		c = getc(f);
	}
	while (c == ' ' || c == '\t' || c == '\r' || c == '\n')
		c = getc(f);
	fseek(f, start, SEEK_SET);
	return c == '[' || c == '{';
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

/* Calls fn for each "A=b" or "A" item of a comma-separated option. */
static void each_option(const char *list, json_t *o, void (*fn)(json_t *o, const char *k, const char *v))
{
	if (!list)
		return;
	char *copy = xstrdup(list);
	for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		if (eq)
			*eq++ = '\0';
		fn(o, tok, eq);
	}
	free(copy);
}

static void drop_key(json_t *o, const char *k, const char *v)
{
	(void)v;
	json_object_del(o, k);
}

static void rename_key(json_t *o, const char *k, const char *v)
{
	json_t *val = json_object_get(o, k);
	if (!val || !v)
		return;
	json_object_set(o, v, val);
	json_object_del(o, k);
}

/* One decoded object: check it and add it to the batch. */
static void take_object(struct csvio_batch *b, const struct csvio_options *opt, json_t *o, long line)
{
	struct case_record c;
	struct cb_err e = {0};
	uint32_t fields = 0;
	const char *key;
	json_t *v;

	if (!json_is_object(o)) {
		csvio_batch_error(b, line, _("expected a case object"));
		return;
	}
	if (opt) {
		each_option(opt->ignore, o, drop_key);
		each_option(opt->map, o, rename_key);
	}
	json_object_foreach(o, key, v) {
		int f = case_field_find(key);
		if (f >= 0)
			fields |= 1u << f;
	}
	case_init(&c);
	if (casejson_to_case(o, &c, &e) != 0 || case_validate(&c, &e) != 0) {
		csvio_batch_error(b, line, "%s", e.msg);
		case_free(&c);
		return;
	}
	csvio_batch_keep(b, &c, line, fields);
}

/* Parses one value at s[*pos] with jansson; the array brackets and commas
 * around the objects are the only bytes looked at here. */
static json_t *load_at(struct csvio_batch *b, const char *s, size_t len, size_t *pos, long *line)
{
	json_error_t je;
	json_t *o = json_loadb(s + *pos, len - *pos, JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES, &je);

	if (!o) {
		csvio_batch_error(b, *line + (je.line > 0 ? je.line - 1 : 0), _("JSON: %s"), je.text);
		return NULL;
	}
	*line += count_lines(s, *pos, *pos + (size_t)je.position);
	*pos += (size_t)je.position;
	return o;
}

int jsonio_read(FILE *f, const char *name, const struct csvio_options *opt,
    struct csvio_batch *b, struct cb_err *err)
{
	struct buf in = {0};
	char chunk[65536];
	size_t n, pos = 0;
	long line = 1;

	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_put(&in, chunk, n);
	if (ferror(f)) {
		buf_free(&in);
		return cb_err_set(err, CB_EIO, _("%s: cannot read the file"), name);
	}
	const char *s = buf_cstr(&in);
	size_t len = in.len;
	if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		pos = 3;
	pos = skip_blank(s, len, pos, &line);
	if (pos < len && s[pos] == '{') {
		long at = line;
		json_t *o = load_at(b, s, len, &pos, &line);
		if (o)
			take_object(b, opt, o, at);
		json_decref(o);
	} else if (pos < len && s[pos] == '[') {
		pos = skip_blank(s, len, pos + 1, &line);
		if (pos < len && s[pos] == ']') {
			pos++;
		} else {
			for (;;) {
				long at = line;
				json_t *o = load_at(b, s, len, &pos, &line);
				if (!o)
					break;
				take_object(b, opt, o, at);
				json_decref(o);
				if (b->stopped)
					break;
				pos = skip_blank(s, len, pos, &line);
				if (pos < len && s[pos] == ',') {
					pos = skip_blank(s, len, pos + 1, &line);
					continue;
				}
				if (pos < len && s[pos] == ']') {
					pos++;
					break;
				}
				csvio_batch_error(b, line, _("JSON: expected ',' or ']' after a case object"));
				break;
			}
		}
	} else {
		csvio_batch_error(b, line, _("JSON: expected an array of case objects ('[')"));
	}
	if (b->n_errors == 0 && !b->stopped) {
		pos = skip_blank(s, len, pos, &line);
		if (pos < len)
			csvio_batch_error(b, line, _("JSON: unexpected text after the end of the array"));
	}
	buf_free(&in);
	if (b->n_errors > 0)
		return csvio_errors_summary(err, CB_EINVAL, name, b->n_errors);
	return 0;
}
