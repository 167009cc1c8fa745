/* store_person_year.c — the identity keys of people with their birth
 * year: `person_key_year` holds, under "KEY\x01YYYY" for each key of two
 * words or more of a person whose birth year is known, that person's id
 * (DUPSORT, INTEGERDUP). The linking rule asks for a person with the case's
 * key and the same birth year; through person_key alone that meant reading
 * every person of a common name (up to 1,000 records a case). Here it is
 * one lookup. Kept in step with person_key in the same transactions, filled
 * from the person records on the first writable open of a database made
 * before it; `casebook check` proves it holds exactly what the records
 * imply. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "store_int.h"
#include "store_person_int.h"

#define YEARS_META "person_key_year"

size_t person_year_key(const char *key, int year, char *out)
{
	size_t n = strlen(key);

	out[0] = 0;
	if (year <= 0 || year > 9999 || !strchr(key, ' '))
		return 0; /* one word never links */
	if (n > PERSON_KEY_MAX - 1)
		n = PERSON_KEY_MAX - 1;
	memcpy(out, key, n);
	out[n] = '\x01';
	for (int i = 4; i >= 1; i--, year /= 10)
		out[n + (size_t)i] = (char)('0' + year % 10);
	out[n + 5] = 0;
	return n + 5;
}

void person_year_keys(const struct strlist *keys, int year, struct strlist *out)
{
	for (size_t i = 0; i < keys->n; i++) {
		char k[PERSON_YEAR_KEY_MAX];
		if (person_year_key(keys->items[i], year, k))
			strlist_add(out, k);
	}
}

/* Puts every person with cases under its year keys (an empty
 * person_key_year). */
static int fill(MDB_txn *txn, const struct person_dbs *d)
{
	MDB_cursor *c;
	MDB_val k, v;
	int rc = mdb_cursor_open(txn, d->persons, &c);

	if (rc)
		return rc;
	for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		struct person_record p;
		struct strlist keys = {0}, yk = {0};
		uint64_t pid;
		memcpy(&pid, k.mv_data, sizeof pid);
		if (person_decode(v.mv_data, v.mv_size, pid, &p, NULL) != 0) {
			person_record_free(&p);
			continue; /* check names it */
		}
		person_record_keys(&p, &keys);
		person_year_keys(&keys, p.n_cases ? p.birth_year : 0, &yk);
		for (size_t i = 0; i < yk.n && rc == 0; i++) {
			MDB_val yk1 = {strlen(yk.items[i]), yk.items[i]}, id = {sizeof pid, &pid};
			rc = mdb_put(txn, d->years, &yk1, &id, MDB_NODUPDATA);
			if (rc == MDB_KEYEXIST)
				rc = 0;
		}
		strlist_free(&keys), strlist_free(&yk);
		person_record_free(&p);
		if (rc)
			break;
	}
	mdb_cursor_close(c);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

int person_years_open(MDB_txn *txn, MDB_dbi meta, bool readonly, struct person_dbs *d)
{
	MDB_val v;
	int rc = mdb_dbi_open(txn, YEARS_META,
	    MDB_DUPSORT | MDB_DUPFIXED | MDB_INTEGERDUP | (readonly ? 0 : MDB_CREATE), &d->years);

	d->years_ok = false;
	if (rc == MDB_NOTFOUND && readonly)
		return 0; /* made before it, read only: the rule reads records */
	if (rc)
		return rc;
	rc = store_meta_get_raw(txn, meta, YEARS_META, &v);
	if (rc == 0 || (rc == MDB_NOTFOUND && readonly)) {
		d->years_ok = rc == 0;
		return 0;
	}
	if (rc != MDB_NOTFOUND)
		return rc;
	if ((rc = mdb_drop(txn, d->years, 0)) != 0 || (rc = fill(txn, d)) != 0 ||
	    (rc = store_meta_put_raw(txn, meta, YEARS_META, "1")) != 0)
		return rc;
	d->years_ok = true;
	return 0;
}

int person_years_check(MDB_txn *txn, const struct person_dbs *d,
    void (*problem)(void *ck, uint64_t pid, const char *key), void *ck)
{
	MDB_cursor *c;
	MDB_val k, v;
	int rc;

	if (!d->years_ok)
		return 0;
	if ((rc = mdb_cursor_open(txn, d->years, &c)) != 0)
		return rc;
	for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		struct person_record p;
		struct strlist keys = {0}, yk = {0};
		char key[PERSON_KEY_MAX + 8];
		uint64_t pid;
		bool ok = false;
		memcpy(&pid, v.mv_data, sizeof pid);
		snprintf(key, sizeof key, "%.*s", (int)k.mv_size, (const char *)k.mv_data);
		if (person_read(txn, d, pid, &p, NULL) == 0) {
			person_record_keys(&p, &keys);
			person_year_keys(&keys, p.n_cases ? p.birth_year : 0, &yk);
			for (size_t i = 0; i < yk.n && !ok; i++)
				ok = strcmp(yk.items[i], key) == 0;
		}
		if (!ok) {
			char *sep = strchr(key, '\x01');
			if (sep)
				*sep = ' ';
			problem(ck, pid, key);
		}
		person_record_free(&p);
		strlist_free(&keys), strlist_free(&yk);
	}
	mdb_cursor_close(c);
	return rc == MDB_NOTFOUND ? 0 : rc;
}
