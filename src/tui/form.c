/* form.c — the add/edit form over every field of DESIGN.md §1. Text fields
 * are edited in place and checked with case_set_field as they are typed;
 * vocabulary fields come from pick lists; measures and injuries are lists
 * with their own sub-fields; notes can go through $EDITOR. Nothing is saved
 * until the whole case is valid; a save over someone else's change is
 * refused by the store and the user's input stays in the form. */
#include "tui.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

enum fkind { FK_TEXT, FK_VOCAB, FK_NOTES, FK_M_TYPE, FK_M_SUB, FK_M_ADD, FK_I_TYPE, FK_I_SUB,
	FK_I_EXAM, FK_I_ADD };

#define M_SUBS 5
#define I_SUBS 2
static const char *const m_keys[M_SUBS] = {"days", "fine", "date", "article", "court"};
/* The parts of a measure, marked with a translation context: "fine" here is
 * the amount of a fine, not the measure of that name. */
#define NC_(ctx, s) ctx "\004" s
static const char *const m_labels[M_SUBS] = {NC_("measure part", "days"),
	NC_("measure part", "fine"), NC_("measure part", "date"), NC_("measure part", "article"),
	NC_("measure part", "court")};
static const char *const i_keys[I_SUBS] = {"body", "note"};
static const char *const i_labels[I_SUBS] = {N_("body"), N_("note")};
/* Translates an NC_ string; untranslated, the text after the context. */
static const char *ctx_text(const char *s)
{
	const char *t = gettext(s);

	return t == s ? strchr(s, '\004') + 1 : t;
}

/* The exam chooser lists {not said, yes, no}; the model stores -1, 1, 0. Convert
 * through these two functions only, never by arithmetic on the value. */
static const char *const exam_labels[3] = {N_("not said"), N_("yes"), N_("no")};
static const int exam_values[3] = {-1, 1, 0};

static int exam_choice(int exam)
{
	for (int i = 0; i < 3; i++)
		if (exam_values[i] == exam)
			return i;
	return 0;
}

struct fmeasure {
	int type;
	struct wline sub[M_SUBS];
	char *err[M_SUBS];
};

struct finjury {
	int type;
	int exam; /* -1, 0, 1 */
	struct wline sub[I_SUBS];
	char *err[I_SUBS];
};

struct fitem {
	int kind;
	int field; /* FK_TEXT, FK_VOCAB, FK_NOTES */
	size_t idx; /* measure or injury */
	int sub;
};

struct form {
	struct tui *t;
	WINDOW *w;
	uint64_t id;
	uint32_t rev;
	struct case_record base;
	struct wline text[FIELD__COUNT];
	char *orig[FIELD__COUNT];
	char *err[FIELD__COUNT];
	int vocab[FIELD__COUNT];
	int vocab_orig[FIELD__COUNT];
	struct fmeasure *m;
	size_t nm;
	char *m_orig;
	struct finjury *in;
	size_t ni;
	char *i_orig;
	struct fitem *items;
	size_t nitems;
	int cur, top;
	char msg[1200];
	int msg_role;
};

static const int text_fields[] = {FIELD_NAME, FIELD_NAME_LATIN, FIELD_ALIASES, FIELD_BIRTH_YEAR,
	FIELD_AFFILIATION, FIELD_EVENT, FIELD_DATE, FIELD_REGION, FIELD_CITY, FIELD_LAWYER,
	FIELD_HEARING, FIELD_SOURCES, FIELD_NOTES};
static const int vocab_fields[] = {FIELD_SEX, FIELD_STATUS, FIELD_VERIFICATION,
	FIELD_CONFIDENTIALITY};

static const struct vocab *field_vocab(int f)
{
	switch (f) {
	case FIELD_SEX: return &vocab_sex;
	case FIELD_STATUS: return &vocab_status;
	case FIELD_VERIFICATION: return &vocab_verification;
	case FIELD_CONFIDENTIALITY: return &vocab_confidentiality;
	default: return NULL;
	}
}

/* ---- Items ------------------------------------------------------------- */

static void item(struct form *f, int kind, int field, size_t idx, int sub)
{
	f->items = xreallocarray(f->items, f->nitems + 1, sizeof *f->items);
	f->items[f->nitems++] = (struct fitem){kind, field, idx, sub};
}

static void items_build(struct form *f)
{
	static const int before[] = {FIELD_NAME, FIELD_NAME_LATIN, FIELD_ALIASES, FIELD_SEX,
		FIELD_BIRTH_YEAR, FIELD_AFFILIATION, FIELD_EVENT, FIELD_DATE, FIELD_REGION,
		FIELD_CITY};
	static const int after[] = {FIELD_STATUS, FIELD_VERIFICATION, FIELD_LAWYER,
		FIELD_HEARING, FIELD_CONFIDENTIALITY, FIELD_SOURCES, FIELD_NOTES};

	f->nitems = 0;
	for (size_t i = 0; i < sizeof before / sizeof before[0]; i++)
		item(f, field_vocab(before[i]) ? FK_VOCAB : FK_TEXT, before[i], 0, 0);
	for (size_t i = 0; i < f->nm; i++) {
		item(f, FK_M_TYPE, 0, i, 0);
		for (int s = 0; s < M_SUBS; s++)
			item(f, FK_M_SUB, 0, i, s);
	}
	item(f, FK_M_ADD, 0, 0, 0);
	for (size_t i = 0; i < f->ni; i++) {
		item(f, FK_I_TYPE, 0, i, 0);
		for (int s = 0; s < I_SUBS; s++)
			item(f, FK_I_SUB, 0, i, s);
		item(f, FK_I_EXAM, 0, i, 0);
	}
	item(f, FK_I_ADD, 0, 0, 0);
	for (size_t i = 0; i < sizeof after / sizeof after[0]; i++) {
		int fl = after[i];
		item(f, field_vocab(fl) ? FK_VOCAB : fl == FIELD_NOTES ? FK_NOTES : FK_TEXT, fl, 0, 0);
	}
	if (f->cur >= (int)f->nitems)
		f->cur = (int)f->nitems - 1;
}

static struct wline *item_line(struct form *f, const struct fitem *it)
{
	switch (it->kind) {
	case FK_TEXT:
	case FK_NOTES: return &f->text[it->field];
	case FK_M_SUB: return &f->m[it->idx].sub[it->sub];
	case FK_I_SUB: return &f->in[it->idx].sub[it->sub];
	default: return NULL;
	}
}

static char **item_err(struct form *f, const struct fitem *it)
{
	switch (it->kind) {
	case FK_TEXT:
	case FK_NOTES: return &f->err[it->field];
	case FK_M_SUB: return &f->m[it->idx].err[it->sub];
	case FK_I_SUB: return &f->in[it->idx].err[it->sub];
	default: return NULL;
	}
}

static bool has_newline(const struct wline *l)
{
	return wmemchr(l->s, L'\n', l->len) != NULL;
}

/* ---- Values and validation ------------------------------------------------ */

/* Escapes a measure/injury part: '|', ':' and '\' get a backslash. */
static void put_part(struct buf *b, const char *key, const char *v)
{
	if (str_empty(v))
		return;
	buf_printf(b, ":%s=", key);
	for (; *v; v++) {
		if (*v == '|' || *v == ':' || *v == '\\')
			buf_putc(b, '\\');
		buf_putc(b, (unsigned char)*v);
	}
}

static char *measure_text(const struct fmeasure *m, int only)
{
	struct buf b = {0};

	buf_puts(&b, vocab_key(&vocab_measure, m->type));
	for (int s = 0; s < M_SUBS; s++) {
		if (only >= 0 && s != only)
			continue;
		char *v = wline_utf8(&m->sub[s]);
		put_part(&b, m_keys[s], v);
		free(v);
	}
	buf_putc(&b, 0);
	b.len--;
	return buf_steal(&b);
}

static char *injury_text(const struct finjury *in, int only)
{
	struct buf b = {0};

	buf_puts(&b, vocab_key(&vocab_injury, in->type));
	for (int s = 0; s < I_SUBS; s++) {
		if (only >= 0 && s != only)
			continue;
		char *v = wline_utf8(&in->sub[s]);
		put_part(&b, i_keys[s], v);
		free(v);
	}
	if (only < 0 && in->exam >= 0)
		buf_printf(&b, ":exam=%s", in->exam ? "yes" : "no");
	buf_putc(&b, 0);
	b.len--;
	return buf_steal(&b);
}

static char *list_text(struct form *f, bool measures)
{
	struct buf b = {0};
	size_t n = measures ? f->nm : f->ni;

	for (size_t i = 0; i < n; i++) {
		char *s = measures ? measure_text(&f->m[i], -1) : injury_text(&f->in[i], -1);
		if (i)
			buf_putc(&b, '|');
		buf_puts(&b, s);
		free(s);
	}
	buf_putc(&b, 0);
	b.len--;
	return buf_steal(&b);
}

static void set_err(char **slot, int rc, const struct cb_err *err)
{
	free(*slot);
	*slot = rc ? xstrdup(err->msg) : NULL;
}

/* Checks one item; its message is shown under it. */
static void validate(struct form *f, const struct fitem *it)
{
	struct cb_err err = {0};
	struct case_record scratch;
	char *s;
	int rc;

	switch (it->kind) {
	case FK_TEXT:
	case FK_NOTES:
		s = wline_utf8(&f->text[it->field]);
		case_init(&scratch);
		rc = case_set_field(&scratch, it->field, s, false, &err);
		case_free(&scratch);
		set_err(&f->err[it->field], rc, &err);
		free(s);
		break;
	case FK_M_SUB: {
		struct measure *m = NULL;
		size_t n = 0;
		s = measure_text(&f->m[it->idx], it->sub);
		rc = measures_parse(s, &m, &n, &err);
		for (size_t i = 0; i < n; i++)
			measure_free(&m[i]);
		free(m);
		set_err(&f->m[it->idx].err[it->sub], rc, &err);
		free(s);
		break;
	}
	case FK_I_SUB: {
		struct injury *in = NULL;
		size_t n = 0;
		s = injury_text(&f->in[it->idx], it->sub);
		rc = injuries_parse(s, &in, &n, &err);
		for (size_t i = 0; i < n; i++)
			injury_free(&in[i]);
		free(in);
		set_err(&f->in[it->idx].err[it->sub], rc, &err);
		free(s);
		break;
	}
	default: break;
	}
}

static void measure_init(struct fmeasure *fm, const struct measure *m)
{
	char d[16], days[16] = "";

	memset(fm, 0, sizeof *fm);
	fm->type = m ? m->type : MEASURE_DETENTION;
	if (m && m->days >= 0)
		snprintf(days, sizeof days, "%d", (int)m->days);
	wline_set(&fm->sub[0], days);
	wline_set(&fm->sub[1], m ? str_or_empty(m->fine) : "");
	wline_set(&fm->sub[2], m ? pdate_format(m->date, d) : "");
	wline_set(&fm->sub[3], m ? str_or_empty(m->article) : "");
	wline_set(&fm->sub[4], m ? str_or_empty(m->court) : "");
}

static void injury_init(struct finjury *fi, const struct injury *in)
{
	memset(fi, 0, sizeof *fi);
	fi->type = in ? in->type : INJURY_BRUISE;
	fi->exam = in ? in->exam : -1;
	wline_set(&fi->sub[0], in ? str_or_empty(in->body) : "");
	wline_set(&fi->sub[1], in ? str_or_empty(in->note) : "");
}

static void measure_clear(struct fmeasure *m)
{
	for (int s = 0; s < M_SUBS; s++) {
		free(m->sub[s].s);
		free(m->err[s]);
	}
}

static void injury_clear(struct finjury *in)
{
	for (int s = 0; s < I_SUBS; s++) {
		free(in->sub[s].s);
		free(in->err[s]);
	}
}

static void form_load(struct form *f, const struct case_record *c)
{
	for (size_t i = 0; i < sizeof text_fields / sizeof text_fields[0]; i++) {
		int fl = text_fields[i];
		char *v = case_get_field(c, fl);
		wline_set(&f->text[fl], v);
		f->orig[fl] = v;
	}
	f->vocab[FIELD_SEX] = c->sex;
	f->vocab[FIELD_STATUS] = c->status;
	f->vocab[FIELD_VERIFICATION] = c->verification;
	f->vocab[FIELD_CONFIDENTIALITY] = c->confidentiality;
	memcpy(f->vocab_orig, f->vocab, sizeof f->vocab);
	f->nm = c->n_measures;
	f->m = xcalloc(f->nm ? f->nm : 1, sizeof *f->m);
	for (size_t i = 0; i < f->nm; i++)
		measure_init(&f->m[i], &c->measures[i]);
	f->ni = c->n_injuries;
	f->in = xcalloc(f->ni ? f->ni : 1, sizeof *f->in);
	for (size_t i = 0; i < f->ni; i++)
		injury_init(&f->in[i], &c->injuries[i]);
	f->m_orig = list_text(f, true);
	f->i_orig = list_text(f, false);
}

static void form_free(struct form *f)
{
	for (int i = 0; i < FIELD__COUNT; i++) {
		free(f->text[i].s);
		free(f->orig[i]);
		free(f->err[i]);
	}
	for (size_t i = 0; i < f->nm; i++)
		measure_clear(&f->m[i]);
	for (size_t i = 0; i < f->ni; i++)
		injury_clear(&f->in[i]);
	free(f->m);
	free(f->in);
	free(f->m_orig);
	free(f->i_orig);
	free(f->items);
	case_free(&f->base);
	if (f->w)
		delwin(f->w);
}

static bool text_changed(struct form *f, int fl)
{
	char *s = wline_utf8(&f->text[fl]);
	bool ch = strcmp(s, str_or_empty(f->orig[fl])) != 0;
	free(s);
	return ch;
}

static bool list_changed(struct form *f, bool measures)
{
	char *s = list_text(f, measures);
	bool ch = strcmp(s, measures ? f->m_orig : f->i_orig) != 0;
	free(s);
	return ch;
}

static bool form_dirty(struct form *f)
{
	for (size_t i = 0; i < sizeof text_fields / sizeof text_fields[0]; i++)
		if (text_changed(f, text_fields[i]))
			return true;
	for (size_t i = 0; i < sizeof vocab_fields / sizeof vocab_fields[0]; i++)
		if (f->vocab[vocab_fields[i]] != f->vocab_orig[vocab_fields[i]])
			return true;
	return list_changed(f, true) || list_changed(f, false);
}

/* ---- Drawing ------------------------------------------------------------- */

#define LABEL_W 18

static char *item_label(const struct fitem *it)
{
	switch (it->kind) {
	case FK_TEXT:
	case FK_VOCAB:
	case FK_NOTES: return xstrdup(_(case_fields[it->field].label));
	case FK_M_TYPE: return xasprintf(_("Measure %zu"), it->idx + 1);
	case FK_M_SUB: return xasprintf("  %s", ctx_text(m_labels[it->sub]));
	case FK_M_ADD: return xstrdup(_("Measures"));
	case FK_I_TYPE: return xasprintf(_("Injury %zu"), it->idx + 1);
	case FK_I_SUB: return xasprintf("  %s", _(i_labels[it->sub]));
	case FK_I_EXAM: return xasprintf("  %s", _("exam"));
	case FK_I_ADD: return xstrdup(_("Injuries"));
	}
	return xstrdup("");
}

static char *choice_text(const struct vocab *v, int i)
{
	return xasprintf("[ %s ▾ ]", vocab_label(v, i));
}

static void form_status(struct form *f, const char *text, int role)
{
	struct tui *t = f->t;

	tui_put(t->wstatus, 0, 0, text, t->cols, theme_attr(role));
	wnoutrefresh(t->wstatus);
}

/* Draws the form; returns false when the terminal is too small. */
static bool form_paint(struct form *f)
{
	struct tui *t = f->t;

	if (tui_check_size(t))
		return false;
	int h = t->rows - 1, width = t->cols;
	if (!f->w || getmaxy(f->w) != h || getmaxx(f->w) != width) {
		if (f->w)
			delwin(f->w);
		f->w = newwin(h, width, 0, 0);
	}
	WINDOW *w = f->w;
	char *title = f->id ? xasprintf(_("Edit case %llu (rev %u)"), (unsigned long long)f->id,
				  (unsigned)f->rev)
			    : xstrdup(_("Add a case"));
	tui_put(w, 0, 0, title, width, theme_attr(ROLE_HEADER));
	free(title);

	/* A long message (a conflict says who and when) is wrapped over the
	 * bottom rows of the form; the status line keeps the key hints. */
	struct strlist mlines = {0};
	if (f->msg[0]) {
		char *clean = text_sanitize(f->msg, 0);
		size_t n = strlen(clean), off = 0;
		while (off < n && mlines.n < 4) {
			size_t next,
			    len = text_wrap_next(clean + off, n - off, (size_t)width, &next);
			char *piece = xstrndup(clean + off, len);
			strlist_add(&mlines, piece);
			free(piece);
			off += next;
		}
		free(clean);
	}
	/* Each item is one row, plus one for its error message. */
	int body = h - 1 - (int)mlines.n;
	if (body < 1)
		body = 1;
	int *ys = xreallocarray(NULL, f->nitems + 1, sizeof *ys);
	int y = 0;
	for (size_t i = 0; i < f->nitems; i++) {
		ys[i] = y;
		char **e = item_err(f, &f->items[i]);
		y += 1 + (e && *e ? 1 : 0);
	}
	ys[f->nitems] = y;
	int cy0 = ys[f->cur], cy1 = ys[f->cur + 1];
	if (cy0 < f->top)
		f->top = cy0;
	if (cy1 > f->top + body)
		f->top = cy1 - body;
	if (f->top < 0)
		f->top = 0;

	int vw = width - LABEL_W - 1;
	int cur_y = 1, cur_x = LABEL_W;
	for (int r = 0; r < body; r++)
		tui_put(w, r + 1, 0, "", width, theme_attr(ROLE_NORMAL));
	for (size_t i = 0; i < f->nitems; i++) {
		int row = ys[i] - f->top + 1;
		if (row < 1 || row > body)
			continue;
		const struct fitem *it = &f->items[i];
		bool cur = (int)i == f->cur;
		char *label = item_label(it);
		tui_put(w, row, 0, label, LABEL_W, theme_attr(cur ? ROLE_SELECTED : ROLE_LABEL));
		free(label);
		struct wline *l = item_line(f, it);
		attr_t va = theme_attr(cur ? ROLE_INPUT : ROLE_NORMAL);
		char *v = NULL;
		if (it->kind == FK_NOTES && has_newline(l)) {
			char *s = wline_utf8(l);
			size_t lines = 1;
			for (char *p = s; *p; p++)
				lines += *p == '\n';
			char *first = xstrndup(s, strcspn(s, "\n"));
			char *clean = text_sanitize(first, 0);
			v = xasprintf(ngettext("%s … (%zu line; Enter: edit in $EDITOR)",
				       "%s … (%zu lines; Enter: edit in $EDITOR)", lines),
			    clean, lines);
			free(clean);
			free(first);
			free(s);
			tui_put(w, row, LABEL_W, v, vw, va);
		} else if (l) {
			wline_draw(w, row, LABEL_W, vw, l, va);
			if (cur) {
				getyx(w, cur_y, cur_x);
			}
		} else {
			switch (it->kind) {
			case FK_VOCAB: v = choice_text(field_vocab(it->field), f->vocab[it->field]); break;
			case FK_M_TYPE: v = choice_text(&vocab_measure, f->m[it->idx].type); break;
			case FK_I_TYPE: v = choice_text(&vocab_injury, f->in[it->idx].type); break;
			case FK_I_EXAM:
				v = xasprintf("[ %s ▾ ]", _(exam_labels[exam_choice(f->in[it->idx].exam)]));
				break;
			case FK_M_ADD: v = xstrdup(_("[ + add a measure (Enter) ]")); break;
			case FK_I_ADD: v = xstrdup(_("[ + add an injury (Enter) ]")); break;
			}
			tui_put(w, row, LABEL_W, v ? v : "", vw, va);
		}
		free(v);
		if (cur && !(l && !(it->kind == FK_NOTES && has_newline(l)))) {
			cur_y = row;
			cur_x = LABEL_W;
		}
		char **e = item_err(f, it);
		if (e && *e && row + 1 <= body) {
			char *m = xasprintf("↳ %s", *e);
			char *clean = text_sanitize(m, 0);
			tui_put(w, row + 1, LABEL_W, clean, vw, theme_attr(ROLE_ERROR));
			free(clean);
			free(m);
		}
	}
	free(ys);

	for (size_t i = 0; i < mlines.n; i++)
		tui_put(w, body + 1 + (int)i, 0, mlines.items[i], width,
		    theme_attr(f->msg_role == ROLE_ERROR ? ROLE_MESSAGE : ROLE_STATUS));
	strlist_free(&mlines);
	form_status(f, _("^S save · Esc cancel · Space choose · ^X remove · ^E notes in editor · ? keys"),
	    ROLE_STATUS);
	wmove(w, cur_y, cur_x);
	wnoutrefresh(w);
	return true;
}

/* ---- Dialogs over the form ------------------------------------------------ */

static int form_key(struct form *f, int *key)
{
	for (;;) {
		form_paint(f);
		doupdate();
		if (tui_read_key(f->t, key) == ERR) {
			if (f->t->quit)
				return ERR;
			continue;
		}
		if (*key == KF(KEY_RESIZE)) {
			tui_layout(f->t);
			continue;
		}
		return OK;
	}
}

static bool form_confirm(struct form *f, const char *q)
{
	char *saved = xstrdup(f->msg);
	int role = f->msg_role;
	bool yes = false;

	snprintf(f->msg, sizeof f->msg, "%s %s", q, _("(y/n)"));
	f->msg_role = ROLE_ERROR;
	for (;;) {
		int key;
		if (form_key(f, &key) == ERR)
			break;
		int answer = keys_answer(key);
		if (answer == 1) {
			yes = true;
			break;
		}
		if (answer == 0)
			break;
	}
	snprintf(f->msg, sizeof f->msg, "%s", saved);
	f->msg_role = role;
	free(saved);
	return yes;
}

/* A pick list over the form: returns the chosen index or -1. */
static int pick(struct form *f, const char *title, const char *const *labels, int n, int cur)
{
	struct tui *t = f->t;
	WINDOW *pw = NULL;
	int top = 0, result = -1;

	if (cur < 0 || cur >= n)
		cur = 0;
	for (;;) {
		if (form_paint(f)) {
			int maxw = (int)text_width(title) + 4;
			for (int i = 0; i < n; i++)
				if ((int)text_width(labels[i]) + 6 > maxw)
					maxw = (int)text_width(labels[i]) + 6;
			int ph = n + 2 < t->rows - 2 ? n + 2 : t->rows - 2;
			int pwid = maxw < t->cols - 2 ? maxw : t->cols - 2;
			if (pw)
				delwin(pw);
			pw = newwin(ph, pwid, (t->rows - 1 - ph) / 2, (t->cols - pwid) / 2);
			int inner = ph - 2;
			if (cur < top)
				top = cur;
			if (cur >= top + inner)
				top = cur - inner + 1;
			theme_frame(pw, title);
			for (int i = 0; i < inner; i++) {
				int k = top + i;
				attr_t a = theme_attr(k == cur ? ROLE_SELECTED : ROLE_NORMAL);
				tui_put(pw, i + 1, 1, k < n ? labels[k] : "", pwid - 2, a);
			}
			wmove(pw, cur - top + 1, 1);
			wnoutrefresh(pw);
		}
		doupdate();
		int key, m = tui_modal_key(t, &key);
		if (m == MODAL_QUIT)
			break;
		if (m == MODAL_AGAIN)
			continue;
		if (key == 27)
			break;
		if (key == '\r' || key == '\n' || key == KF(KEY_ENTER) || key == ' ') {
			result = cur;
			break;
		}
		int a = keys_action(KC_GLOBAL, key);
		if (a == ACT_UP && cur > 0)
			cur--;
		else if (a == ACT_DOWN && cur < n - 1)
			cur++;
		else if (a == ACT_TOP)
			cur = 0;
		else if (a == ACT_BOTTOM)
			cur = n - 1;
		else if (a == ACT_PGDN)
			cur = cur + 10 < n ? cur + 10 : n - 1;
		else if (a == ACT_PGUP)
			cur = cur > 10 ? cur - 10 : 0;
	}
	if (pw)
		delwin(pw);
	if (f->w)
		touchwin(f->w);
	return result;
}

static int pick_vocab(struct form *f, const struct vocab *v, int cur)
{
	const char **labels = xreallocarray(NULL, (size_t)v->count, sizeof *labels);
	char **owned = xreallocarray(NULL, (size_t)v->count, sizeof *owned);

	for (int i = 0; i < v->count; i++) {
		/* The key is what filters and CSV use; show it when the label
		 * does not already say it. */
		if (strcmp(vocab_label(v, i), vocab_key(v, i)) == 0)
			owned[i] = xstrdup(vocab_label(v, i));
		else
			owned[i] = xasprintf("%s (%s)", vocab_label(v, i), vocab_key(v, i));
		labels[i] = owned[i];
	}
	char *title = xasprintf(_("Choose %s"), _(v->name));
	int r = pick(f, title, labels, v->count, cur);
	free(title);
	for (int i = 0; i < v->count; i++)
		free(owned[i]);
	free(owned);
	free(labels);
	return r;
}

/* ---- $EDITOR --------------------------------------------------------------- */

/* A private directory for the notes file: 0700, owned by us. */
static char *private_dir(void)
{
	const char *run = getenv("XDG_RUNTIME_DIR");
	char *dir;
	struct stat sb;

	if (!str_empty(run) && stat(run, &sb) == 0 && sb.st_uid == getuid()) {
		dir = xasprintf("%s/casebook", run);
	} else {
		const char *home = getenv("HOME");
		if (str_empty(home))
			return NULL;
		char *cache = xasprintf("%s/.cache", home);
		if (mkdir(cache, 0700) && errno != EEXIST) {
			free(cache);
			return NULL;
		}
		free(cache);
		dir = xasprintf("%s/.cache/casebook", home);
	}
	if (mkdir(dir, 0700) && errno != EEXIST) {
		free(dir);
		return NULL;
	}
	if (lstat(dir, &sb) || !S_ISDIR(sb.st_mode) || sb.st_uid != getuid() ||
	    chmod(dir, 0700)) {
		free(dir);
		return NULL;
	}
	return dir;
}

/* Whether an executable called name is in one of $PATH's directories. */
static bool in_path(const char *name)
{
	const char *path = getenv("PATH");

	if (str_empty(path))
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");
		char *full = xasprintf("%.*s/%s", (int)(n ? n : 1), n ? path : ".", name);
		bool found = access(full, X_OK) == 0;
		free(full);
		if (found)
			return true;
		path += n;
		if (*path == ':')
			path++;
	}
	return false;
}

/* The editor for notes when neither VISUAL nor EDITOR is set: Debian's
 * sensible-editor (which honours the user's choice of editor), else nano,
 * which a newcomer can leave, and vi only as the last resort. */
static const char *default_editor(void)
{
	if (in_path("sensible-editor"))
		return "sensible-editor";
	if (in_path("nano"))
		return "nano";
	return "vi";
}

static void edit_notes(struct form *f)
{
	char *dir = private_dir();

	if (!dir) {
		snprintf(f->msg, sizeof f->msg, "%s",
		    _("notes: no private directory for the editor's file (set XDG_RUNTIME_DIR or HOME)"));
		f->msg_role = ROLE_ERROR;
		return;
	}
	char *path = xasprintf("%s/notes-XXXXXX", dir);
	free(dir);
	int fd = mkstemp(path); /* 0600 */
	if (fd < 0) {
		snprintf(f->msg, sizeof f->msg, _("notes: cannot create %s: %s"), path, strerror(errno));
		f->msg_role = ROLE_ERROR;
		free(path);
		return;
	}
	char *notes = wline_utf8(&f->text[FIELD_NOTES]);
	size_t len = strlen(notes);
	bool ok =
	    util_write_all(fd, notes, len) == 0 && (len == 0 || util_write_all(fd, "\n", 1) == 0);
	close(fd);
	free(notes);
	const char *ed = getenv("VISUAL");
	if (str_empty(ed))
		ed = getenv("EDITOR");
	if (str_empty(ed))
		ed = default_editor();
	int status = -1;
	if (ok) {
		def_prog_mode();
		endwin();
		pid_t pid = fork();
		if (pid == 0) {
			char *cmd = xasprintf("%s \"$1\"", ed);
			execl("/bin/sh", "sh", "-c", cmd, "sh", path, (char *)NULL);
			_exit(127);
		}
		if (pid > 0)
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
		reset_prog_mode();
		clearok(curscr, TRUE);
		tui_touch(f->t);
	}
	if (ok && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		/* The whole file, whatever its size: notes are never cut. */
		FILE *fp = fopen(path, "r");
		struct buf b = {0};
		char chunk[65536];
		size_t n;
		int rerr = fp ? 0 : errno;
		while (fp && (n = fread(chunk, 1, sizeof chunk, fp)) > 0)
			buf_put(&b, chunk, n);
		if (fp && ferror(fp))
			rerr = errno ? errno : EIO;
		if (fp)
			fclose(fp);
		while (b.len && (b.p[b.len - 1] == '\n' || b.p[b.len - 1] == '\r'))
			b.len--;
		if (rerr) {
			snprintf(f->msg, sizeof f->msg,
			    _("notes: cannot read the editor's file: %s; notes unchanged"),
			    strerror(rerr));
			f->msg_role = ROLE_ERROR;
		} else if (b.len && memchr(b.p, '\0', b.len)) {
			/* Text stops at a NUL byte: keeping it would cut the notes. */
			snprintf(f->msg, sizeof f->msg, "%s",
			    _("notes: the edited file holds a NUL byte (not text); notes "
			      "unchanged"));
			f->msg_role = ROLE_ERROR;
		} else {
			wline_set(&f->text[FIELD_NOTES], buf_cstr(&b));
		}
		buf_free(&b);
	} else {
		snprintf(f->msg, sizeof f->msg, _("notes: the editor \"%s\" failed; notes unchanged"), ed);
		f->msg_role = ROLE_ERROR;
	}
	unlink(path);
	free(path);
	struct fitem it = {FK_NOTES, FIELD_NOTES, 0, 0};
	validate(f, &it);
}

/* ---- Saving ---------------------------------------------------------------- */

/* Validates everything; the index of the first bad item, or -1. */
static int validate_all(struct form *f)
{
	int first = -1;

	for (size_t i = 0; i < f->nitems; i++) {
		validate(f, &f->items[i]);
		char **e = item_err(f, &f->items[i]);
		if (e && *e && first < 0)
			first = (int)i;
	}
	return first;
}

/* Applies the user's changes to a copy of base (only the fields the user
 * changed, so a re-apply after a conflict keeps the other user's edits to
 * other fields). */
static int build_record(struct form *f, struct case_record *rec, struct cb_err *err)
{
	case_copy(rec, &f->base);
	for (size_t i = 0; i < sizeof text_fields / sizeof text_fields[0]; i++) {
		int fl = text_fields[i];
		if (f->id && !text_changed(f, fl))
			continue;
		char *s = wline_utf8(&f->text[fl]);
		int rc = case_set_field(rec, fl, s, false, err);
		free(s);
		if (rc)
			return rc;
	}
	for (size_t i = 0; i < sizeof vocab_fields / sizeof vocab_fields[0]; i++) {
		int fl = vocab_fields[i];
		if (f->id && f->vocab[fl] == f->vocab_orig[fl])
			continue;
		int rc = case_set_field(rec, fl, vocab_key(field_vocab(fl), f->vocab[fl]), false, err);
		if (rc)
			return rc;
	}
	for (int k = 0; k < 2; k++) {
		bool ms = k == 0;
		if (f->id && !list_changed(f, ms))
			continue;
		char *s = list_text(f, ms);
		int rc = case_set_field(rec, ms ? FIELD_MEASURES : FIELD_INJURIES, s, false, err);
		free(s);
		if (rc)
			return rc;
	}
	return case_validate(rec, err);
}

/* After a conflict: the form shows the other user's version with this
 * user's changes on top (fields the user did not touch take the new values). */
static void form_rebase(struct form *f, const struct case_record *fresh)
{
	for (size_t i = 0; i < sizeof text_fields / sizeof text_fields[0]; i++) {
		int fl = text_fields[i];
		char *v = case_get_field(fresh, fl);
		if (!text_changed(f, fl)) {
			wline_set(&f->text[fl], v);
			free(f->err[fl]);
			f->err[fl] = NULL;
		}
		free(f->orig[fl]);
		f->orig[fl] = v;
	}
	int nv[FIELD__COUNT] = {0};
	nv[FIELD_SEX] = fresh->sex;
	nv[FIELD_STATUS] = fresh->status;
	nv[FIELD_VERIFICATION] = fresh->verification;
	nv[FIELD_CONFIDENTIALITY] = fresh->confidentiality;
	for (size_t i = 0; i < sizeof vocab_fields / sizeof vocab_fields[0]; i++) {
		int fl = vocab_fields[i];
		if (f->vocab[fl] == f->vocab_orig[fl])
			f->vocab[fl] = nv[fl];
		f->vocab_orig[fl] = nv[fl];
	}
	bool m_mine = list_changed(f, true), i_mine = list_changed(f, false);
	if (!m_mine) {
		for (size_t i = 0; i < f->nm; i++)
			measure_clear(&f->m[i]);
		f->nm = fresh->n_measures;
		f->m = xreallocarray(f->m, f->nm ? f->nm : 1, sizeof *f->m);
		for (size_t i = 0; i < f->nm; i++)
			measure_init(&f->m[i], &fresh->measures[i]);
	}
	if (!i_mine) {
		for (size_t i = 0; i < f->ni; i++)
			injury_clear(&f->in[i]);
		f->ni = fresh->n_injuries;
		f->in = xreallocarray(f->in, f->ni ? f->ni : 1, sizeof *f->in);
		for (size_t i = 0; i < f->ni; i++)
			injury_init(&f->in[i], &fresh->injuries[i]);
	}
	/* The new originals: what the other user saved. */
	struct form tmp;
	memset(&tmp, 0, sizeof tmp);
	tmp.nm = fresh->n_measures;
	tmp.m = xcalloc(tmp.nm ? tmp.nm : 1, sizeof *tmp.m);
	for (size_t i = 0; i < tmp.nm; i++)
		measure_init(&tmp.m[i], &fresh->measures[i]);
	tmp.ni = fresh->n_injuries;
	tmp.in = xcalloc(tmp.ni ? tmp.ni : 1, sizeof *tmp.in);
	for (size_t i = 0; i < tmp.ni; i++)
		injury_init(&tmp.in[i], &fresh->injuries[i]);
	free(f->m_orig);
	free(f->i_orig);
	f->m_orig = list_text(&tmp, true);
	f->i_orig = list_text(&tmp, false);
	for (size_t i = 0; i < tmp.nm; i++)
		measure_clear(&tmp.m[i]);
	for (size_t i = 0; i < tmp.ni; i++)
		injury_clear(&tmp.in[i]);
	free(tmp.m);
	free(tmp.in);
	items_build(f);
}

/* Returns the saved id, or 0 when the form stays open. */
static uint64_t form_save(struct form *f)
{
	struct case_record rec;
	struct cb_err err = {0};
	int bad = validate_all(f);

	if (bad >= 0) {
		f->cur = bad;
		snprintf(f->msg, sizeof f->msg, "%s", _("Not saved: fix the fields marked ↳ first."));
		f->msg_role = ROLE_ERROR;
		return 0;
	}
	case_init(&rec);
	int rc = build_record(f, &rec, &err);
	if (rc == 0)
		rc = f->id ? store_update(f->t->st, &rec, f->rev, &err) : store_add(f->t->st, &rec, &err);
	uint64_t id = rec.id;
	case_free(&rec);
	if (rc == 0)
		return id ? id : f->id;
	if (rc == CB_ECONFLICT) {
		/* Someone else saved first: take their version as the new base;
		 * the user's changed fields stay in the form for a second ^S. */
		struct case_record fresh;
		struct cb_err e2 = {0};
		if (store_get(f->t->st, f->id, &fresh, &e2) == 0) {
			form_rebase(f, &fresh);
			case_free(&f->base);
			f->base = fresh;
			f->rev = fresh.rev;
		} else {
			case_free(&fresh);
		}
		snprintf(f->msg, sizeof f->msg, "%s. %s", err.msg,
		    _("Your input is kept: ^S saves it over the new version, Esc discards it."));
	} else {
		snprintf(f->msg, sizeof f->msg, _("Not saved: %s"), err.msg);
	}
	f->msg_role = ROLE_ERROR;
	return 0;
}

/* ---- The loop ---------------------------------------------------------------- */

static void add_measure(struct form *f)
{
	int type = pick_vocab(f, &vocab_measure, 0);

	if (type < 0)
		return;
	f->m = xreallocarray(f->m, f->nm + 1, sizeof *f->m);
	measure_init(&f->m[f->nm], NULL);
	f->m[f->nm].type = type;
	f->nm++;
	items_build(f);
	for (size_t i = 0; i < f->nitems; i++)
		if (f->items[i].kind == FK_M_SUB && f->items[i].idx == f->nm - 1) {
			f->cur = (int)i;
			break;
		}
}

static void add_injury(struct form *f)
{
	int type = pick_vocab(f, &vocab_injury, 0);

	if (type < 0)
		return;
	f->in = xreallocarray(f->in, f->ni + 1, sizeof *f->in);
	injury_init(&f->in[f->ni], NULL);
	f->in[f->ni].type = type;
	f->ni++;
	items_build(f);
	for (size_t i = 0; i < f->nitems; i++)
		if (f->items[i].kind == FK_I_SUB && f->items[i].idx == f->ni - 1) {
			f->cur = (int)i;
			break;
		}
}

static void remove_item(struct form *f)
{
	const struct fitem *it = &f->items[f->cur];
	size_t i = it->idx;

	if (it->kind == FK_M_TYPE || it->kind == FK_M_SUB) {
		measure_clear(&f->m[i]);
		memmove(f->m + i, f->m + i + 1, (f->nm - i - 1) * sizeof *f->m);
		f->nm--;
	} else if (it->kind == FK_I_TYPE || it->kind == FK_I_SUB || it->kind == FK_I_EXAM) {
		injury_clear(&f->in[i]);
		memmove(f->in + i, f->in + i + 1, (f->ni - i - 1) * sizeof *f->in);
		f->ni--;
	} else {
		snprintf(f->msg, sizeof f->msg, "%s", _("^X removes a measure or an injury: move onto one first."));
		f->msg_role = ROLE_STATUS;
		return;
	}
	items_build(f);
}

/* Enter or Space on a choice item. */
static void choose(struct form *f)
{
	struct fitem *it = &f->items[f->cur];
	int r;

	switch (it->kind) {
	case FK_VOCAB:
		r = pick_vocab(f, field_vocab(it->field), f->vocab[it->field]);
		if (r >= 0)
			f->vocab[it->field] = r;
		break;
	case FK_M_TYPE:
		r = pick_vocab(f, &vocab_measure, f->m[it->idx].type);
		if (r >= 0)
			f->m[it->idx].type = r;
		break;
	case FK_I_TYPE:
		r = pick_vocab(f, &vocab_injury, f->in[it->idx].type);
		if (r >= 0)
			f->in[it->idx].type = r;
		break;
	case FK_I_EXAM: {
		const char *labels[3] = {_(exam_labels[0]), _(exam_labels[1]), _(exam_labels[2])};
		r = pick(f, _("Forensic or medical exam"), labels, 3,
		    exam_choice(f->in[it->idx].exam));
		if (r >= 0)
			f->in[it->idx].exam = exam_values[r];
		break;
	}
	case FK_M_ADD: add_measure(f); break;
	case FK_I_ADD: add_injury(f); break;
	case FK_NOTES: edit_notes(f); break;
	default: break;
	}
}

static bool is_choice(const struct form *f, const struct fitem *it)
{
	if (it->kind == FK_NOTES)
		return has_newline(&f->text[FIELD_NOTES]);
	return it->kind != FK_TEXT && it->kind != FK_M_SUB && it->kind != FK_I_SUB;
}

uint64_t form_run(struct tui *t, uint64_t id)
{
	struct form f;
	struct cb_err err = {0};
	uint64_t saved = 0;

	memset(&f, 0, sizeof f);
	f.t = t;
	f.id = id;
	case_init(&f.base);
	if (id) {
		case_free(&f.base);
		if (store_get(t->st, id, &f.base, &err)) {
			tui_message(t, ROLE_ERROR, "%s", err.msg);
			case_init(&f.base);
			form_free(&f);
			return 0;
		}
		f.rev = f.base.rev;
	}
	form_load(&f, &f.base);
	items_build(&f);

	while (!t->quit) {
		int key;
		if (form_key(&f, &key) == ERR)
			break;
		struct fitem *it = &f.items[f.cur];
		struct wline *l = item_line(&f, it);
		int a = keys_action(KC_FORM, key);
		bool choice = is_choice(&f, it);
		f.msg[0] = '\0';
		/* F1 shows the help from every field, as the help says. */
		if (key == KF(KEY_F(1))) {
			help_show(t);
			continue;
		}

		/* Text items take printable keys (space included) and editing keys. */
		if (!choice && l && a != ACT_SAVE && a != ACT_BACK && a != ACT_NEXT_FIELD &&
		    a != ACT_PREV_FIELD && a != ACT_PGUP && a != ACT_PGDN && a != ACT_EDITOR &&
		    a != ACT_REMOVE_ITEM) {
			if (wline_key(l, key))
				validate(&f, it);
			continue;
		}
		if (choice && (key == '\r' || key == '\n' || key == KF(KEY_ENTER)))
			a = ACT_PICK;
		if (choice && it->kind != FK_NOTES && (key == KF(KEY_LEFT) || key == KF(KEY_RIGHT))) {
			int d = key == KF(KEY_RIGHT) ? 1 : -1;
			const struct vocab *v = it->kind == FK_VOCAB ? field_vocab(it->field)
			    : it->kind == FK_M_TYPE ? &vocab_measure
			    : it->kind == FK_I_TYPE ? &vocab_injury : NULL;
			int *slot = it->kind == FK_VOCAB ? &f.vocab[it->field]
			    : it->kind == FK_M_TYPE ? &f.m[it->idx].type
			    : it->kind == FK_I_TYPE ? &f.in[it->idx].type : NULL;
			if (v && slot)
				*slot = (*slot + d + v->count) % v->count;
			else if (it->kind == FK_I_EXAM)
				f.in[it->idx].exam = exam_values[(exam_choice(f.in[it->idx].exam) + d + 3) % 3];
			continue;
		}
		switch (a) {
		case ACT_NEXT_FIELD:
			if (l)
				validate(&f, it);
			if (f.cur + 1 < (int)f.nitems)
				f.cur++;
			break;
		case ACT_PREV_FIELD:
			if (l)
				validate(&f, it);
			if (f.cur > 0)
				f.cur--;
			break;
		case ACT_PGDN:
			f.cur = f.cur + 10 < (int)f.nitems ? f.cur + 10 : (int)f.nitems - 1;
			break;
		case ACT_PGUP:
			f.cur = f.cur > 10 ? f.cur - 10 : 0;
			break;
		case ACT_PICK: choose(&f); break;
		case ACT_EDITOR: edit_notes(&f); break;
		case ACT_REMOVE_ITEM: remove_item(&f); break;
		case ACT_SAVE:
			saved = form_save(&f);
			if (saved)
				goto out;
			break;
		case ACT_BACK:
			if (!form_dirty(&f) || form_confirm(&f, _("Discard your changes?")))
				goto out;
			break;
		default:
			if (key == '?')
				help_show(t);
			break;
		}
	}
out:
	form_free(&f);
	tui_touch(t);
	if (saved)
		tui_message(t, ROLE_STATUS, id ? _("Saved case %llu.") : _("Added case %llu."),
		    (unsigned long long)saved);
	return saved;
}
