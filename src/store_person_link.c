/* store_person_link.c — the linking rule on the path of a new case: the
 * case's identity keys, the lookup of the person it matches (a key of two
 * words or more with the same birth year), and the new case joining that
 * person or becoming a new one, its entries queued for the flush
 * (store_person_queue.c). A bulk import runs this once per case, so it
 * keeps the keys of a case in one buffer on the stack (the heap only for
 * a case of many aliases) and builds the year keys and parts of a key in
 * place instead of as lists of allocated strings. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "person.h"
#include "store.h"
#include "store_int.h"
#include "store_person_int.h"

/* Ids read from one key when looking for a match: a name shared by more
 * people than this is not worth comparing one by one. */
#define MAX_PER_KEY 1000

void case_keys_make(const struct case_record *c, struct case_keys *ck)
{
	size_t spellings = 2 + c->aliases.n;

	ck->n = 0;
	ck->n_spell = spellings;
	ck->k = ck->inl;
	ck->of = ck->inl_of;
	ck->mark = ck->inl_mark;
	if (spellings > CASE_KEYS_INLINE) {
		ck->k = xreallocarray(NULL, spellings, sizeof *ck->k);
		ck->of = xreallocarray(NULL, spellings, sizeof *ck->of);
		ck->mark = xreallocarray(NULL, spellings, sizeof *ck->mark);
	}
	for (size_t j = 0; j < spellings; j++) {
		const char *sp = j == 0 ? c->name
		    : j == 1            ? c->name_latin
		                        : c->aliases.items[j - 2];
		ck->of[j] = -1;
		if (str_empty(c->name) || str_empty(sp) || person_key(sp, ck->k[ck->n]) == 0)
			continue; /* an unidentified case has no keys at all */
		size_t i = 0;
		while (i < ck->n && strcmp(ck->k[i], ck->k[ck->n]) != 0)
			i++;
		ck->of[j] = (int)i;
		if (i == ck->n)
			ck->mark[ck->n++] = false;
	}
}

void case_keys_free(struct case_keys *ck)
{
	if (ck->k != ck->inl) {
		free(ck->k);
		free(ck->of);
		free(ck->mark);
	}
	ck->k = NULL;
	ck->n = 0;
}

/* Person pid, when it has cases and birth year year: the match so far
 * (found under key i). 0 (also when pid is gone) or CB_ECORRUPT. */
static int match_one(struct store_txn *tx, uint64_t pid, int year, size_t i, uint64_t *out,
    size_t *matched, struct cb_err *err)
{
	struct person_record *p;
	int rc = person_q_record(tx, pid, false, &p, err);

	if (rc == CB_ECORRUPT)
		return rc;
	if (rc == 0 && p->n_cases && p->birth_year == year) {
		*out = pid;
		*matched = i;
	}
	return 0;
}

int person_find_match(struct store_txn *tx, const struct case_keys *ck, int year, uint64_t *out,
    size_t *matched, struct cb_err *err)
{
	const struct person_dbs *d = &tx->st->pdb;
	MDB_cursor *c;
	int rc, which = d->years_ok ? PQ_YEAR : PQ_KEY;

	*out = 0;
	if (!year)
		return 0;
	if ((rc = mdb_cursor_open(tx->txn, d->years_ok ? d->years : d->key, &c)) != 0)
		return store_txn_fail(tx, rc, _("reading people"), err);
	for (size_t i = 0; i < ck->n && rc == 0; i++) {
		char yk[PERSON_YEAR_KEY_MAX];
		if (!strchr(ck->k[i], ' '))
			continue; /* one word is never enough */
		size_t len = d->years_ok ? person_year_key(ck->k[i], year, yk) : strlen(ck->k[i]);
		const char *key = d->years_ok ? yk : ck->k[i];
		MDB_val k = {len, (void *)key}, v;
		int seen = 0;
		for (rc = len ? mdb_cursor_get(c, &k, &v, MDB_SET_KEY) : MDB_NOTFOUND;
		     rc == 0 && seen < MAX_PER_KEY;
		     rc = mdb_cursor_get(c, &k, &v, MDB_NEXT_DUP), seen++) {
			uint64_t pid;
			memcpy(&pid, v.mv_data, sizeof pid);
			if (*out && pid >= *out)
				break; /* ids are sorted: nothing lower follows */
			if ((rc = match_one(tx, pid, year, i, out, matched, err)) != 0 ||
			    *out == pid)
				break; /* a match: the ids after it are larger */
		}
		if (rc == MDB_NOTFOUND)
			rc = 0;
		/* People given this key earlier in the transaction, not written yet. */
		const uint64_t *q;
		size_t nq = len ? person_q_ids(tx, which, key, len, &q) : 0;
		for (size_t j = 0; j < nq && rc == 0; j++)
			if (!*out || q[j] < *out)
				rc = match_one(tx, q[j], year, i, out, matched, err);
	}
	mdb_cursor_close(c);
	if (rc == CB_ECORRUPT)
		return rc;
	return rc ? store_txn_fail(tx, rc, _("reading people"), err) : 0;
}

struct part_put {
	struct store_txn *tx;
	uint64_t pid;
};

static void put_part(void *ctx, const char *part, size_t len)
{
	struct part_put *pp = ctx;
	person_q_put(pp->tx, PQ_PART, part, len, pp->pid);
}

/* Queues person pid (born in year, 0: not known) under the keys of ck
 * that are not marked (those it has already), their parts, and with the
 * year. */
static void add_keys(struct store_txn *tx, uint64_t pid, int year, const struct case_keys *ck)
{
	struct part_put pp = {tx, pid};

	for (size_t i = 0; i < ck->n; i++) {
		char yk[PERSON_YEAR_KEY_MAX];
		if (ck->mark[i])
			continue;
		person_q_put(tx, PQ_KEY, ck->k[i], strlen(ck->k[i]), pid);
		size_t len = person_year_key(ck->k[i], year, yk);
		if (len)
			person_q_put(tx, PQ_YEAR, yk, len, pid);
		person_key_parts_each(ck->k[i], put_part, &pp);
	}
}

/* The link of a new case cid to person pid, queued: case_person, the
 * blocks and the person's list. */
static int link_new(struct store_txn *tx, uint64_t cid, uint64_t pid, struct cb_err *err)
{
	int rc = person_block_queue(tx, cid, pid, err);
	if (rc == 0) {
		person_q_link(tx, cid, pid);
		person_q_put(tx, PQ_CASES, &pid, sizeof pid, cid);
	}
	return rc;
}

/* A new case (the largest id yet) that is its own new person: its
 * entries queued (store_person_queue.c). */
static int create_person(struct store_txn *tx, const struct case_record *c,
    const struct case_keys *ck, struct cb_err *err)
{
	uint64_t pid;
	int rc;

	if ((rc = store_person_new_id(tx, &pid, err)) != 0)
		return rc;
	struct person_record *p = person_q_new_record(tx, pid);
	p->rev = 1;
	person_derive(p, c, 1);
	if ((rc = link_new(tx, c->id, pid, err)) != 0)
		return rc;
	add_keys(tx, pid, p->birth_year, ck);
	return 0;
}

/* Whether any case of person pid (stored, or queued in this transaction)
 * has a known sex, in *known; reads cases only until the first such. */
static int any_sex_known(struct store_txn *tx, uint64_t pid, bool *known, struct cb_err *err)
{
	struct idarr ids = {0};
	const uint64_t *q;
	size_t nq = person_q_ids(tx, PQ_CASES, &pid, sizeof pid, &q);
	int rc = person_case_ids(tx->txn, &tx->st->pdb, pid, &ids);

	*known = false;
	if (rc) {
		free(ids.v);
		return store_txn_fail(tx, rc, _("reading people"), err);
	}
	for (size_t i = 0; i < ids.n + nq && !*known && rc == 0; i++) {
		struct case_record c;
		rc = store_get_in(tx->txn, tx->st->cases, i < ids.n ? ids.v[i] : q[i - ids.n], &c,
		    err);
		*known = rc == 0 && c.sex != SEX_UNKNOWN;
		case_free(&c);
	}
	free(ids.v);
	return rc;
}

/* The sex of person p once case c joins it, and whether its cases are then
 * of two known sexes, as person_derive gives them. The record shows
 * unknown both for none known and for mixed; its mixed mark tells them
 * apart, and only a record written before the mark had it (-1) makes
 * the cases be read. */
static int joined_sex(struct store_txn *tx, const struct person_record *p,
    const struct case_record *c, int *sex, int *mixed, struct cb_err *err)
{
	bool known = false; /* none of its cases has a known sex */
	int rc;

	*sex = p->sex;
	*mixed = p->sex_mixed;
	if (c->sex == SEX_UNKNOWN || c->sex == p->sex)
		return 0;
	if (p->sex != SEX_UNKNOWN || p->sex_mixed > 0) {
		*sex = SEX_UNKNOWN; /* two known sexes: mixed */
		*mixed = 1;
		return 0;
	}
	if (p->sex_mixed < 0 && (rc = any_sex_known(tx, p->id, &known, err)) != 0)
		return rc;
	*sex = known ? SEX_UNKNOWN : c->sex;
	*mixed = known;
	return 0;
}

/* Whether l holds s. */
static bool has_name(const struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->items[i], s) == 0)
			return true;
	return false;
}

/* A new case (the largest id yet) joining person pid, which the rule
 * matched (so their birth years are equal): the person is extended rather
 * than recomputed, giving what person_derive would. */
static int join_person(struct store_txn *tx, const struct case_record *c, uint64_t pid,
    struct case_keys *ck, size_t matched, struct cb_err *err)
{
	struct person_record *p;
	int rc = person_q_record(tx, pid, false, &p, err);

	if (rc == CB_ECORRUPT)
		return rc;
	if (rc)
		return store_txn_fail(tx, rc, _("reading people"), err);
	int sex, mixed;
	if ((rc = joined_sex(tx, p, c, &sex, &mixed, err)) != 0)
		return rc;
	/* Keys the person has already: the one it was found under, and those
	 * of spellings it holds; the others are queued (the flush keeps one
	 * entry for a key it turns out to have). */
	ck->mark[matched] = true;
	for (size_t j = 0; j < ck->n_spell; j++) {
		const char *sp = j == 0 ? c->name
		    : j == 1            ? c->name_latin
		                        : c->aliases.items[j - 2];
		if (ck->of[j] >= 0 && !ck->mark[ck->of[j]] && has_name(&p->names, sp))
			ck->mark[ck->of[j]] = true;
	}
	if ((rc = link_new(tx, c->id, pid, err)) == 0) {
		add_keys(tx, pid, p->birth_year, ck);
		person_q_record(tx, pid, true, &p, err); /* in the queue: marks it changed */
		p->sex = sex;
		p->sex_mixed = mixed;
		person_add_name(&p->names, c->name);
		person_add_name(&p->names, c->name_latin);
		for (size_t i = 0; i < c->aliases.n; i++)
			person_add_name(&p->names, c->aliases.items[i]);
		p->n_cases++;
		p->rev++;
	}
	return rc;
}

int person_link_fresh(struct store_txn *tx, const struct case_record *c, struct case_keys *ck,
    uint64_t pid, size_t matched, struct cb_err *err)
{
	return pid ? join_person(tx, c, pid, ck, matched, err) : create_person(tx, c, ck, err);
}
