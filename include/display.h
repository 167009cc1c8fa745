/* display.h — case values as a person reads them in the interface
 * language, for the command line's human output (show, the list table,
 * persons, the bulletin): vocabulary terms by their translated label,
 * places by their gazetteer name, dates in the local form. In English the
 * keys are kept: they are English words already, and the syntax edit and
 * import read. Every form made here reads back through case_set_field in
 * the same language (vocabulary labels, part labels, local dates), so a
 * value copied from `casebook show` into `casebook edit` keeps its meaning.
 * Machine output (--json, CSV, export) never comes through here. */
#ifndef CASEBOOK_DISPLAY_H
#define CASEBOOK_DISPLAY_H

#include <stdbool.h>
#include <stddef.h>

#include "case.h"
#include "gazetteer.h"

/* The language of the messages in use, from the catalog's own header
 * ("Language: ru"): GAZETTEER_RU, GAZETTEER_KK, else GAZETTEER_EN. */
enum gazetteer_lang display_messages_lang(void);

/* True when messages are Russian or Kazakh: values are then shown by
 * their labels rather than their keys. */
bool display_translated(void);

/* The language places are named in: the `place_names` setting, else the
 * language of the messages. */
enum gazetteer_lang display_place_lang(void);

/* A city as a person reads it: the gazetteer's name in
 * display_place_lang() of the one place it names (the region telling
 * apart places that share a name), else the text as written. In English a
 * value written in Latin letters stays as written (the staff's spelling,
 * "Uralsk"). Never NULL; malloc'd, not sanitised. */
char *display_city(const char *city, const char *region);

/* A region as a person reads it, in the same way. malloc'd. */
char *display_region(const char *region);

/* A city or region for the terminal UI: as display_city/display_region
 * in Russian and Kazakh, as written in English, where the filter pane's
 * facets name places in Russian (place.h) and the list keeps the staff's
 * spelling beside them. malloc'd, not sanitised. */
char *display_city_ui(const char *city, const char *region);
char *display_region_ui(const char *region);

/* A city as a case sheet prints it: display_city's name followed, when
 * the case records another spelling, by that spelling, which a sheet as a
 * legal record must keep ("Уральск (в деле: Uralsk)"); the name alone
 * when they are the same. Sanitised for print; malloc'd. */
char *display_city_recorded(const char *city, const char *region);

/* A region as a case sheet prints it, in the same way. malloc'd. */
char *display_region_recorded(const char *region);

/* The label of field f in the interface language ("Пол"); in English
 * its key ("sex"), as show has always printed it. */
const char *display_field_name(int f);

/* The value of field f of c as show prints it: vocabulary terms by
 * label, dates in the local form, measures and injuries with translated
 * type and part names (`административный арест:сутки=15:дата=26.04.2021`,
 * items joined by " | "), city and region through the gazetteer; in
 * English the field syntax with local dates. "" when empty. malloc'd. */
char *display_field(const struct case_record *c, int f);

/* The short form of a case's measures or injuries for a table cell:
 * "administrative arrest 15 d, fine" by label (keys in English). */
char *display_items_short(const struct case_record *c, int field);

/* A value of the index named index (a facet value: "admin_arrest") by
 * its label in Russian or Kazakh; value itself in English, for indexes
 * without a vocabulary and for keys the vocabulary lacks. */
const char *display_term(const char *index, const char *value);

/* A coded value as a change in the history stores it (a vocabulary key,
 * an ISO date, an exam answer) as show prints it: key names its field or
 * part ("status", "hearing", "type", "exam"), items the field (measures
 * or injuries) whose item it belongs to. value itself in English or when
 * not known, else buf (len bytes) filled or a label. */
const char *display_coded(const char *key, const char *value, int items, char *buf, size_t len);

/* The name of a part ("date") of an item of field items (measures or
 * injuries) as show prints it; part itself in English or when unknown. */
const char *display_part_name(int items, const char *part);

#endif
