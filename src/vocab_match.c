/* vocab_match.c — vocabulary terms typed by people: keys, labels in three
 * languages, synonyms, unique prefixes, and "did you mean" for the rest. */
#include "vocab_match.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fold.h"
#include "text.h"
#include "util.h"

#define NAMES_MAX 12

/* The names a term answers to besides its key and English label: the
 * Russian label (the glossary's terms), the Kazakh label (as po/kk.po has
 * it) and the words staff write in case files and spreadsheets. These are
 * match names, not display text: labels are shown through gettext. Each
 * must name one term only within its vocabulary (the unit tests check). */
struct term_names {
	const struct vocab *v;
	const char *key;
	const char *names[NAMES_MAX];
};

static const struct term_names table[] = {
    {&vocab_measure, "detention",
        {"задержание", "задержан", "задержана", "ұстау", "ұсталды", "detained"}},
    {&vocab_measure, "admin_arrest",
        {"административный арест", "арест", "адм. арест", "әкімшілік қамаққа алу", "қамаққа алу",
            "arrest"}},
    {&vocab_measure, "fine", {"административный штраф", "штраф", "әкімшілік айыппұл", "айыппұл"}},
    {&vocab_measure, "admin_case",
        {"административное дело", "административный протокол", "протокол", "әкімшілік іс",
            "хаттама"}},
    {&vocab_measure, "criminal_case", {"уголовное дело", "қылмыстық іс"}},
    {&vocab_measure, "warning", {"предупреждение", "ескерту"}},
    {&vocab_measure, "preventive",
        {"профилактическое воздействие", "профилактическая беседа", "профилактика",
            "профилактикалық ықпал ету", "preventive measure"}},
    {&vocab_measure, "refusal",
        {"отказ в проведении собрания", "отказ в согласовании", "жиналыс өткізуден бас тарту"}},
    {&vocab_measure, "threat", {"угроза", "угрозы", "қорқыту"}},
    {&vocab_measure, "surveillance", {"слежка", "наружное наблюдение", "аңду"}},
    {&vocab_measure, "hacking", {"взлом аккаунтов", "взлом", "аккаунттарды бұзу"}},
    {&vocab_measure, "internet_block",
        {"блокировка интернета", "отключение интернета", "интернетті бұғаттау"}},
    {&vocab_measure, "search", {"обыск", "тінту"}},
    {&vocab_measure, "other", {"другое", "другая мера", "басқа", "басқа шара"}},

    {&vocab_injury, "strangulation",
        {"удушающий приём", "удушение", "тұншықтыру әдісі", "тұншықтыру", "chokehold"}},
    {&vocab_injury, "bruise", {"ушиб", "кровоподтёк", "синяк", "гематома", "соғылу", "көгеру"}},
    {&vocab_injury, "abrasion", {"ссадина", "сызат"}},
    {&vocab_injury, "head_trauma",
        {"черепно-мозговая травма", "чмт", "травма головы", "сотрясение мозга", "сотрясение",
            "бас сүйек-ми жарақаты", "ми шайқалуы", "head injury", "concussion"}},
    {&vocab_injury, "joint_injury", {"травма сустава", "вывих", "буын жарақаты"}},
    {&vocab_injury, "fracture", {"перелом", "сынық"}},
    {&vocab_injury, "laceration", {"рваная рана", "жыртық жара"}},
    {&vocab_injury, "burn", {"ожог", "күйік"}},
    {&vocab_injury, "chemical",
        {"химическое воздействие", "слезоточивый газ", "перцовый баллончик", "химиялық әсер",
            "tear gas", "pepper spray"}},
    {&vocab_injury, "other", {"другое", "другая травма", "басқа", "басқа жарақат"}},

    {&vocab_status, "open", {"открыто", "ашық"}},
    {&vocab_status, "awaiting_trial", {"ожидает суда", "сотты күтуде"}},
    {&vocab_status, "in_court", {"в суде", "сотта"}},
    {&vocab_status, "appeal", {"апелляция", "апелляцияда"}},
    {&vocab_status, "closed", {"закрыто", "жабық"}},

    {&vocab_verification, "confirmed", {"подтверждено", "расталған"}},
    {&vocab_verification, "likely", {"вероятно", "ықтимал"}},
    {&vocab_verification, "possible", {"возможно", "мүмкін"}},
    {&vocab_verification, "unknown", {"неизвестно", "белгісіз"}},

    {&vocab_confidentiality, "public", {"открытый", "ашық"}},
    {&vocab_confidentiality, "internal", {"служебный", "қызметтік"}},
    {&vocab_confidentiality, "restricted", {"ограниченный", "шектеулі"}},

    {&vocab_sex, "f", {"женский", "женщина", "ж", "әйел"}},
    {&vocab_sex, "m", {"мужской", "мужчина", "м", "ер"}},
    {&vocab_sex, "unknown", {"неизвестно", "белгісіз"}},
};

static const char *const no_names[] = {NULL};

/* The match names of term i beyond its key and English label. */
const char *const *vocab_match_names(const struct vocab *v, int i)
{
	if (i < 0 || i >= v->count)
		return no_names;
	for (size_t t = 0; t < sizeof table / sizeof table[0]; t++)
		if (table[t].v == v && strcmp(table[t].key, v->terms[i].key) == 0)
			return table[t].names;
	return no_names;
}

/* ---- Normal form -------------------------------------------------------
 * Text is folded (fold.h: NFKC and case folding), the Kazakh letters are
 * read as their Russian look-alikes (what a Russian keyboard types), ё as
 * е, and underscores, hyphens and runs of spaces as one space; commas,
 * brackets and full stops are dropped. So "Head_Trauma", "head trauma",
 * "Сотрясение" and "сотрясение" compare equal to their table names. */

#define NORM_MAX 96

struct norm {
	uint32_t cp[NORM_MAX];
	int n;
};

static uint32_t look_alike(uint32_t c)
{
	switch (c) {
	case 0x04D9:
		return 0x0430; /* ә а */
	case 0x0493:
		return 0x0433; /* ғ г */
	case 0x049B:
		return 0x043A; /* қ к */
	case 0x04A3:
		return 0x043D; /* ң н */
	case 0x04E9:
		return 0x043E; /* ө о */
	case 0x04B1:
		return 0x0443; /* ұ у */
	case 0x04AF:
		return 0x0443; /* ү у */
	case 0x04BB:
		return 0x0445; /* һ х */
	case 0x0456:
		return 0x0438; /* і и */
	case 0x0451:
		return 0x0435; /* ё е */
	default:
		return c;
	}
}

static void norm_make(const char *s, struct norm *out)
{
	char *f = fold_text(str_or_empty(s));
	size_t len = strlen(f);
	bool space = false;

	out->n = 0;
	for (size_t i = 0; i < len && out->n < NORM_MAX;) {
		uint32_t c;
		i += text_decode(f + i, len - i, &c);
		if (c == ',' || c == '(' || c == ')' || c == '.')
			continue;
		if (c == ' ' || c == '_' || c == '-' || c == '\t') {
			space = out->n > 0;
			continue;
		}
		if (space && out->n < NORM_MAX - 1)
			out->cp[out->n++] = ' ';
		space = false;
		out->cp[out->n++] = look_alike(c);
	}
	free(f);
}

static bool norm_starts(const struct norm *name, const struct norm *p)
{
	if (p->n == 0 || p->n > name->n)
		return false;
	return memcmp(name->cp, p->cp, (size_t)p->n * sizeof p->cp[0]) == 0;
}

static bool norm_equal(const struct norm *a, const struct norm *b)
{
	return a->n == b->n && norm_starts(a, b);
}

/* Calls fn on every match name of term i: key, English label, its current
 * translation, then the table's names. Stops when fn returns true. */
static bool each_name(const struct vocab *v, int i,
    bool (*fn)(const struct norm *, const char *, void *), void *ctx)
{
	const char *fixed[3] = {v->terms[i].key, v->terms[i].label, _(v->terms[i].label)};
	const char *const *more = vocab_match_names(v, i);
	struct norm n;

	for (int k = 0; k < 3; k++) {
		norm_make(fixed[k], &n);
		if (fn(&n, fixed[k], ctx))
			return true;
	}
	for (int k = 0; k < NAMES_MAX && more[k]; k++) {
		norm_make(more[k], &n);
		if (fn(&n, more[k], ctx))
			return true;
	}
	return false;
}

struct probe {
	const struct norm *text;
	bool prefix; /* false: equal names only */
	const char *hit;
};

static bool probe_name(const struct norm *n, const char *raw, void *ctx)
{
	struct probe *p = ctx;

	if (p->prefix ? norm_starts(n, p->text) : norm_equal(n, p->text)) {
		p->hit = raw;
		return true;
	}
	return false;
}

/* Edit distance (insert, delete, substitute, swap of neighbours) of two
 * normal forms. */
static int distance(const struct norm *a, const struct norm *b)
{
	int d[NORM_MAX + 1][NORM_MAX + 1];

	for (int i = 0; i <= a->n; i++)
		d[i][0] = i;
	for (int j = 0; j <= b->n; j++)
		d[0][j] = j;
	for (int i = 1; i <= a->n; i++) {
		for (int j = 1; j <= b->n; j++) {
			int best = d[i - 1][j - 1] + (a->cp[i - 1] != b->cp[j - 1]);
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a->cp[i - 1] == b->cp[j - 2] &&
			    a->cp[i - 2] == b->cp[j - 1] && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[a->n][b->n];
}

struct nearest {
	const struct norm *text;
	int best;
};

static bool nearest_name(const struct norm *n, const char *raw, void *ctx)
{
	struct nearest *p = ctx;
	int d = distance(n, p->text);

	(void)raw;
	if (d < p->best)
		p->best = d;
	return false;
}

/* The largest distance still read as a slip: one for short words, two
 * from five letters, three from nine; never the whole word ("x" is not a
 * slip for "f"). */
static int slip_max(int n)
{
	int d = n < 5 ? 1 : n < 9 ? 2 : 3;

	return d < n ? d : n - 1;
}

/* The terms nearest to text, nearest first. */
int vocab_match_nearest(const struct vocab *v, const char *text, int *idx, int max)
{
	struct norm t;
	int dist[64], found = 0;

	norm_make(text, &t);
	if (t.n == 0 || max <= 0)
		return 0;
	for (int i = 0; i < v->count && i < 64; i++) {
		struct nearest p = {&t, 1 << 20};
		each_name(v, i, nearest_name, &p);
		dist[i] = p.best;
	}
	for (int d = 0; d <= slip_max(t.n) && found < max; d++)
		for (int i = 0; i < v->count && i < 64 && found < max; i++)
			if (dist[i] == d)
				idx[found++] = i;
	return found;
}

/* The terms text could be the start of, in table order. */
int vocab_match_complete(const struct vocab *v, const char *text, int *idx, int max)
{
	struct norm t;
	int found = 0;

	norm_make(text, &t);
	for (int i = 0; i < v->count && found < max; i++) {
		struct probe p = {&t, true, NULL};
		if (t.n == 0 || each_name(v, i, probe_name, &p))
			idx[found++] = i;
	}
	return found;
}

/* "key" in English, "key (label)" when the label is translated. */
static void put_term(struct buf *b, const struct vocab *v, int i)
{
	const char *label = v->terms[i].label;

	buf_puts(b, v->terms[i].key);
	if (_(label) != label && strcmp(_(label), label) != 0)
		buf_printf(b, " (%s)", _(label));
}

static int unknown(const struct vocab *v, const char *text, struct cb_err *err)
{
	struct buf b = {0};
	int near[3];
	int n = vocab_match_nearest(v, text, near, 3);

	for (int k = 0; k < n; k++) {
		if (k)
			buf_puts(&b, k == n - 1 ? _(" or ") : ", ");
		put_term(&b, v, near[k]);
	}
	char *hint = buf_steal(&b);
	for (int i = 0; i < v->count; i++) {
		if (i)
			buf_puts(&b, ", ");
		put_term(&b, v, i);
	}
	if (n)
		cb_err_set(err, CB_EINVAL, _("unknown %s \"%.64s\"; did you mean %s? (known: %s)"),
		    _(v->name), str_or_empty(text), hint, buf_cstr(&b));
	else
		cb_err_set(err, CB_EINVAL, _("unknown %s \"%.64s\" (known: %s)"), _(v->name),
		    str_or_empty(text), buf_cstr(&b));
	free(hint);
	buf_free(&b);
	return CB_EINVAL;
}

/* Recent successful matches, so an import that writes one label on every
 * row folds the table's names once rather than per row (a miss costs about
 * a hundred foldings). Round robin; single-threaded like the rest. */
#define MEMO_SLOTS 32
#define MEMO_TEXT 64

static struct {
	const struct vocab *v;
	char text[MEMO_TEXT];
	int idx;
} memo[MEMO_SLOTS];
static unsigned memo_next;

static int memo_find(const struct vocab *v, const char *text)
{
	for (int i = 0; i < MEMO_SLOTS; i++)
		if (memo[i].v == v && strcmp(memo[i].text, text) == 0)
			return memo[i].idx;
	return -1;
}

static void memo_put(const struct vocab *v, const char *text, int idx)
{
	if (strlen(text) >= MEMO_TEXT)
		return;
	unsigned k = memo_next++ % MEMO_SLOTS;
	memo[k].v = v;
	snprintf(memo[k].text, sizeof memo[k].text, "%s", text);
	memo[k].idx = idx;
}

/* The one term text names, or an error naming the nearest or the rivals. */
int vocab_match(const struct vocab *v, const char *text, int *out, struct cb_err *err)
{
	struct norm t;
	const char *hits[64];
	int which[64], nhit = 0;
	int i = vocab_find(v, text);

	if (i >= 0) {
		*out = i;
		return 0;
	}
	if (text && (i = memo_find(v, text)) >= 0) {
		*out = i;
		return 0;
	}
	norm_make(text, &t);
	if (t.n == 0)
		return unknown(v, text, err);
	for (int pass = 0; pass < 2 && nhit == 0; pass++) {
		if (pass == 1 && t.n < 2)
			break;
		for (i = 0; i < v->count && i < 64; i++) {
			struct probe p = {&t, pass == 1, NULL};
			if (each_name(v, i, probe_name, &p)) {
				hits[nhit] = p.hit;
				which[nhit++] = i;
			}
		}
	}
	if (nhit == 1) {
		*out = which[0];
		memo_put(v, text, which[0]);
		return 0;
	}
	if (nhit == 0)
		return unknown(v, text, err);

	struct buf b = {0};
	for (int k = 0; k < nhit; k++) {
		if (k)
			buf_puts(&b, ", ");
		buf_puts(&b, v->terms[which[k]].key);
		if (strcmp(hits[k], v->terms[which[k]].key) != 0)
			buf_printf(&b, " (%s)", hits[k]);
	}
	cb_err_set(err, CB_EINVAL, _("ambiguous %s \"%.64s\": could be %s"), _(v->name),
	    str_or_empty(text), buf_cstr(&b));
	buf_free(&b);
	return CB_EINVAL;
}

/* True when typed text t starts a word of name n (a word starts the name
 * or follows a space of its normal form). */
static bool norm_starts_word(const struct norm *n, const struct norm *t)
{
	if (t->n == 0)
		return false;
	for (int p = 0; p + t->n <= n->n; p++)
		if ((p == 0 || n->cp[p - 1] == ' ') &&
		    memcmp(n->cp + p, t->cp, (size_t)t->n * sizeof t->cp[0]) == 0)
			return true;
	return false;
}

/* True when text starts a word of name. */
bool vocab_match_name_fits(const char *name, const char *text)
{
	struct norm n, t;

	norm_make(text, &t);
	norm_make(name, &n);
	return norm_starts_word(&n, &t);
}

struct fits {
	struct norm text;
};

static bool fits_name(const struct norm *n, const char *raw, void *ctx)
{
	(void)raw;
	return norm_starts_word(n, &((struct fits *)ctx)->text);
}

/* True when text starts a word of one of term i's match names. */
bool vocab_match_fits(const struct vocab *v, int i, const char *text)
{
	struct fits p;

	if (i < 0 || i >= v->count)
		return false;
	norm_make(text, &p.text);
	return p.text.n > 0 && each_name(v, i, fits_name, &p);
}
