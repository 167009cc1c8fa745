/* case_vocab.c — the closed vocabularies of the case model (one table of
 * {key, label, ESF code} each) and the small text helpers the model shares. */
#include <stdio.h>
#include <string.h>

#include "case.h"
#include "case_int.h"
#include "util.h"
#include "vocab_match.h"

/* ---- Vocabularies ------------------------------------------------------- */

#define VOCAB(name, terms)                                                                         \
	{                                                                                          \
		name, terms, (int)(sizeof terms / sizeof terms[0])                                 \
	}

static const struct vocab_term measure_terms[] = {
    {"detention", N_("detention"), "030101"},
    {"admin_arrest", N_("administrative arrest"), "030102 + MT29 01"},
    {"fine", N_("fine"), NULL},
    {"admin_case", N_("administrative case"), NULL},
    {"criminal_case", N_("criminal case"), NULL},
    {"warning", N_("warning"), NULL},
    {"preventive", N_("preventive measure (summons, home visit, pre-event detention)"), NULL},
    {"refusal", N_("refusal of an assembly"), "120106"},
    {"threat", N_("threat"), "020103010000"},
    {"surveillance", N_("surveillance"), "020103030000"},
    {"hacking", N_("hacking"), NULL},
    {"internet_block", N_("internet block"), NULL},
    {"search", N_("search"), "040101"},
    {"other", N_("other measure"), NULL},
};

static const struct vocab_term injury_terms[] = {
    {"strangulation", N_("strangulation"), NULL},
    {"bruise", N_("bruise"), NULL},
    {"abrasion", N_("abrasion"), NULL},
    {"head_trauma", N_("craniocerebral trauma, concussion"), NULL},
    {"joint_injury", N_("joint injury"), NULL},
    {"fracture", N_("fracture"), NULL},
    {"laceration", N_("laceration"), NULL},
    {"burn", N_("burn"), NULL},
    {"chemical", N_("chemical (tear gas, pepper spray)"), NULL},
    {"other", N_("other injury"), NULL},
};

static const struct vocab_term status_terms[] = {
    {"open", N_("open"), NULL},
    {"awaiting_trial", N_("awaiting trial"), NULL},
    {"in_court", N_("in court"), NULL},
    {"appeal", N_("appeal"), NULL},
    {"closed", N_("closed"), NULL},
};

static const struct vocab_term verification_terms[] = {
    {"confirmed", N_("confirmed"), NULL},
    {"likely", N_("likely"), NULL},
    {"possible", N_("possible"), NULL},
    {"unknown", N_("unknown"), NULL},
};

static const struct vocab_term confidentiality_terms[] = {
    {"public", N_("public"), NULL},
    {"internal", N_("internal"), NULL},
    {"restricted", N_("restricted"), NULL},
};

static const struct vocab_term sex_terms[] = {
    {"f", N_("female"), NULL},
    {"m", N_("male"), NULL},
    {"unknown", N_("unknown"), NULL},
};

const struct vocab vocab_measure = VOCAB(N_("measure type"), measure_terms);
const struct vocab vocab_injury = VOCAB(N_("injury type"), injury_terms);
const struct vocab vocab_status = VOCAB(N_("status"), status_terms);
const struct vocab vocab_verification = VOCAB(N_("verification"), verification_terms);
const struct vocab vocab_confidentiality = VOCAB(N_("confidentiality"), confidentiality_terms);
const struct vocab vocab_sex = VOCAB(N_("sex"), sex_terms);

static const struct vocab_term exam_terms[] = {
    {"yes", N_("yes"), NULL},
    {"no", N_("no"), NULL},
};
const struct vocab vocab_exam = VOCAB(N_("exam answer"), exam_terms);

static int ascii_lower(int ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch + ('a' - 'A') : ch;
}

/* ASCII case-insensitive equality, independent of the locale. */
bool ascii_eq_nocase(const char *a, const char *b)
{
	while (*a && ascii_lower((unsigned char)*a) == ascii_lower((unsigned char)*b)) {
		a++;
		b++;
	}
	return *a == '\0' && *b == '\0';
}

bool is_space(int ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v' || ch == '\f';
}

/* Index of the term whose key equals key (exact, ASCII case-insensitive), or -1. */
int vocab_find(const struct vocab *v, const char *key)
{
	if (!key)
		return -1;
	for (int i = 0; i < v->count; i++)
		if (ascii_eq_nocase(v->terms[i].key, key))
			return i;
	return -1;
}

/* A key, a label in any language, a synonym or a unique prefix
 * (vocab_match.h); on failure a message naming the nearest terms. */
int vocab_parse(const struct vocab *v, const char *key, int *out, struct cb_err *err)
{
	return vocab_match(v, key, out, err);
}

/* Key of term i; "?" when out of range. */
const char *vocab_key(const struct vocab *v, int i)
{
	return i >= 0 && i < v->count ? v->terms[i].key : "?";
}

/* Translated label of term i; "?" when out of range. */
const char *vocab_label(const struct vocab *v, int i)
{
	return i >= 0 && i < v->count ? _(v->terms[i].label) : "?";
}

void join_keys(char *dst, size_t size, const char *const *keys, int n)
{
	size_t len = 0;

	dst[0] = '\0';
	for (int i = 0; i < n && len + 1 < size; i++) {
		int w = snprintf(dst + len, size - len, "%s%s", i ? ", " : "", keys[i]);
		if (w < 0)
			break;
		len += (size_t)w;
	}
}

/* "a, b, c": the known keys. Built once per vocabulary, kept in static storage. */
const char *vocab_list(const struct vocab *v)
{
	static struct {
		const struct vocab *v;
		char s[512];
	} cache[8];
	size_t i;

	for (i = 0; i < sizeof cache / sizeof cache[0]; i++) {
		if (cache[i].v == v)
			return cache[i].s;
		if (!cache[i].v)
			break;
	}
	if (i == sizeof cache / sizeof cache[0])
		i--; /* more vocabularies than slots: reuse the last one */
	const char *keys[64];
	int n = v->count < 64 ? v->count : 64;
	for (int k = 0; k < n; k++)
		keys[k] = v->terms[k].key;
	join_keys(cache[i].s, sizeof cache[i].s, keys, n);
	cache[i].v = v;
	return cache[i].s;
}
