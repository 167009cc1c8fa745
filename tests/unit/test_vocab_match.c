/* test_vocab_match.c — vocabulary terms typed as people type them. */
#include "unit.h"

#include "fold.h"
#include "vocab_match.h"

/* text must name the term key of v. */
static void check_term(const struct vocab *v, const char *text, const char *key)
{
	struct cb_err err = {0};
	int out = -1;

	if (vocab_match(v, text, &out, &err) != 0)
		fail_msg("\"%s\": %s", text, err.msg);
	assert_string_equal(vocab_key(v, out), key);
	out = -1;
	assert_int_equal(vocab_parse(v, text, &out, &err), 0);
	assert_string_equal(vocab_key(v, out), key);
}

/* text must be refused with a message starting with (or holding) msg. */
static void check_error(const struct vocab *v, const char *text, const char *msg)
{
	struct cb_err err = {0};
	int out = 77;

	assert_int_equal(vocab_match(v, text, &out, &err), CB_EINVAL);
	assert_int_equal(out, 77);
	if (!strstr(err.msg, msg))
		fail_msg("\"%s\": got \"%s\", want \"%s\"", text, err.msg, msg);
}

static void test_labels_three_languages(void **state)
{
	(void)state;
	/* English labels, Russian (glossary) and Kazakh (po/kk.po). */
	check_term(&vocab_measure, "administrative arrest", "admin_arrest");
	check_term(&vocab_measure, "административный арест", "admin_arrest");
	check_term(&vocab_measure, "әкімшілік қамаққа алу", "admin_arrest");
	check_term(&vocab_measure, "Административный штраф", "fine");
	check_term(&vocab_measure, "айыппұл", "fine");
	check_term(&vocab_measure, "отказ в проведении собрания", "refusal");
	check_term(&vocab_measure, "интернетті бұғаттау", "internet_block");
	check_term(&vocab_injury, "craniocerebral trauma, concussion", "head_trauma");
	check_term(&vocab_injury, "черепно-мозговая травма", "head_trauma");
	check_term(&vocab_injury, "бас сүйек-ми жарақаты", "head_trauma");
	check_term(&vocab_injury, "удушающий приём", "strangulation");
	check_term(&vocab_status, "ожидает суда", "awaiting_trial");
	check_term(&vocab_status, "сотты күтуде", "awaiting_trial");
	check_term(&vocab_verification, "расталған", "confirmed");
	check_term(&vocab_confidentiality, "служебный", "internal");
	check_term(&vocab_sex, "әйел", "f");
	check_term(&vocab_sex, "мужской", "m");
}

static void test_case_and_script(void **state)
{
	(void)state;
	check_term(&vocab_injury, "HEAD_TRAUMA", "head_trauma");
	check_term(&vocab_injury, "head trauma", "head_trauma");
	check_term(&vocab_injury, "ТРАВМА ГОЛОВЫ", "head_trauma");
	check_term(&vocab_injury, "  травма   головы ", "head_trauma");
	/* Kazakh letters typed on a Russian keyboard, ё as е. */
	check_term(&vocab_injury, "тұншықтыру", "strangulation");
	check_term(&vocab_injury, "туншыктыру", "strangulation");
	check_term(&vocab_measure, "акимшилик камакка алу", "admin_arrest");
	check_term(&vocab_injury, "удушающий прием", "strangulation");
	check_term(&vocab_injury, "кровоподтек", "bruise");
	check_term(&vocab_status, "ЖАБЫҚ", "closed");
}

static void test_synonyms(void **state)
{
	(void)state;
	check_term(&vocab_injury, "ЧМТ", "head_trauma");
	check_term(&vocab_injury, "сотрясение", "head_trauma");
	check_term(&vocab_injury, "ушиб", "bruise");
	check_term(&vocab_injury, "гематома", "bruise");
	check_term(&vocab_injury, "перцовый баллончик", "chemical");
	check_term(&vocab_injury, "слезоточивый газ", "chemical");
	check_term(&vocab_measure, "штраф", "fine");
	check_term(&vocab_measure, "задержан", "detention");
	check_term(&vocab_measure, "арест", "admin_arrest");
	check_term(&vocab_measure, "arrest", "admin_arrest");
	check_term(&vocab_sex, "ж", "f");
}

static void test_prefixes(void **state)
{
	(void)state;
	check_term(&vocab_injury, "head", "head_trauma");
	check_term(&vocab_injury, "Frac", "fracture");
	check_term(&vocab_injury, "перел", "fracture");
	check_term(&vocab_measure, "задерж", "detention");
	check_term(&vocab_measure, "survei", "surveillance");
	check_term(&vocab_status, "апелл", "appeal");
	/* An exact name wins over a longer one it starts: "арест" is a name
	 * of admin_arrest, not the start of another term. */
	check_term(&vocab_measure, "арест", "admin_arrest");
	/* One letter is not a prefix: "b" stays unknown, not bruise or burn. */
	check_error(&vocab_injury, "b", "unknown injury type \"b\"");
}

static void test_ambiguous(void **state)
{
	(void)state;
	check_error(&vocab_measure, "адм",
	    "ambiguous measure type \"адм\": could be admin_arrest (административный арест), "
	    "fine (административный штраф), admin_case (административное дело)");
	check_error(&vocab_injury, "травма",
	    "ambiguous injury type \"травма\": could be head_trauma (травма головы), "
	    "joint_injury (травма сустава)");
	check_error(&vocab_measure, "пр",
	    "could be admin_case (протокол), warning (предупреждение), preventive "
	    "(профилактическое");
}

static void test_near_misses(void **state)
{
	int idx[3];

	(void)state;
	/* A near miss is never accepted, but named first. */
	check_error(&vocab_injury, "bruse",
	    "unknown injury type \"bruse\"; did you mean bruise? (known: strangulation, bruise,");
	check_error(&vocab_injury, "bruses", "did you mean bruise?");
	check_error(&vocab_measure, "arest", "did you mean admin_arrest?");
	check_error(&vocab_measure, "штарф", "did you mean fine?");
	check_error(&vocab_injury, "ушибб", "did you mean bruise?");
	check_error(&vocab_status, "clsoed", "did you mean closed?");
	check_error(&vocab_verification, "confimed", "did you mean confirmed?");
	/* Nothing near: no guess, just the list. */
	check_error(&vocab_injury, "xyzzy", "unknown injury type \"xyzzy\" (known: strangulation,");
	check_error(&vocab_injury, "", "unknown injury type \"\" (known:");
	assert_int_equal(vocab_match_nearest(&vocab_injury, "xyzzy", idx, 3), 0);
	assert_int_equal(vocab_match_nearest(&vocab_injury, "burm", idx, 3), 1);
	assert_string_equal(vocab_key(&vocab_injury, idx[0]), "burn");
}

static void test_complete(void **state)
{
	int idx[16];

	(void)state;
	assert_int_equal(vocab_match_complete(&vocab_injury, "he", idx, 16), 1);
	assert_string_equal(vocab_key(&vocab_injury, idx[0]), "head_trauma");
	assert_int_equal(vocab_match_complete(&vocab_injury, "b", idx, 16), 2);
	assert_string_equal(vocab_key(&vocab_injury, idx[0]), "bruise");
	assert_string_equal(vocab_key(&vocab_injury, idx[1]), "burn");
	assert_int_equal(vocab_match_complete(&vocab_injury, "", idx, 16), vocab_injury.count);
	assert_int_equal(vocab_match_complete(&vocab_injury, "qqq", idx, 16), 0);
}

/* Every match name names its own term and no other of its vocabulary. */
static void test_names_unique(void **state)
{
	(void)state;
	for (size_t v = 0; v < sizeof unit_vocabs / sizeof unit_vocabs[0]; v++) {
		const struct vocab *voc = unit_vocabs[v];
		for (int i = 0; i < voc->count; i++) {
			const char *const *names = vocab_match_names(voc, i);
			check_term(voc, voc->terms[i].key, voc->terms[i].key);
			check_term(voc, voc->terms[i].label, voc->terms[i].key);
			assert_non_null(names[0]); /* every term has Russian and Kazakh names */
			for (int k = 0; names[k]; k++)
				check_term(voc, names[k], voc->terms[i].key);
		}
	}
}

/* Under the Kazakh catalog (po/kk.po, compiled here), errors give each key
 * with its Kazakh label, while matching still takes every language. */
static void test_errors_in_users_language(void **state)
{
	char dir[] = "/tmp/casebook-vocab-XXXXXX", cmd[512];
	struct cb_err err = {0};
	int out = -1;

	(void)state;
	if (!mkdtemp(dir))
		fail_msg("mkdtemp");
	snprintf(cmd, sizeof cmd,
	    "mkdir -p %s/kk/LC_MESSAGES && msgfmt -o %s/kk/LC_MESSAGES/casebook.mo po/kk.po", dir,
	    dir);
	if (system(cmd) != 0 || !setlocale(LC_ALL, "kk_KZ.UTF-8")) {
		snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
		(void)system(cmd);
		skip(); /* no msgfmt or no Kazakh locale: make deps installs both */
	}
	bindtextdomain("casebook", dir);
	textdomain("casebook");
	assert_int_equal(vocab_match(&vocab_injury, "ушибб", &out, &err), CB_EINVAL);
	assert_non_null(strstr(err.msg, "bruise (соғылу) деген болар?"));
	assert_non_null(strstr(err.msg, "head_trauma (бас сүйек-ми жарақаты"));
	check_term(&vocab_injury, "травма головы", "head_trauma");
	check_term(&vocab_injury, "head trauma", "head_trauma");
	check_term(&vocab_measure, "айыппұл", "fine");
	setlocale(LC_ALL, "C.UTF-8");
	textdomain("casebook-none");
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	(void)system(cmd);
}

/* Remembered matches stay per vocabulary: one word in two vocabularies
 * (Kazakh ашық is open and public) gives each its own term, every time;
 * a refused term stays refused. */
static void test_repeated(void **state)
{
	(void)state;
	for (int round = 0; round < 3; round++) {
		check_term(&vocab_status, "ашық", "open");
		check_term(&vocab_confidentiality, "ашық", "public");
		check_term(&vocab_measure, "другое", "other");
		check_term(&vocab_injury, "ушиб", "bruise");
		check_error(&vocab_injury, "штраф", "unknown injury type");
		check_error(&vocab_measure, "адм", "ambiguous");
	}
}

/* Type-ahead in the form's choosers: text fits a term when it starts a
 * word of one of its names, in any language and case; nothing else fits. */
static void test_fits(void **state)
{
	int in_court = 2, awaiting = 1, open = 0;

	(void)state;
	assert_string_equal(vocab_key(&vocab_status, in_court), "in_court");
	assert_true(vocab_match_fits(&vocab_status, in_court, "в"));
	assert_true(vocab_match_fits(&vocab_status, in_court, "В С"));
	assert_true(vocab_match_fits(&vocab_status, in_court, "court"));
	assert_true(vocab_match_fits(&vocab_status, in_court, "IN_CO"));
	assert_true(vocab_match_fits(&vocab_status, awaiting, "суд"));
	assert_true(vocab_match_fits(&vocab_status, in_court, "суд"));
	assert_true(vocab_match_fits(&vocab_status, in_court, "со")); /* сотта */
	assert_false(vocab_match_fits(&vocab_status, open, "в"));
	assert_false(vocab_match_fits(&vocab_status, in_court, "уде"));
	assert_false(vocab_match_fits(&vocab_status, in_court, ""));
	assert_false(vocab_match_fits(&vocab_status, 99, "в"));
	assert_true(vocab_match_fits(&vocab_sex, 0, "ж"));
	assert_true(vocab_match_fits(&vocab_measure, 1, "қамаққа")); /* admin_arrest */
	assert_true(vocab_match_fits(&vocab_measure, 1, "камакка")); /* look-alikes */
	assert_true(vocab_match_name_fits("not said", "sa"));
	assert_false(vocab_match_name_fits("not said", "ot"));
	assert_false(vocab_match_name_fits("yes", "щ"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_labels_three_languages),
	    cmocka_unit_test(test_case_and_script),
	    cmocka_unit_test(test_synonyms),
	    cmocka_unit_test(test_prefixes),
	    cmocka_unit_test(test_ambiguous),
	    cmocka_unit_test(test_near_misses),
	    cmocka_unit_test(test_complete),
	    cmocka_unit_test(test_names_unique),
	    cmocka_unit_test(test_repeated),
	    cmocka_unit_test(test_fits),
	    cmocka_unit_test(test_errors_in_users_language),
	};
	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
