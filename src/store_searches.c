/* store_searches.c — saved searches, kept in the `meta` database under
 * "search:" and the folded name, as a small JSON object (name as given,
 * filter, who saved it and when). Meta keys rather than a database of
 * their own: they are few, and a database made before saved searches
 * needs nothing new. */
#include "searches.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fold.h"
#include "query.h"
#include "store_int.h"
#include "text.h"
#include "util.h"

#define PREFIX "search:"
/* How deep saved searches may use one another. */
#define MAX_DEPTH 16

int searches_name_check(const char *name, struct cb_err *err)
{
	size_t n = strlen(str_or_empty(name));

	if (n == 0)
		return cb_err_set(err, CB_EINVAL,
		    _("give the saved search a name, e.g. almaty_court"));
	if (n > SEARCH_NAME_MAX)
		return cb_err_set(err, CB_EINVAL,
		    _("the name of a saved search may be at most %d bytes long"), SEARCH_NAME_MAX);
	if (text_valid_len(name, n) != n)
		return cb_err_set(err, CB_EINVAL, _("the name is not valid UTF-8 text"));
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		/* Bytes from 0x80 are letters of other scripts; below, only
		 * what a filter word can hold without quotes. */
		if (*p >= 0x80 || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' || *p == '.')
			continue;
		char *clean = text_sanitize(name, 0);
		int rc = cb_err_set(err, CB_EINVAL,
		    _("bad name \"%s\" for a saved search (use letters, digits, _, - and .)"),
		    clean);
		free(clean);
		return rc;
	}
	return 0;
}

/* The meta key of name: "search:" and its folded form. */
static char *key_of(const char *name)
{
	char *f = fold_text(name);
	char *k = xasprintf(PREFIX "%s", f);
	free(f);
	return k;
}

static void search_free(struct saved_search *s)
{
	free(s->name);
	free(s->filter);
	free(s->by);
}

void searches_free(struct saved_search *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		search_free(&s[i]);
	free(s);
}

/* Decodes a stored value; false when it is not ours. */
static bool decode(const MDB_val *v, struct saved_search *out)
{
	json_t *o = json_loadb(v->mv_data, v->mv_size, 0, NULL);
	const char *name = json_string_value(json_object_get(o, "name"));
	const char *filter = json_string_value(json_object_get(o, "filter"));
	const char *by = json_string_value(json_object_get(o, "by"));

	memset(out, 0, sizeof *out);
	if (name && filter) {
		out->name = xstrdup(name);
		out->filter = xstrdup(filter);
		out->by = xstrdup(by ? by : "");
		out->at = (int64_t)json_integer_value(json_object_get(o, "at"));
	}
	json_decref(o);
	return out->name != NULL;
}

/* Walks every saved search in txn, in key order. */
static int each_search(struct store *st, MDB_txn *txn,
    void (*fn)(const struct saved_search *s, void *ctx), void *ctx, struct cb_err *err)
{
	MDB_cursor *cur;
	MDB_val k = {strlen(PREFIX), (void *)PREFIX}, v;
	int rc;

	if ((rc = mdb_cursor_open(txn, store_dbi_meta(st), &cur)) != 0)
		return store_lmdb_error(err, rc, _("reading saved searches"));
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		struct saved_search s;
		if (k.mv_size < strlen(PREFIX) || memcmp(k.mv_data, PREFIX, strlen(PREFIX)) != 0)
			break;
		if (decode(&v, &s))
			fn(&s, ctx);
		search_free(&s);
	}
	mdb_cursor_close(cur);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return store_lmdb_error(err, rc, _("reading saved searches"));
	return 0;
}

struct collect {
	struct saved_search *s;
	size_t n;
};

static void collect_one(const struct saved_search *s, void *ctx)
{
	struct collect *c = ctx;
	c->s = xreallocarray(c->s, c->n + 1, sizeof *c->s);
	c->s[c->n++] =
	    (struct saved_search){xstrdup(s->name), xstrdup(s->filter), xstrdup(s->by), s->at};
}

int searches_list(struct store *st, struct saved_search **out, size_t *n, struct cb_err *err)
{
	struct collect c = {0};
	MDB_txn *txn;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = store_read_begin(st, &txn, err)) != 0)
		return rc;
	rc = each_search(st, txn, collect_one, &c, err);
	store_read_end(st);
	if (rc) {
		searches_free(c.s, c.n);
		return rc;
	}
	*out = c.s;
	*n = c.n;
	return 0;
}

/* ---- Did you mean ---------------------------------------------------------- */

/* Edit distance between two folded names, by code point (small strings). */
static size_t distance(const char *a, const char *b)
{
	uint32_t x[SEARCH_NAME_MAX + 1], y[SEARCH_NAME_MAX + 1];
	size_t nx = 0, ny = 0, row[SEARCH_NAME_MAX + 2];

	for (const char *p = a; *p && nx < SEARCH_NAME_MAX;)
		p += text_decode(p, strlen(p), &x[nx++]);
	for (const char *p = b; *p && ny < SEARCH_NAME_MAX;)
		p += text_decode(p, strlen(p), &y[ny++]);
	for (size_t j = 0; j <= ny; j++)
		row[j] = j;
	for (size_t i = 1; i <= nx; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= ny; j++) {
			size_t up = row[j];
			size_t best = diag + (x[i - 1] != y[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[ny];
}

struct nearest {
	char *want; /* folded */
	char *best;
	size_t dist;
	struct buf names;
	size_t count;
};

static void near_one(const struct saved_search *s, void *ctx)
{
	struct nearest *nr = ctx;
	char *f = fold_text(s->name);
	size_t d = distance(nr->want, f);

	/* A slip of the keyboard: a third of the letters at most. */
	size_t len = strlen(nr->want);
	if (d <= (len > 3 ? len / 3 : 1) && d < nr->dist) {
		free(nr->best);
		nr->best = xstrdup(s->name);
		nr->dist = d;
	}
	free(f);
	if (nr->count++ < 12) {
		if (nr->names.len)
			buf_puts(&nr->names, ", ");
		buf_puts(&nr->names, s->name);
	} else if (nr->count == 13) {
		buf_puts(&nr->names, ", ...");
	}
}

/* The error for a name that is not saved, naming the nearest. */
static int not_found(struct store *st, MDB_txn *txn, const char *name, struct cb_err *err)
{
	struct nearest nr = {.want = fold_text(name), .dist = (size_t)-1};
	char *clean = text_sanitize(name, 0);
	int rc = each_search(st, txn, near_one, &nr, err);

	if (rc == 0) {
		const char *known = nr.count ? buf_cstr(&nr.names) : _("none yet");
		if (nr.best)
			rc = cb_err_set(err, CB_ENOTFOUND,
			    _("no saved search \"%s\"; did you mean %s? (saved: %s)"), clean,
			    nr.best, known);
		else
			rc = cb_err_set(err, CB_ENOTFOUND, _("no saved search \"%s\" (saved: %s)"),
			    clean, known);
	}
	free(clean);
	free(nr.want);
	free(nr.best);
	buf_free(&nr.names);
	return rc;
}

/* ---- Reading one -------------------------------------------------------------- */

static int get_in(struct store *st, MDB_txn *txn, const char *name, struct saved_search *out,
    struct cb_err *err)
{
	char *key = key_of(name);
	MDB_val k = {strlen(key), key}, v;
	int rc = mdb_get(txn, store_dbi_meta(st), &k, &v);

	free(key);
	if (rc == MDB_NOTFOUND || (rc == 0 && !decode(&v, out)))
		return not_found(st, txn, name, err);
	if (rc)
		return store_lmdb_error(err, rc, _("reading saved searches"));
	return 0;
}

int searches_get(struct store *st, const char *name, char **filter, struct cb_err *err)
{
	struct saved_search s;
	MDB_txn *txn;
	int rc;

	*filter = NULL;
	if ((rc = store_read_begin(st, &txn, err)) != 0)
		return rc;
	if ((rc = get_in(st, txn, name, &s, err)) == 0) {
		*filter = s.filter;
		s.filter = NULL;
		search_free(&s);
	}
	store_read_end(st);
	return rc;
}

/* ---- Changing --------------------------------------------------------------------- */

/* Refuses filter when one of the saved searches it uses (at any depth)
 * is missing or is name itself. */
static int check_uses(struct store *st, MDB_txn *txn, const char *name, const char *filter,
    const char *via, int depth, struct cb_err *err)
{
	struct query *q;
	struct strlist refs = {0};
	char *self = fold_text(name);
	int rc;

	if ((rc = query_parse(filter, &q, err)) != 0) {
		free(self);
		return rc;
	}
	query_saved_names(q, &refs);
	query_free(q);
	for (size_t i = 0; i < refs.n && !rc; i++) {
		struct saved_search s;
		const char *through = via ? via : refs.items[i];
		char *f = fold_text(refs.items[i]);
		if (strcmp(f, self) == 0 || depth >= MAX_DEPTH)
			rc = cb_err_set(err, CB_EINVAL,
			    _("saved search \"%s\" would use itself (through @%s)"), name, through);
		else if ((rc = get_in(st, txn, refs.items[i], &s, err)) == 0) {
			rc = check_uses(st, txn, name, s.filter, through, depth + 1, err);
			search_free(&s);
		}
		free(f);
	}
	strlist_free(&refs);
	free(self);
	return rc;
}

struct add_op {
	const char *name, *filter;
	bool replace;
	struct cb_err *err;
};

static int add_run(struct store_txn *tx, void *ctx)
{
	struct add_op *op = ctx;
	char *key = key_of(op->name);
	MDB_val k = {strlen(key), key}, v;
	int rc;

	if (!op->replace && mdb_get(tx->txn, store_dbi_meta(tx->st), &k, &v) == 0) {
		rc = cb_err_set(op->err, CB_EINVAL,
		    _("there is already a saved search \"%s\" (searches rm it first, or add "
		      "--replace)"),
		    op->name);
	} else if ((rc = check_uses(tx->st, tx->txn, op->name, op->filter, NULL, 0, op->err)) ==
	    0) {
		json_t *o = json_pack("{s:s, s:s, s:s, s:I}", "name", op->name, "filter",
		    op->filter, "by", util_username(), "at", (json_int_t)time(NULL));
		char *s = json_dumps(o, JSON_COMPACT);
		json_decref(o);
		v = (MDB_val){strlen(s), s};
		if ((rc = mdb_put(tx->txn, store_dbi_meta(tx->st), &k, &v, 0)) != 0)
			rc = store_txn_fail(tx, rc, _("saving a search"), op->err);
		free(s);
	}
	free(key);
	return rc;
}

int searches_add(struct store *st, const char *name, const char *filter, bool replace,
    struct cb_err *err)
{
	struct query *q;
	int rc;

	if ((rc = searches_name_check(name, err)) != 0)
		return rc;
	if ((rc = query_parse(filter, &q, err)) != 0)
		return rc;
	char *canon = query_to_text(q);
	query_free(q);
	struct add_op op = {name, canon, replace, err};
	rc = store_write(st, add_run, &op, err);
	free(canon);
	return rc;
}

struct user_of {
	const char *name;
	char *user; /* the first other search that uses name */
};

static void find_user(const struct saved_search *s, void *ctx)
{
	struct user_of *u = ctx;
	struct strlist refs = {0};
	struct query *q;
	struct cb_err err;
	char *want = fold_text(u->name);

	if (!u->user && query_parse(s->filter, &q, &err) == 0) {
		query_saved_names(q, &refs);
		query_free(q);
	}
	for (size_t i = 0; i < refs.n && !u->user; i++) {
		char *f = fold_text(refs.items[i]);
		if (strcmp(f, want) == 0)
			u->user = xstrdup(s->name);
		free(f);
	}
	strlist_free(&refs);
	free(want);
}

struct rm_op {
	const char *name;
	struct cb_err *err;
};

static int rm_run(struct store_txn *tx, void *ctx)
{
	struct rm_op *op = ctx;
	struct saved_search s;
	struct user_of u = {op->name, NULL};
	int rc;

	if ((rc = get_in(tx->st, tx->txn, op->name, &s, op->err)) != 0)
		return rc;
	search_free(&s);
	if ((rc = each_search(tx->st, tx->txn, find_user, &u, op->err)) != 0)
		return rc;
	if (u.user) {
		rc = cb_err_set(op->err, CB_EINVAL,
		    _("saved search \"%s\" is used by \"%s\"; change or remove that one first"),
		    op->name, u.user);
		free(u.user);
		return rc;
	}
	char *key = key_of(op->name);
	MDB_val k = {strlen(key), key};
	if ((rc = mdb_del(tx->txn, store_dbi_meta(tx->st), &k, NULL)) != 0)
		rc = store_txn_fail(tx, rc, _("removing a saved search"), op->err);
	free(key);
	return rc;
}

int searches_rm(struct store *st, const char *name, struct cb_err *err)
{
	struct rm_op op = {name, err};
	return store_write(st, rm_run, &op, err);
}
