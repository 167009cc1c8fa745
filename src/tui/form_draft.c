/* form_draft.c — nothing typed in the form is lost: while it is open its
 * content is written as a draft (store_drafts.h) at most every
 * DRAFT_EVERY seconds and only while no key waits (after the screen is
 * updated, so typing is never slowed), and at once on a quit signal; the
 * draft goes when the form is saved or discarded. The next start offers
 * each draft left behind (after kill -9 or a dropped connection too):
 * resume it in the form, discard it, or keep it for later.
 *
 * A draft holds the form's rows as typed: a text field under its name, a
 * vocabulary field as its key, and each measure or injury part under
 * "measures.N.part" ("measures.n": how many), so text that is not valid
 * yet is kept too. */
#include "tui.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "merge.h"
#include "store_drafts.h"
#include "store_trash.h"
#include "util.h"

#define DRAFT_EVERY 2.0 /* seconds between two draft writes, at most one */

static double now_mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *list_name(const struct flist *l)
{
	return case_fields[l->field].name;
}

/* ---- The form as a draft, and back ---------------------------------------- */

void form_draft_capture(struct form *f, struct draft *d)
{
	char key[96];

	snprintf(d->user, sizeof d->user, "%s", util_username());
	d->case_id = f->id;
	d->token = f->draft_token;
	d->base_rev = f->rev;
	d->changed = (int64_t)time(NULL);
	for (int fl = 0; fl < FIELD__COUNT; fl++) {
		if (form_is_text_field(fl)) {
			char *s = wline_utf8(&f->text[fl]);
			draft_set(d, case_fields[fl].name, s);
			free(s);
		} else if (form_is_vocab_field(fl)) {
			draft_set(d, case_fields[fl].name,
			    vocab_key(case_fields[fl].vocab, f->vocab[fl]));
		}
	}
	for (int li = 0; li < 2; li++) {
		const struct flist *l = &f->lists[li];
		snprintf(key, sizeof key, "%s.n", list_name(l));
		char n[24];
		snprintf(n, sizeof n, "%zu", l->n);
		draft_set(d, key, n);
		for (size_t i = 0; i < l->n; i++)
			for (int p = 0; p < l->d->nparts; p++) {
				snprintf(key, sizeof key, "%s.%zu.%s", list_name(l), i + 1,
				    l->d->parts[p].name);
				char *v = form_part_is_line(l, p)
				    ? wline_utf8(&l->sub[i][p])
				    : item_get_part(l->d, l->items + i * l->d->size, p);
				draft_set(d, key, v);
				free(v);
			}
	}
}

/* Puts list l back as the draft holds it. */
static void apply_list(struct form *f, struct flist *l, const struct draft *d)
{
	char key[96];
	struct cb_err err = {0};

	snprintf(key, sizeof key, "%s.n", list_name(l));
	const char *ns = draft_get(d, key);
	size_t n = ns ? strtoul(ns, NULL, 10) : 0;
	if (!ns)
		return; /* a draft without the list keeps the case's */
	while (l->n)
		form_list_remove(l, l->n - 1);
	for (size_t i = 0; i < n && i < 1000; i++) {
		form_list_push(l, NULL);
		void *item = l->items + i * l->d->size;
		for (int p = 0; p < l->d->nparts; p++) {
			snprintf(key, sizeof key, "%s.%zu.%s", list_name(l), i + 1,
			    l->d->parts[p].name);
			const char *v = draft_get(d, key);
			if (!v)
				continue;
			if (form_part_is_line(l, p))
				wline_set(&l->sub[i][p], v);
			else
				item_set_part(l->d, item, p, v, &err);
		}
	}
	(void)f;
}

void form_draft_apply(struct form *f, const struct draft *d)
{
	for (int fl = 0; fl < FIELD__COUNT; fl++) {
		const char *v = draft_get(d, case_fields[fl].name);
		if (!v)
			continue;
		if (form_is_text_field(fl)) {
			wline_set(&f->text[fl], v);
		} else if (form_is_vocab_field(fl)) {
			int i = vocab_find(case_fields[fl].vocab, v);
			if (i >= 0)
				f->vocab[fl] = i;
		}
	}
	for (int li = 0; li < 2; li++)
		apply_list(f, &f->lists[li], d);
	form_items_build(f);
	/* Every row checked, so text that is not valid yet shows why. */
	for (size_t i = 0; i < f->nitems; i++)
		form_validate(f, &f->items[i]);
}

/* ---- Writing ----------------------------------------------------------------- */

void form_draft_tick(struct form *f, bool now)
{
	struct draft d;
	struct buf enc = {0};
	struct cb_err err = {0};
	double t = now_mono();

	if (f->t->readonly || (!now && t - f->draft_at < DRAFT_EVERY))
		return;
	f->draft_at = t;
	if (!f->draft_written && !form_dirty(f))
		return; /* nothing typed yet */
	draft_init(&d);
	form_draft_capture(f, &d);
	d.changed = 0; /* compared without the time */
	draft_encode(&d, &enc);
	if (f->draft_last.len == enc.len && memcmp(f->draft_last.p, enc.p, enc.len) == 0) {
		buf_free(&enc);
		draft_free(&d);
		return; /* unchanged since the last write */
	}
	d.changed = (int64_t)time(NULL);
	if (store_draft_put(f->t->st, &d, &err) == 0) {
		f->draft_written = true;
		buf_free(&f->draft_last);
		f->draft_last = enc;
	} else {
		buf_free(&enc);
		snprintf(f->msg, sizeof f->msg, _("The draft could not be saved: %s"), err.msg);
		f->msg_role = ROLE_ERROR;
	}
	draft_free(&d);
}

void form_draft_drop(struct form *f)
{
	struct cb_err err = {0};

	if (f->draft_written || f->draft_resumed)
		store_draft_delete(f->t->st, util_username(), f->draft_case, f->draft_token, &err);
	f->draft_written = f->draft_resumed = false;
	buf_free(&f->draft_last);
}

void form_draft_init(struct form *f)
{
	/* Unique enough among one user's open forms: the process and the time. */
	f->draft_token = ((uint64_t)time(NULL) << 22) ^ (uint64_t)getpid();
	f->draft_case = f->id;
	f->draft_at = now_mono();
}

/* ---- Offering drafts on start ------------------------------------------------- */

/* "10 min ago", "2 h ago", "3 days ago", "just now". */
static char *ago(int64_t when)
{
	int64_t s = (int64_t)time(NULL) - when;
	if (s < 60)
		return xstrdup(_("just now"));
	if (s < 3600)
		return xasprintf(ngettext("%lld min ago", "%lld min ago", s / 60),
		    (long long)(s / 60));
	if (s < 86400)
		return xasprintf(ngettext("%lld hour ago", "%lld hours ago", s / 3600),
		    (long long)(s / 3600));
	return xasprintf(ngettext("%lld day ago", "%lld days ago", s / 86400),
	    (long long)(s / 86400));
}

struct found {
	struct draft *d;
	bool *bad;
	char **why;
	size_t n;
};

/* Keeps a copy of each draft of the user (the read transaction must end
 * before one is resumed or removed). */
static int keep(const struct draft_seen *s, void *ctx)
{
	struct found *f = ctx;
	if (s->aside)
		return 0;
	f->d = xreallocarray(f->d, f->n + 1, sizeof *f->d);
	f->bad = xreallocarray(f->bad, f->n + 1, sizeof *f->bad);
	f->why = xreallocarray(f->why, f->n + 1, sizeof *f->why);
	struct draft *d = &f->d[f->n];
	draft_init(d);
	memcpy(d->user, s->d->user, sizeof d->user);
	d->case_id = s->d->case_id;
	d->token = s->d->token;
	d->base_rev = s->d->base_rev;
	d->changed = s->d->changed;
	for (size_t i = 0; i < s->d->n; i++)
		draft_set(d, s->d->fields[i].key, s->d->fields[i].value);
	f->bad[f->n] = s->why != NULL;
	f->why[f->n] = s->why ? xstrdup(s->why) : NULL;
	f->n++;
	return 0;
}

/* Asks about draft d: 'r' resume, 'd' discard, Esc later. */
static int ask(struct tui *t, const struct draft *d)
{
	char *when = ago(d->changed), *q;

	if (d->case_id)
		q = xasprintf(_("You have an unsaved draft of case %llu (changed %s): r resume, d "
		                "discard, Esc later"),
		    (unsigned long long)d->case_id, when);
	else
		q = xasprintf(_("You have an unsaved draft of a new case (changed %s): r resume, d "
		                "discard, Esc later"),
		    when);
	free(when);
	int a = tui_choose(t, q, KC_CHOICE, NULL, NULL);
	free(q);
	return a;
}

void tui_drafts_offer(struct tui *t)
{
	struct found fd = {0};
	struct cb_err err = {0};

	if (t->readonly)
		return;
	if (store_drafts_foreach(t->st, util_username(), keep, &fd, &err) != 0) {
		tui_message(t, ROLE_ERROR, "%s", err.msg);
		return;
	}
	for (size_t i = 0; i < fd.n && !t->quit; i++) {
		const struct draft *d = &fd.d[i];
		if (fd.bad[i]) {
			/* Never dropped: set aside, where `casebook drafts` lists it. */
			store_draft_set_aside(t->st, d->user, d->case_id, d->token, &err);
			tui_message(t, ROLE_ERROR,
			    _("A draft of case %llu cannot be read (%s); it is kept aside "
			      "(casebook "
			      "drafts lists it)"),
			    (unsigned long long)d->case_id, fd.why[i]);
			continue;
		}
		int a = ask(t, d);
		if (a == ACT_RESUME) {
			uint64_t id = form_run_draft(t, d);
			if (id) {
				tui_invalidate(t);
				tui_requery(t);
			}
		} else if (a == ACT_DISCARD) {
			store_draft_delete(t->st, d->user, d->case_id, d->token, &err);
			tui_message(t, ROLE_MESSAGE, "%s", _("Draft discarded."));
		}
	}
	for (size_t i = 0; i < fd.n; i++) {
		draft_free(&fd.d[i]);
		free(fd.why[i]);
	}
	free(fd.d);
	free(fd.bad);
	free(fd.why);
}
