/* test_header_alias.c — the column headers of Russian, Kazakh and English
 * office files map to casebook fields whatever their case, spacing,
 * punctuation or ё/е; unknown headers and internal fields are not found. */
#include "unit.h"

#include "header_alias.h"

/* Checks that header maps to field (NULL: not found). */
static void expect(const char *header, const char *field)
{
	const char *got = header_alias_find(header);

	if (!header)
		header = "(NULL)";

	if (field == NULL && got != NULL)
		fail_msg("\"%s\" gave %s, want not found", header, got);
	if (field != NULL && (got == NULL || strcmp(got, field) != 0))
		fail_msg("\"%s\" gave %s, want %s", header, got ? got : "not found", field);
}

static void test_office_headers(void **state)
{
	(void)state;
	/* Every header an office is expected to use, as it writes it. */
	static const char *const want[][2] = {
	    {"ФИО", "name"},
	    {"Ф.И.О.", "name"},
	    {"Фамилия Имя", "name"},
	    {"Фамилия Имя Отчество", "name"},
	    {"Фамилия Имя (Отчество)", "name"},
	    {"Фамилия, имя, отчество", "name"},
	    {"Имя", "name"},
	    {"Аты-жөні", "name"},
	    {"Full name", "name"},
	    {"Город", "city"},
	    {"Населённый пункт", "city"},
	    {"Населенный пункт", "city"},
	    {"Қала", "city"},
	    {"Елді мекен", "city"},
	    {"City", "city"},
	    {"Область", "region"},
	    {"Облыс", "region"},
	    {"Регион", "region"},
	    {"Дата", "date"},
	    {"Күні", "date"},
	    {"Мероприятие", "event"},
	    {"Акция", "event"},
	    {"Событие", "event"},
	    {"Іс-шара", "event"},
	    {"Меры", "measures"},
	    {"Мера воздействия", "measures"},
	    {"Шаралар", "measures"},
	    {"Травмы", "injuries"},
	    {"Телесные повреждения", "injuries"},
	    {"Жарақаттар", "injuries"},
	    {"Статус", "status"},
	    {"Адвокат", "lawyer"},
	    {"Защитник", "lawyer"},
	    {"Примечание", "notes"},
	    {"Примечания", "notes"},
	    {"Комментарий", "notes"},
	    {"Ескертпе", "notes"},
	    {"Источник", "sources"},
	    {"Источники", "sources"},
	    {"Дереккөз", "sources"},
	    {"Год рождения", "birth_year"},
	    {"Туған жылы", "birth_year"},
	    {"Пол", "sex"},
	    {"Жынысы", "sex"},
	    {"Принадлежность", "affiliation"},
	    {"Аффилиация", "affiliation"},
	    {"Дата заседания", "hearing"},
	    {"Следующее заседание", "hearing"},
	    {"Проверка", "verification"},
	    {"Верификация", "verification"},
	    {"Конфиденциальность", "confidentiality"},
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		expect(want[i][0], want[i][1]);
}

static void test_spelling_variants(void **state)
{
	(void)state;
	expect("фио", "name");
	expect("  Ф. И. О.  ", "name");
	expect("Ф.И.О", "name");
	expect("НАСЕЛЁННЫЙ ПУНКТ", "city");
	expect("населенный_пункт", "city");
	expect("Нас. пункт", "city");
	expect("Город / село", "city");
	expect("Дата:", "date");
	expect("«Травмы»", "injuries");
	expect("Мера воздействия*", "measures");
	expect("Жарақаттар", "injuries");
	/* Kazakh typed on a Russian layout. */
	expect("Кала", "city");
	expect("Жаракаттар", "injuries");
	expect("Ис-шара", "event");
	expect("Туган жылы", "birth_year");
	/* A decomposed й is the same letter after folding. */
	expect("Населе\xcc\x88нный пункт", "city");
	expect("FULL NAME", "name");
	expect("full-name", "name");
}

static void test_field_names_and_labels(void **state)
{
	(void)state;
	/* Every user-settable field by its name and its English label. */
	for (int f = 0; f < FIELD__COUNT; f++) {
		const struct field_def *d = &case_fields[f];
		expect(d->name, d->user_set ? d->name : NULL);
		expect(d->label, d->user_set ? d->name : NULL);
	}
	expect("Birth year", "birth_year");
	expect("name latin", "name_latin");
	expect("Next hearing", "hearing");
	expect("Other spellings", "aliases");
}

static void test_unknown_headers(void **state)
{
	(void)state;
	expect("Возраст", NULL);
	expect("Телефон", NULL);
	expect("Место", NULL);
	expect("ФИО;Город;Дата", NULL); /* a header read with the wrong delimiter */
	expect("Город2", NULL);
	expect("", NULL);
	expect("   ", NULL);
	expect("---", NULL);
	expect(NULL, NULL);
	expect("\xff\xfe", NULL);
	expect("updated_by", NULL);
	expect("Created", NULL);
}

/* Every entry of the built-in table, read from the source, finds its own
 * field: no entry is shadowed by an earlier one of another field. */
static void test_every_table_entry_finds_its_field(void **state)
{
	char line[512], field[64], header[256];
	int entries = 0;
	FILE *f = fopen("src/header_alias.c", "r");
	(void)state;

	if (!f)
		f = fopen("../src/header_alias.c", "r");
	if (!f)
		fail_msg("src/header_alias.c not found (run from the top of the tree)");
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "\t{ \"%63[^\"]\", \"%255[^\"]\" },", field, header) == 2) {
			assert_true(case_field_find(field) >= 0);
			expect(header, field);
			entries++;
		}
	fclose(f);
	assert_true(entries > 100);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_office_headers),
	    cmocka_unit_test(test_spelling_variants),
	    cmocka_unit_test(test_field_names_and_labels),
	    cmocka_unit_test(test_unknown_headers),
	    cmocka_unit_test(test_every_table_entry_finds_its_field),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
