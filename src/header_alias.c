/* header_alias.c — built-in column header aliases. One table of {field,
 * header as offices write it}; a header is looked up by comparing matching
 * keys (folded, letters and digits only, ё as е, Kazakh letters as their
 * Russian look-alikes), computed for the table on each call: a file has a
 * few dozen headers and the table a few hundred entries. */
#include "header_alias.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>

#include "case.h"
#include "fold.h"
#include "text.h"
#include "util.h"

struct alias {
	const char *field;
	const char *header;
};

/* Grouped by field, in case_fields order. Spellings that differ only in
 * case, spaces, punctuation, ё/е or Kazakh letters need no entry of their
 * own. A header that could mean two fields ("Шара": measure or event in
 * Kazakh; "Место": of the event or of detention) is left out on purpose. */
static const struct alias aliases[] = {
    {"name", "ФИО"},
    {"name", "Фамилия Имя Отчество"},
    {"name", "Фамилия, имя"},
    {"name", "Фамилия и имя"},
    {"name", "Имя Фамилия"},
    {"name", "Имя и фамилия"},
    {"name", "Фамилия"},
    {"name", "Имя"},
    {"name", "Аты-жөні"},
    {"name", "Тегі, аты"},
    {"name", "Тегі, аты, әкесінің аты"},
    {"name", "Full name"},
    {"name", "Surname"},
    {"name", "Person"},
    {"name_latin", "ФИО латиницей"},
    {"name_latin", "ФИО (латиница)"},
    {"name_latin", "Латиница"},
    {"name_latin", "Транслитерация"},
    {"name_latin", "Аты-жөні латынша"},
    {"name_latin", "Латынша"},
    {"name_latin", "Latin name"},
    {"name_latin", "Name in Latin"},
    {"aliases", "Другие написания"},
    {"aliases", "Варианты написания"},
    {"aliases", "Псевдоним"},
    {"aliases", "Псевдонимы"},
    {"aliases", "Басқа жазылуы"},
    {"aliases", "Aliases"},
    {"sex", "Пол"},
    {"sex", "Жынысы"},
    {"sex", "Жыныс"},
    {"sex", "Gender"},
    {"birth_year", "Год рождения"},
    {"birth_year", "Г.р."},
    {"birth_year", "Туған жылы"},
    {"birth_year", "Туылған жылы"},
    {"birth_year", "Born"},
    {"affiliation", "Принадлежность"},
    {"affiliation", "Аффилиация"},
    {"affiliation", "Организация"},
    {"affiliation", "Движение"},
    {"affiliation", "Партия"},
    {"affiliation", "Тиесілігі"},
    {"affiliation", "Ұйым"},
    {"event", "Мероприятие"},
    {"event", "Акция"},
    {"event", "Событие"},
    {"event", "Акция/мероприятие"},
    {"event", "Митинг"},
    {"event", "Іс-шара"},
    {"event", "Оқиға"},
    {"event", "Protest"},
    {"date", "Дата"},
    {"date", "Дата события"},
    {"date", "Дата акции"},
    {"date", "Дата мероприятия"},
    {"date", "Күні"},
    {"date", "Оқиға күні"},
    /* The day the person was detained is the day the case is about. */
    {"date", "Дата задержания"},
    {"date", "Ұсталған күні"},
    {"date", "Event date"},
    {"region", "Область"},
    {"region", "Облыс"},
    {"region", "Регион"},
    {"region", "Аймақ"},
    {"region", "Өңір"},
    {"region", "Oblast"},
    {"city", "Город"},
    {"city", "Населённый пункт"},
    {"city", "Нас. пункт"},
    {"city", "Город/село"},
    {"city", "Қала"},
    {"city", "Елді мекен"},
    {"city", "Town"},
    {"city", "Locality"},
    {"city", "Settlement"},
    {"measures", "Меры"},
    {"measures", "Мера"},
    {"measures", "Мера воздействия"},
    {"measures", "Меры воздействия"},
    {"measures", "Меры преследования"},
    {"measures", "Вид преследования"},
    {"measures", "Шаралар"},
    {"measures", "Ықпал ету шаралары"},
    {"measures", "Measure"},
    {"injuries", "Травмы"},
    {"injuries", "Травма"},
    {"injuries", "Телесные повреждения"},
    {"injuries", "Повреждения"},
    {"injuries", "Жарақаттар"},
    {"injuries", "Жарақат"},
    {"injuries", "Дене жарақаттары"},
    {"injuries", "Injury"},
    {"status", "Статус"},
    {"status", "Статус дела"},
    {"status", "Стадия"},
    {"status", "Мәртебе"},
    {"status", "Мәртебесі"},
    {"status", "Іс мәртебесі"},
    {"status", "Case status"},
    {"verification", "Проверка"},
    {"verification", "Верификация"},
    {"verification", "Достоверность"},
    {"verification", "Подтверждение"},
    {"verification", "Тексеру"},
    {"verification", "Растау"},
    {"verification", "Verified"},
    {"lawyer", "Адвокат"},
    {"lawyer", "Защитник"},
    {"lawyer", "Юрист"},
    {"lawyer", "Қорғаушы"},
    {"lawyer", "Counsel"},
    {"hearing", "Дата заседания"},
    {"hearing", "Следующее заседание"},
    {"hearing", "Заседание"},
    {"hearing", "Судебное заседание"},
    {"hearing", "Дата суда"},
    {"hearing", "Сот отырысы"},
    {"hearing", "Келесі сот отырысы"},
    {"hearing", "Court date"},
    {"confidentiality", "Конфиденциальность"},
    {"confidentiality", "Гриф"},
    {"confidentiality", "Доступ"},
    {"confidentiality", "Құпиялылық"},
    {"confidentiality", "Access"},
    {"sources", "Источник"},
    {"sources", "Источники"},
    {"sources", "Ссылка"},
    {"sources", "Ссылки"},
    {"sources", "Дереккөз"},
    {"sources", "Дереккөздер"},
    {"sources", "Source"},
    {"sources", "Link"},
    {"sources", "Links"},
    {"notes", "Примечание"},
    {"notes", "Примечания"},
    {"notes", "Комментарий"},
    {"notes", "Комментарии"},
    {"notes", "Заметки"},
    {"notes", "Описание"},
    {"notes", "Ескертпе"},
    {"notes", "Ескертпелер"},
    {"notes", "Түсініктеме"},
    {"notes", "Note"},
    {"notes", "Comment"},
    {"notes", "Comments"},
    {"notes", "Description"},
};

/* The Russian letter a Kazakh letter is typed as without a Kazakh layout
 * (after case folding, so lower case only); ё as е. */
static uint32_t plain_letter(uint32_t c)
{
	switch (c) {
	case 0x0451:
		return 0x0435; /* ё -> е */
	case 0x04d9:
		return 0x0430; /* ә -> а */
	case 0x0493:
		return 0x0433; /* ғ -> г */
	case 0x049b:
		return 0x043a; /* қ -> к */
	case 0x04a3:
		return 0x043d; /* ң -> н */
	case 0x04e9:
		return 0x043e; /* ө -> о */
	case 0x04b1:
		return 0x0443; /* ұ -> у */
	case 0x04af:
		return 0x0443; /* ү -> у */
	case 0x04bb:
		return 0x0445; /* һ -> х */
	case 0x0456:
		return 0x0438; /* і -> и */
	}
	return c;
}

/* The matching key of a header: folded, letters and digits only. */
static char *alias_key(const char *s)
{
	char *f = fold_text(s);
	size_t n = strlen(f);
	struct buf b = {0};

	for (size_t i = 0; i < n;) {
		uint32_t cp;
		i += text_decode(f + i, n - i, &cp);
		cp = plain_letter(cp);
		if (cp != TEXT_REPLACEMENT && u_isalnum((UChar32)cp))
			text_put_char(&b, cp);
	}
	free(f);
	return buf_steal(&b);
}

/* Whether header (already a key) matches text. */
static int key_is(const char *key, const char *text)
{
	char *k = alias_key(text);
	int same = strcmp(key, k) == 0;

	free(k);
	return same;
}

/* Looks a header up; see header_alias.h. */
const char *header_alias_find(const char *header)
{
	const char *found = NULL;
	char *key;

	if (str_empty(header))
		return NULL;
	key = alias_key(header);
	if (key[0] == '\0') {
		free(key);
		return NULL;
	}
	for (size_t i = 0; i < sizeof aliases / sizeof aliases[0] && !found; i++)
		if (key_is(key, aliases[i].header))
			found = aliases[i].field;
	for (int f = 0; f < FIELD__COUNT && !found; f++) {
		const struct field_def *d = &case_fields[f];
		if (d->user_set &&
		    (key_is(key, d->name) || key_is(key, d->label) || key_is(key, _(d->label))))
			found = d->name;
	}
	free(key);
	return found;
}
