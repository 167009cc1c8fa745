/* Unit tests of case sheets (text and PDF), redaction, the config file and
 * printing (print command and saving into sheet_dir). */
#include "unit.h"

#include <time.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "config.h"
#include "print.h"
#include "sheet.h"
#include "store.h"
#include "text.h"

static const char *const full_fields[] = {
    "name=Жанар Ахметова",
    "name_latin=Zhanar Akhmetova",
    "aliases=Zhanar Akhmet|Жанар А.",
    "sex=f",
    "birth_year=1985",
    "affiliation=activist|DCK supporter",
    "event=2021-05-01 DCK rallies",
    "date=2021-05-01",
    "region=Алматинская область",
    "city=Алматы",
    "measures=admin_arrest:days=15:date=2021-05-02:article=KoAP 488 part 6:"
    "court=Specialised administrative court of Almaty|fine:fine=100 MRP:date=2021-05-02",
    "injuries=strangulation:body=neck:exam=yes:note=held in a chokehold during the arrest|"
    "bruise:body=left shoulder",
    "status=in_court",
    "verification=confirmed",
    "lawyer=Айгуль Сериковна",
    "hearing=2021-06-15",
    "confidentiality=internal",
    "sources=https://example.org/bulletin/2021-05|witness statement W-17",
    "notes=Detained at Republic Square at 11:40 after reading a statement.\n\n"
    "Witness Bolat saw two officers hold her by the neck.",
    NULL,
};

/* What redaction must remove from the full case. */
static const char *const redacted_values[] = {
    "Жанар",
    "Ахметова",
    "Zhanar",
    "Akhmetova",
    "Akhmet",
    "1985",
    "Айгуль",
    "Сериковна",
    "example.org",
    "W-17",
    "Republic Square",
    "Bolat",
    NULL,
};

static void make_case(struct case_record *c, const char *const *fields)
{
	struct cb_err err;

	case_init(c);
	c->id = 42;
	c->rev = 3;
	for (size_t i = 0; fields[i]; i++) {
		if (case_assign(c, fields[i], &err) != 0)
			fail_msg("%s: %s", fields[i], err.msg);
	}
}

static void options(struct sheet_options *o, int width)
{
	memset(o, 0, sizeof *o);
	o->format = SHEET_FORMAT_TEXT;
	o->width = width;
	o->organisation = "Kadyr Legal Aid";
	o->printed_at = 1767225600; /* 2026-01-01T00:00:00Z */
	o->printed_by = "ana";
}

static char *render(const struct case_record *c, const struct sheet_options *o)
{
	struct buf b = {0};
	sheet_render_text(c, o, &b);
	return buf_steal(&b);
}

/* Every line at most width display columns; every page SHEET_PAGE_LINES
 * lines long. Returns the number of pages. */
static int check_layout(const char *doc, size_t width)
{
	int pages = 1, lines = 0;
	const char *p = doc;

	while (*p) {
		if (*p == '\f') {
			assert_int_equal(lines, SHEET_PAGE_LINES);
			pages++;
			lines = 0;
			p++;
			continue;
		}
		size_t n = strcspn(p, "\n\f");
		char *line = strndup(p, n);
		size_t w = text_width(line);
		if (w > width)
			fail_msg("line wider than %zu (%zu): \"%s\"", width, w, line);
		assert_null(strchr(line, '\x1b'));
		free(line);
		p += n;
		if (*p == '\n') {
			p++;
			lines++;
		}
	}
	assert_int_equal(lines, SHEET_PAGE_LINES);
	return pages;
}

static void test_full_sheet(void **state)
{
	(void)state;
	struct case_record c;
	struct sheet_options o;
	static const char *const must[] = {
	    "Kadyr Legal Aid",
	    "CASE SHEET",
	    "Case 42, revision 3",
	    "Жанар Ахметова",
	    "Zhanar Akhmetova",
	    "Zhanar Akhmet, Жанар А.",
	    "female",
	    "1985",
	    "activist, DCK supporter",
	    "2021-05-01 DCK rallies",
	    "Алматинская область",
	    "Алматы",
	    "administrative arrest",
	    "15",
	    "100 MRP",
	    "2021-05-02",
	    "KoAP 488 part 6",
	    "Specialised administrative court of Almaty",
	    "strangulation",
	    "neck",
	    "held in a chokehold during the arrest",
	    "left shoulder",
	    "in court",
	    "confirmed",
	    "Айгуль Сериковна",
	    "2021-06-15",
	    "https://example.org/bulletin/2021-05",
	    "witness statement W-17",
	    "Detained at Republic Square",
	    "Witness Bolat",
	    "Printed 2026-01-01 00:00 by ana",
	    "Page 1 of 1",
	    "Confidentiality: internal",
	    "Person",
	    "Event",
	    "Measures",
	    "Injuries",
	    "Legal status",
	    "Sources",
	    "Notes",
	    NULL,
	};

	make_case(&c, full_fields);
	c.created = 1620000000; /* 2021-05-03T00:00:00Z */
	c.updated = 1622548800; /* 2021-06-01T12:00:00Z */
	c.updated_by = strdup("staffer_olga");
	options(&o, 120);
	char *doc = render(&c, &o);
	assert_non_null(strstr(doc, "Created 2021-05-03 00:00"));
	assert_non_null(strstr(doc, "Last changed 2021-06-01 12:00 by staffer_olga"));
	assert_int_equal(check_layout(doc, 120), 1);
	for (size_t i = 0; must[i]; i++)
		if (!strstr(doc, must[i]))
			fail_msg("missing \"%s\" in:\n%s", must[i], doc);
	assert_null(strstr(doc, "REDACTED"));
	free(doc);

	for (int w = 40; w <= 130; w += 7) {
		options(&o, w);
		doc = render(&c, &o);
		check_layout(doc, (size_t)w);
		assert_non_null(strstr(doc, "Жанар Ахметова"));
		free(doc);
	}
	case_free(&c);
}

/* What the store would give: two other cases of the person, or none. */
static void two_others(const struct case_record *c, struct strlist *lines, void *ctx)
{
	(void)c;
	if (ctx)
		return;
	strlist_add(lines, "2021-01-10 picket: fine, 100 MRP");
	strlist_add(lines, "2021-02-22 rally: administrative arrest, 15 days");
}

/* The section "Other cases of this person", on full and redacted sheets;
 * none when the person has no other case. */
static void test_others_section(void **state)
{
	(void)state;
	struct case_record c;
	struct sheet_options o;

	make_case(&c, full_fields);
	for (int w = 40; w <= 120; w += 40)
		for (int redact = 0; redact < 2; redact++) {
			options(&o, w);
			o.redact = redact;
			o.others = two_others;
			char *doc = render(&c, &o);
			check_layout(doc, (size_t)w);
			const char *sec = strstr(doc, "Other cases of this person");
			assert_non_null(sec);
			assert_non_null(strstr(sec, "2021-01-10 picket: fine, 100 MRP"));
			assert_non_null(strstr(sec, "2021-02-22 rally"));
			if (redact)
				assert_null(strstr(doc, "Жанар Ахметова"));
			free(doc);
			o.others_ctx = &c; /* no other case */
			doc = render(&c, &o);
			assert_null(strstr(doc, "Other cases of this person"));
			free(doc);
		}
	case_free(&c);
}

static void test_redacted(void **state)
{
	(void)state;
	struct case_record c;
	struct sheet_options o;

	make_case(&c, full_fields);
	c.created = 1620000000;
	c.updated = 1622548800;
	c.updated_by = strdup("staffer_olga");
	for (int w = 40; w <= 120; w += 20) {
		options(&o, w);
		o.redact = true;
		char *doc = render(&c, &o);
		check_layout(doc, (size_t)w);
		for (size_t i = 0; redacted_values[i]; i++)
			if (strstr(doc, redacted_values[i]))
				fail_msg("redacted sheet shows \"%s\":\n%s", redacted_values[i],
				    doc);
		assert_null(strstr(doc, "staffer_olga"));
		assert_non_null(strstr(doc, "Last changed 2021-06-01 12:00"));
		assert_non_null(strstr(doc, "Ж. А."));
		assert_non_null(strstr(doc, "REDACTED"));
		/* What is not redacted is still there. */
		assert_non_null(strstr(doc, "Алматы"));
		assert_non_null(strstr(doc, "neck"));
		free(doc);
	}
	case_free(&c);
}

static void test_restricted(void **state)
{
	(void)state;
	struct case_record c;
	struct sheet_options o;
	struct cb_err err;

	make_case(&c, full_fields);
	assert_int_equal(case_assign(&c, "confidentiality=restricted", &err), 0);
	options(&o, 80);
	char *doc = render(&c, &o);
	/* Restricted: redacted unless asked otherwise, marked on every page. */
	assert_non_null(strstr(doc, "RESTRICTED"));
	assert_null(strstr(doc, "Ахметова"));
	assert_non_null(strstr(doc, "REDACTED"));
	free(doc);
	o.unredacted = true;
	doc = render(&c, &o);
	assert_non_null(strstr(doc, "Ахметова"));
	assert_non_null(strstr(doc, "RESTRICTED"));
	assert_null(strstr(doc, "REDACTED"));
	free(doc);
	case_free(&c);
}

static void test_unidentified_and_minimal(void **state)
{
	(void)state;
	struct case_record c;
	struct sheet_options o;
	static const char *const f[] = {"city=Шымкент", "measures=detention", NULL};

	make_case(&c, f);
	options(&o, 60);
	o.organisation = NULL;
	char *doc = render(&c, &o);
	check_layout(doc, 60);
	assert_non_null(strstr(doc, "(unidentified)"));
	assert_non_null(strstr(doc, "detention"));
	assert_non_null(strstr(doc, "None recorded."));
	/* Empty measure columns are left out. */
	assert_null(strstr(doc, "Article"));
	free(doc);
	o.redact = true;
	doc = render(&c, &o);
	assert_non_null(strstr(doc, "(unidentified)"));
	free(doc);
	case_free(&c);
}

static void test_sanitised(void **state)
{
	(void)state;
	struct case_record c;
	struct sheet_options o;
	static const char *const f[] = {"name=Evil\x1b[2J Name", "notes=bell\x07 and \x1b]0;x\x07",
	    "city=Tab\there", NULL};

	make_case(&c, f);
	options(&o, 60);
	char *doc = render(&c, &o);
	for (const char *p = doc; *p; p++)
		assert_true(*p == '\n' || *p == '\f' || (unsigned char)*p >= 0x20);
	assert_non_null(strstr(doc, "Evil^[[2J Name"));
	free(doc);
	case_free(&c);
}

/* A long Cyrillic note with wide characters runs over several pages, each
 * with its footer and page number. */
static void test_pages(void **state)
{
	(void)state;
	struct case_record c;
	struct sheet_options o;
	struct buf notes = {0};

	buf_puts(&notes, "notes=");
	for (int i = 0; i < 60; i++)
		buf_printf(&notes,
		    "Абзац %d. Қазақстан, Алматы: задержана у здания акимата, "
		    "доставлена в РУВД, 中文 e\xcc\x81 составлен протокол.\n",
		    i);
	const char *f[] = {"name=Айгерім Сәрсенқызы", buf_cstr(&notes), NULL};
	make_case(&c, f);
	for (int w = 60; w <= 120; w += 60) {
		options(&o, w);
		char *doc = render(&c, &o);
		int pages = check_layout(doc, (size_t)w);
		assert_true(pages >= 2);
		char want[64];
		for (int p = 1; p <= pages; p++) {
			snprintf(want, sizeof want, "Page %d of %d", p, pages);
			assert_non_null(strstr(doc, want));
		}
		assert_non_null(strstr(doc, "Айгерім Сәрсенқызы (continued)"));
		assert_non_null(strstr(doc, "Абзац 59."));
		free(doc);
	}
	buf_free(&notes);
	case_free(&c);
}

static int count(const char *hay, size_t n, const char *needle)
{
	int k = 0;
	size_t len = strlen(needle);
	for (size_t i = 0; i + len <= n; i++)
		k += memcmp(hay + i, needle, len) == 0;
	return k;
}

static void test_pdf(void **state)
{
	(void)state;
	struct case_record a, b;
	struct sheet_options o;
	struct buf out = {0};
	struct cb_err err;
	static const char *const f[] = {"name=Second Person", NULL};

	make_case(&a, full_fields);
	make_case(&b, f);
	options(&o, 80);
	o.format = SHEET_FORMAT_PDF;
	struct sheet_pdf *p = sheet_pdf_begin(&o, &out);
	sheet_pdf_add(p, &a);
	sheet_pdf_add(p, &b);
	assert_int_equal(sheet_pdf_end(p, &err), 0);
	assert_true(out.len > 1000);
	assert_memory_equal(out.p, "%PDF-", 5);
	/* One page per case. */
	int pages = count((const char *)out.p, out.len, "/Type /Page\n") +
	    count((const char *)out.p, out.len, "/Type /Page ");
	assert_int_equal(pages, 2);
	buf_free(&out);
	case_free(&a);
	case_free(&b);
}

/* ---- Config and printing (each in a child process: the config is read
 * once per process) ------------------------------------------------------------ */

static char *tmp;

static void write_config(const char *text)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/xdg/casebook", tmp);
	char cmd[4300];
	snprintf(cmd, sizeof cmd, "mkdir -p '%s'", path);
	if (system(cmd) != 0)
		fail_msg("mkdir");
	strcat(path, "/config");
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	snprintf(path, sizeof path, "%s/xdg", tmp);
	setenv("XDG_CONFIG_HOME", path, 1);
	snprintf(path, sizeof path, "%s/home", tmp);
	setenv("HOME", path, 1);
}

/* Runs fn in a child; the test fails when it returns non-zero. */
static void in_child(int (*fn)(void))
{
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int r = fn();
		fflush(NULL);
		_exit(r);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

#define EXPECT(cond)                                                                               \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "failed: %s (line %d)\n", #cond, __LINE__);                \
			return 1;                                                                  \
		}                                                                                  \
	} while (0)

static int child_config(void)
{
	const struct config *c = config_get();
	EXPECT(c->print_command && strcmp(c->print_command, "lpr -P office") == 0);
	EXPECT(strcmp(c->sheet_format, "pdf") == 0);
	EXPECT(c->sheet_width == 100);
	EXPECT(c->organisation && strcmp(c->organisation, "  Kadyr  ") == 0);
	char want[4200];
	snprintf(want, sizeof want, "%s/home/sheets", tmp);
	EXPECT(strcmp(c->sheet_dir, want) == 0);
	EXPECT(c->mouse);
	EXPECT(config_get() == c);
	return 0;
}

static void test_config(void **state)
{
	(void)state;
	write_config("# casebook settings\n"
	             "print_command = lpr -P office\n"
	             "sheet_format=pdf\n"
	             "\n"
	             "sheet_width = 100\n"
	             "sheet_width = 7\n" /* bad: kept 100 */
	             "colour = blue\n" /* unknown key */
	             "organisation = \"  Kadyr  \"\n"
	             "sheet_dir = ~/sheets\n"
	             "mouse = yes\n"
	             "this line has no equals sign\n");
	/* Warnings go to stderr: capture them in a file. */
	char path[4200];
	snprintf(path, sizeof path, "%s/stderr", tmp);
	fflush(stderr);
	int saved = dup(2);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	dup2(fd, 2);
	close(fd);
	in_child(child_config);
	dup2(saved, 2);
	close(saved);
	FILE *r = fopen(path, "r");
	char b[4096] = "";
	size_t n = fread(b, 1, sizeof b - 1, r);
	b[n] = '\0';
	fclose(r);
	if (!strstr(b, "config:6: sheet_width: bad width"))
		fail_msg("stderr: %s", b);
	assert_non_null(strstr(b, "config:6: sheet_width: bad width \"7\""));
	assert_non_null(strstr(b, "config:7: unknown key \"colour\""));
	assert_non_null(strstr(b, "config:11: expected `key = value`"));
	int lines = 0;
	for (char *s = b; *s; s++)
		lines += *s == '\n';
	assert_int_equal(lines, 3);
}

static struct store *open_store(uint64_t *ids, int n)
{
	char dir[4200];
	struct store *st;
	struct cb_err err;
	snprintf(dir, sizeof dir, "%s/db", tmp);
	if (store_open(&st, dir, NULL, &err) != 0)
		return NULL;
	static int added;
	for (int i = 0; i < n; i++) {
		struct case_record c;
		make_case(&c, full_fields);
		c.id = 0;
		/* A birth year of its own: each case is its own person, so no sheet
		 * grows a section of other cases as the tests add more. */
		c.birth_year = 1950 + added++;
		if (store_add(st, &c, &err) != 0)
			return NULL;
		ids[i] = c.id;
		case_free(&c);
	}
	return st;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	struct buf b = {0};
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_put(&b, chunk, n);
	fclose(f);
	if (len)
		*len = b.len;
	return buf_steal(&b);
}

/* Print options as the caller passes them: no config file, no environment,
 * so these tests run in this process. */
static void print_opts(struct print_options *po, const char *command, const char *dir)
{
	memset(po, 0, sizeof *po);
	options(&po->sheet, 80);
	po->command = command;
	po->sheet_dir = dir;
	po->timeout = 60;
}

/* A print test: a store of full cases (their ids), the options, and what
 * print_sheets reports. */
struct printing {
	struct store *st;
	uint64_t ids[3];
	struct print_options po;
	char status[512];
	struct cb_err err;
};

/* Opens a store of n full cases (n at most 3) and sets the options to
 * print with command or save into dir. */
static void printing_start(struct printing *p, int n, const char *command, const char *dir)
{
	memset(p, 0, sizeof *p);
	p->st = open_store(p->ids, n);
	assert_non_null(p->st);
	print_opts(&p->po, command, dir);
}

/* print_sheets of the first n cases. */
static int printing_run(struct printing *p, size_t n)
{
	return print_sheets(p->st, p->ids, n, &p->po, p->status, sizeof p->status, &p->err);
}

static void test_print_command(void **state)
{
	(void)state;
	struct printing p;
	char path[4200], cmd[4500];
	snprintf(path, sizeof path, "%s/printed.txt", tmp);
	snprintf(cmd, sizeof cmd, "cat > '%s'", path);
	printing_start(&p, 2, cmd, NULL);
	p.po.sheet.printed_by = "tester";
	assert_int_equal(printing_run(&p, 1), 0);
	assert_non_null(strstr(p.status, "Sent the sheet of case"));
	char *got = slurp(path, NULL);
	assert_non_null(got);
	assert_non_null(strstr(got, "Жанар Ахметова"));
	assert_non_null(strstr(got, "CASE SHEET"));
	assert_non_null(strstr(got, "Printed 2026-01-01 00:00 by tester"));
	assert_null(strchr(got, '\f'));
	free(got);
	assert_int_equal(printing_run(&p, 2), 0);
	assert_non_null(strstr(p.status, "Sent 2 sheets to"));
	got = slurp(path, NULL);
	assert_non_null(got);
	assert_non_null(strchr(got, '\f'));
	free(got);
	store_close(p.st);
}

static void test_print_fail(void **state)
{
	(void)state;
	struct printing p;
	/* The command reads nothing and fails: no SIGPIPE, a clear message. */
	printing_start(&p, 1, "echo 'lpr: no default destination' >&2; echo junk; exit 3", NULL);
	assert_int_equal(printing_run(&p, 1), CB_EIO);
	assert_non_null(strstr(p.err.msg, "failed (exit 3): lpr: no default destination"));
	assert_int_equal(p.status[0], '\0');
	uint64_t bad = 999;
	assert_int_equal(print_sheets(p.st, &bad, 1, &p.po, p.status, sizeof p.status, &p.err),
	    CB_ENOTFOUND);
	assert_string_equal(p.err.msg, "no case 999");
	store_close(p.st);
}

static void test_print_hang(void **state)
{
	(void)state;
	struct printing p;
	/* A command that never finishes (and never reads) is stopped. */
	printing_start(&p, 1, "echo 'waiting for the printer' >&2; sleep 300", NULL);
	p.po.timeout = 1;
	time_t t0 = time(NULL);
	assert_int_equal(printing_run(&p, 1), CB_EIO);
	assert_true(time(NULL) - t0 < 10);
	assert_non_null(strstr(p.err.msg, "did not finish within 1 s"));
	assert_non_null(strstr(p.err.msg, "waiting for the printer"));
	store_close(p.st);
}

static void test_print_save(void **state)
{
	(void)state;
	struct printing p;
	char want[4300], dir[4200];
	struct stat sb;
	snprintf(dir, sizeof dir, "%s/home/out/sheets", tmp);
	printing_start(&p, 3, NULL, dir);
	assert_int_equal(printing_run(&p, 1), 0);
	snprintf(want, sizeof want, "Saved to %s/case-%llu.txt", dir, (unsigned long long)p.ids[0]);
	assert_string_equal(p.status, want);
	assert_int_equal(stat(want + 9, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(stat(dir, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	/* Never overwrites: the second copy gets a numbered name. */
	assert_int_equal(printing_run(&p, 1), 0);
	snprintf(want, sizeof want, "Saved to %s/case-%llu-2.txt", dir,
	    (unsigned long long)p.ids[0]);
	assert_string_equal(p.status, want);
	assert_int_equal(printing_run(&p, 3), 0);
	snprintf(want, sizeof want, "Saved to %s/cases-20260101-000000.txt", dir);
	assert_string_equal(p.status, want);
	char *got = slurp(want + 9, NULL);
	assert_non_null(got);
	int ff = 0;
	for (char *s = got; *s; s++)
		ff += *s == '\f';
	assert_int_equal(ff, 2);
	free(got);
	store_close(p.st);
}

static void test_print_pdf(void **state)
{
	(void)state;
	struct printing p;
	char dir[4200];
	snprintf(dir, sizeof dir, "%s/pdf", tmp);
	printing_start(&p, 1, NULL, dir);
	p.po.sheet.format = SHEET_FORMAT_PDF;
	assert_int_equal(printing_run(&p, 1), 0);
	assert_int_equal(strncmp(p.status, "Saved to ", 9), 0);
	assert_non_null(strstr(p.status, ".pdf"));
	size_t len;
	char *got = slurp(p.status + 9, &len);
	assert_non_null(got);
	assert_true(len > 5 && memcmp(got, "%PDF-", 5) == 0);
	free(got);
	store_close(p.st);
}

/* The options from the config file: its values, the environment's clock
 * and user, and the print settings (read in a child: config_get loads the
 * file once per process). */
static int child_print_options(void)
{
	struct print_options po;
	print_options_init(&po, config_get());
	EXPECT(po.sheet.format == SHEET_FORMAT_PDF);
	EXPECT(po.sheet.width == 100);
	EXPECT(po.sheet.organisation && strcmp(po.sheet.organisation, "Kadyr") == 0);
	EXPECT(po.sheet.printed_at == 1767225600);
	EXPECT(strcmp(po.sheet.printed_by, "tester") == 0);
	EXPECT(po.command && strcmp(po.command, "lpr -P office") == 0);
	EXPECT(po.timeout == 7);
	char want[4200];
	snprintf(want, sizeof want, "%s/home/sheets", tmp);
	EXPECT(po.sheet_dir && strcmp(po.sheet_dir, want) == 0);
	return 0;
}

static void test_print_options(void **state)
{
	(void)state;
	write_config("print_command = lpr -P office\nsheet_format = pdf\nsheet_width = 100\n"
	             "organisation = Kadyr\nsheet_dir = ~/sheets\nprint_timeout = 7\n");
	setenv("CASEBOOK_NOW", "2026-01-01T00:00:00Z", 1);
	setenv("CASEBOOK_USER", "tester", 1);
	in_child(child_print_options);
	unsetenv("CASEBOOK_NOW");
	unsetenv("CASEBOOK_USER");
}

static int setup_tmp(void **state)
{
	(void)state;
	char cmd[4200];
	tmp = unit_tmpdir();
	snprintf(cmd, sizeof cmd, "rm -rf '%s/db' '%s/xdg'", tmp, tmp);
	return system(cmd) == 0 ? 0 : -1;
}

static int teardown_tmp(void **state)
{
	(void)state;
	unit_rmdir(tmp);
	tmp = NULL;
	return 0;
}

/* sheet_dir is a symlink or world-writable: refused, nothing written. */
static void test_print_unsafe_dir(void **state)
{
	(void)state;
	struct printing p;
	char real[4200], link[4200], open_dir[4200], sheet[4300];
	printing_start(&p, 1, NULL, NULL);
	snprintf(real, sizeof real, "%s/real", tmp);
	snprintf(link, sizeof link, "%s/linked", tmp);
	snprintf(open_dir, sizeof open_dir, "%s/open", tmp);
	assert_int_equal(mkdir(real, 0700), 0);
	assert_int_equal(symlink(real, link), 0);
	assert_int_equal(mkdir(open_dir, 0700), 0);
	assert_int_equal(chmod(open_dir, 0777), 0);
	print_opts(&p.po, NULL, link);
	assert_int_equal(printing_run(&p, 1), CB_EIO);
	assert_non_null(strstr(p.err.msg, "is a symbolic link"));
	print_opts(&p.po, NULL, open_dir);
	assert_int_equal(printing_run(&p, 1), CB_EIO);
	assert_non_null(strstr(p.err.msg, "chmod o-w"));
	snprintf(sheet, sizeof sheet, "%s/case-%llu.txt", real, (unsigned long long)p.ids[0]);
	assert_int_equal(access(sheet, F_OK), -1);
	snprintf(sheet, sizeof sheet, "%s/case-%llu.txt", open_dir, (unsigned long long)p.ids[0]);
	assert_int_equal(access(sheet, F_OK), -1);
	store_close(p.st);
	unlink(link);
	rmdir(real);
	rmdir(open_dir);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	setenv("TZ", "UTC", 1);
	const struct CMUnitTest tests[] = {
	    /* First: opening a store or building a sheet (its places) reads
	     * the config, and the config is read once per process. */
	    cmocka_unit_test_setup_teardown(test_config, setup_tmp, teardown_tmp),
	    cmocka_unit_test_setup_teardown(test_print_options, setup_tmp, teardown_tmp),
	    cmocka_unit_test(test_full_sheet),
	    cmocka_unit_test(test_redacted),
	    cmocka_unit_test(test_others_section),
	    cmocka_unit_test(test_restricted),
	    cmocka_unit_test(test_unidentified_and_minimal),
	    cmocka_unit_test(test_sanitised),
	    cmocka_unit_test(test_pages),
	    cmocka_unit_test(test_pdf),
	    cmocka_unit_test_setup_teardown(test_print_command, setup_tmp, teardown_tmp),
	    cmocka_unit_test_setup_teardown(test_print_fail, setup_tmp, teardown_tmp),
	    cmocka_unit_test_setup_teardown(test_print_hang, setup_tmp, teardown_tmp),
	    cmocka_unit_test_setup_teardown(test_print_save, setup_tmp, teardown_tmp),
	    cmocka_unit_test_setup_teardown(test_print_pdf, setup_tmp, teardown_tmp),
	    cmocka_unit_test_setup_teardown(test_print_unsafe_dir, setup_tmp, teardown_tmp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
