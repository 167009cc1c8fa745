/* filter_date.c — the date and days groups of the filter pane. Dates come
 * as months ("2021-05") each followed by its days ("2021-05-01"); a month
 * row opens to show its days (Right) and closes again (Left). Days come as
 * buckets of the total days held ("1..5"). Both keys are filter terms as
 * they are (date:2021-05, days:1..5). */
#include "tui.h"

#include <langinfo.h>
#include <string.h>

#include "datefmt.h"
#include "util.h"

/* True for the group of dates by month and day. */
/* True when the locale writes UTF-8 (marks and dashes; ASCII otherwise). */
static bool utf8(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && (!strcmp(cs, "UTF-8") || !strcmp(cs, "utf8"));
}

static bool is_date(const struct facet_group *g)
{
	return !strcmp(g->field, "date");
}

/* True when a date key names a day ("2021-05-01"), not a month. */
static bool is_day(const char *key)
{
	return strlen(key) == 10;
}

/* True when the month of a day key (or the month key itself) is open. */
static bool month_open(const struct facet_group *g, const char *key)
{
	for (size_t i = 0; i < g->open.n; i++)
		if (!strncmp(g->open.items[i], key, 7))
			return true;
	return false;
}

bool filter_value_shown(const struct facet_group *g, size_t i)
{
	const char *key = g->f[i].key;

	if (!is_date(g) || !is_day(key) || month_open(g, key))
		return true;
	/* A chosen day stays in sight, like every chosen value. */
	for (size_t j = 0; j < g->sel.n; j++)
		if (!strcmp(g->sel.items[j], key))
			return true;
	return false;
}

size_t filter_values_shown(const struct facet_group *g)
{
	size_t n = 0;

	for (size_t i = 0; i < g->n; i++)
		n += filter_value_shown(g, i);
	return n;
}

int filter_value_indent(const struct facet_group *g, size_t i)
{
	return is_date(g) && is_day(g->f[i].key) ? 2 : 0;
}

uint64_t filter_bar_max(const struct facet_group *g, size_t i)
{
	uint64_t max = 0;
	bool day = is_date(g) && is_day(g->f[i].key);

	for (size_t j = 0; j < g->n; j++) {
		const char *k = g->f[j].key;
		/* Days are measured against the days of their month, months
		 * against months: a month holds all its days' cases. */
		if (is_date(g) && (is_day(k) != day || (day && strncmp(k, g->f[i].key, 7))))
			continue;
		if (g->f[j].count > max)
			max = g->f[j].count;
	}
	return max;
}

const char *filter_value_label(const struct facet_group *g, const struct facet *f, char *buf,
    size_t cap)
{
	if (is_date(g)) {
		struct pdate d;
		char shown[16];
		if (pdate_parse(f->key, &d, NULL) != 0)
			return NULL;
		datefmt_show(d, shown);
		if (is_day(f->key)) {
			snprintf(buf, cap, "%s", shown);
		} else {
			/* The mark says whether the month's days are shown. */
			bool open = month_open(g, f->key);
			snprintf(buf, cap, "%s %s",
			    open ? (utf8() ? "▾" : "-") : (utf8() ? "▸" : "+"), shown);
		}
		return buf;
	}
	if (!strcmp(g->field, "days")) {
		const char *dots = strstr(f->key, "..");
		if (!dots)
			snprintf(buf, cap, "%s", f->key);
		else if (!dots[2])
			/* TRANSLATORS: a bucket of the filter pane's days group: 16 days or more.
			 */
			snprintf(buf, cap, _("%.*s or more"), (int)(dots - f->key), f->key);
		else
			snprintf(buf, cap, "%.*s%s%s", (int)(dots - f->key), f->key,
			    utf8() ? "–" : "-", dots + 2);
		return buf;
	}
	return NULL;
}

long filter_month_open(struct facet_group *g, size_t i, bool open)
{
	if (!is_date(g) || i >= g->n)
		return -1;
	char month[8];
	snprintf(month, sizeof month, "%.7s", g->f[i].key);
	if (open && !month_open(g, month)) {
		strlist_add(&g->open, month);
	} else if (!open) {
		struct strlist keep = {0};
		for (size_t j = 0; j < g->open.n; j++)
			if (strcmp(g->open.items[j], month))
				strlist_add(&keep, g->open.items[j]);
		strlist_free(&g->open);
		g->open = keep;
	}
	for (size_t j = 0; j < g->n; j++)
		if (!strcmp(g->f[j].key, month))
			return (long)j;
	return -1;
}
