/* filter_complete.c — Tab in the filter line: completes the last term's
 * field name (`inj` -> `injury:`) and, for a closed vocabulary, its value
 * (`injury:he` -> `injury:head_trauma`, `measure:штр` -> `measure:fine`),
 * through the same matching as the query (vocab_match.h). When several
 * fit, the line keeps what they share and the status line lists them. */
#include "tui.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "searches.h"
#include "skeleton.h"
#include "util.h"
#include "vocab_match.h"

/* A message with a gettext context, as xgettext --keyword=NC_:1c,2 reads it. */
#define NC_(ctx, s) ctx "\004" s

/* The filter fields in the order `casebook list` names them, each with its
 * filter word in the user's language (one the query reads as that field:
 * an office column's name, see header_alias.c and query_parse.c; tests/
 * tui/filter_complete.sh checks each) and its vocabulary when it has a
 * closed one. A unit of the filter line's syntax; the query module is the
 * judge of what parses. */
static const struct {
	const char *name;
	const char *word;
	const struct vocab *v;
} fields[] = {
    /* TRANSLATORS: one word, no spaces, that the filter line reads as the
     * field: a name an office gives its column (header_alias.c), e.g.
     * "город". tests/cli/vocab.sh checks each. */
    {"city", NC_("filter word", "city"), NULL},
    {"region", NC_("filter word", "region"), NULL},
    {"event", NC_("filter word", "event"), NULL},
    {"measure", NC_("filter word", "measure"), &vocab_measure},
    {"injury", NC_("filter word", "injury"), &vocab_injury},
    {"status", NC_("filter word", "status"), &vocab_status},
    {"verification", NC_("filter word", "verification"), &vocab_verification},
    {"lawyer", NC_("filter word", "lawyer"), NULL},
    {"date", NC_("filter word", "date"), NULL},
    {"hearing", NC_("filter word", "hearing"), NULL},
    {"days", NC_("filter word", "days"), NULL},
    {"name", NC_("filter word", "name"), NULL},
    {"sex", NC_("filter word", "sex"), &vocab_sex},
    {"confidentiality", NC_("filter word", "confidentiality"), &vocab_confidentiality},
};
#define NFIELDS (sizeof fields / sizeof fields[0])

/* Field i's filter word in the user's language; NULL in English or when
 * the catalog has none. */
static const char *local_word(size_t i)
{
	const char *t = gettext(fields[i].word);
	return t == fields[i].word ? NULL : t;
}

/* Whether typed[0..len) starts word as names are compared (any case, the
 * Kazakh letters as their Russian look-alikes: "кал" starts "қала"); all
 * of it when whole. */
static bool word_fits(const char *word, const char *typed, size_t len, bool whole)
{
	char a[SKELETON_CAP], b[SKELETON_CAP];
	size_t n = skeleton_word(typed, len, a, sizeof a);
	size_t m = skeleton_word(word, strlen(word), b, sizeof b);

	return n > 0 && (whole ? n == m : n <= m) && strncmp(a, b, n) == 0;
}

static bool has_non_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return true;
	return false;
}

/* Length of the prefix all n strings share (bytes, cut back to a whole
 * UTF-8 character). */
static size_t common_prefix(const char *const *s, int n)
{
	size_t len = strlen(s[0]);

	for (int i = 1; i < n; i++) {
		size_t k = 0;
		while (k < len && s[i][k] == s[0][k])
			k++;
		len = k;
	}
	while (len > 0 && ((unsigned char)s[0][len] & 0xC0) == 0x80)
		len--;
	return len;
}

/* Lists the candidates on the status line ("head_trauma joint_injury"),
 * as many as fit in half its width. */
static void show_candidates(struct tui *t, const char *const *c, int n)
{
	struct buf b = {0};

	for (int i = 0; i < n; i++) {
		/* Half the width: the status line shows the input too. */
		if (b.len + strlen(c[i]) + 2 > (size_t)(t->cols / 2)) {
			buf_puts(&b, " …");
			break;
		}
		if (i)
			buf_puts(&b, " ");
		buf_puts(&b, c[i]);
	}
	snprintf(t->msg, sizeof t->msg, "%s", buf_cstr(&b));
	buf_free(&b);
}

/* The completed text for head (everything before the last term), the
 * term's prefix pre ("-" or ""), and the chosen candidates. */
static char *complete_with(struct tui *t, const char *head, const char *pre, const char *field,
    const char *const *c, int n, size_t typed, const char *tail)
{
	if (n == 0)
		return NULL;
	if (n == 1)
		return xasprintf("%s%s%s%s%s", head, pre, field, c[0], tail);
	show_candidates(t, c, n);
	size_t k = common_prefix(c, n);
	if (k <= typed)
		return NULL;
	return xasprintf("%s%s%s%.*s", head, pre, field, (int)k, c[0]);
}

/* `@na` -> `@name`: the saved searches whose names start with what was typed. */
static char *complete_saved(struct tui *t, const char *head, const char *pre, const char *typed)
{
	struct saved_search *s;
	struct cb_err err = {0};
	const char *c[64];
	size_t ns, len = strlen(typed);
	int n = 0;

	if (searches_list(t->st, &s, &ns, &err) != 0)
		return NULL;
	for (size_t i = 0; i < ns && n < 64; i++)
		if (strncasecmp(s[i].name, typed, len) == 0)
			c[n++] = s[i].name;
	char *out = complete_with(t, head, pre, "@", c, n, len, "");
	if (!out && n == 0)
		snprintf(t->msg, sizeof t->msg, "%s",
		    ns ? _("no saved search starts so (casebook searches lists them)")
		       : _("no saved searches yet: S saves the filter"));
	searches_free(s, ns);
	return out;
}

/* Tab in the filter line: text completed, or NULL when there is nothing to
 * add (t->msg may then list the candidates). */
char *filter_complete(struct tui *t, const char *text)
{
	const char *last = strrchr(text, ' ');
	const char *term = last ? last + 1 : text;
	char *head = xstrndup(text, (size_t)(term - text));
	const char *pre = *term == '-' ? "-" : "";
	const char *c[64] = {0};
	int n = 0;
	char *out = NULL;

	term += strlen(pre);
	if (*term == '@') {
		out = complete_saved(t, head, pre, term + 1);
		free(head);
		return out;
	}
	const char *colon = strchr(term, ':');
	if (!colon) {
		size_t len = strlen(term);
		/* Letters of another script than English: the field words of the
		 * user's language. */
		bool local = has_non_ascii(term);
		for (size_t i = 0; i < NFIELDS; i++) {
			const char *w = local ? local_word(i) : fields[i].name;
			if (len > 0 && w &&
			    (local ? word_fits(w, term, len, false)
			           : strncasecmp(w, term, len) == 0))
				c[n++] = w;
		}
		out = complete_with(t, head, pre, "", c, n, len, ":");
		free(head);
		return out;
	}
	char *fname = xstrndup(term, (size_t)(colon - term));
	const struct vocab *v = NULL;
	for (size_t i = 0; i < NFIELDS; i++) {
		const char *w = local_word(i);
		if (strcasecmp(fields[i].name, fname) == 0 ||
		    (w && has_non_ascii(fname) && word_fits(w, fname, strlen(fname), true)))
			v = fields[i].v;
	}
	if (v) {
		const char *value = colon + 1;
		value += *value == '"';
		int idx[64];
		int m = vocab_match_complete(v, value, idx, 64);
		for (int i = 0; i < m; i++)
			c[n++] = vocab_key(v, idx[i]);
		char *field = xasprintf("%s:", fname);
		/* What was typed counts as shared only when it starts the keys. */
		size_t typed = n && strncmp(c[0], value, strlen(value)) == 0 ? strlen(value) : 0;
		out = complete_with(t, head, pre, field, c, n, typed, "");
		if (!out && m == 0)
			snprintf(t->msg, sizeof t->msg, _("no %s starts with \"%s\""), _(v->name),
			    value);
		free(field);
	}
	free(fname);
	free(head);
	return out;
}
