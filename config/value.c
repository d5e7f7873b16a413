/*
 * The values of `.pmsync.conf`, key by key: what each key takes (a path
 * relative to the repository root, an http(s) URL, a date, a team or
 * project key in capitals, one of a few words, a whole number) and where it
 * goes in struct config. A file that sets a multi-valued key replaces
 * that key's default list, and an empty value empties the list; an empty
 * value clears an optional string. Owner sections, [owner "<handle>"], map a
 * handle as postmortems write it to the tracker's users. A bad value is an
 * error naming file, line, key and what the key expects; secrets have been
 * refused before (config/key.c), so a value may be quoted here.
 */
#include "util/compat.h"

#include "config/value.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/config.h"
#include "config/entry.h"
#include "config/scan.h"
#include "util/isodate.h"
#include "util/xalloc.h"

static bool valid_url(const char *s)
{
	const char *p;

	if (strncmp(s, "https://", 8) && strncmp(s, "http://", 7))
		return false;
	if (!strchr(s, ':')[3])
		return false;
	for (p = s; *p; p++)
		if (config_scan_is_space((unsigned char)*p))
			return false;
	return true;
}

static bool valid_path(const char *s)
{
	const char *p = s;

	if (!*s || *s == '/')
		return false;
	while (*p) {
		size_t n = strcspn(p, "/");

		if (n == 2 && !strncmp(p, "..", 2))
			return false;
		p += n;
		while (*p == '/')
			p++;
	}
	return true;
}

static bool all_chars(const char *s, const char *set, bool first_letter)
{
	if (!*s || (first_letter && !(*s >= 'A' && *s <= 'Z')))
		return false;
	for (; *s; s++)
		if (!strchr(set, *s))
			return false;
	return true;
}

int config_parse_seconds(long *out, const char *v)
{
	static const struct {
		char unit;
		long mult;
	} units[] = {{'\0', 1}, {'s', 1}, {'m', 60}, {'h', 3600}};
	char *end = NULL;
	long n;

	if (!v || !(*v >= '0' && *v <= '9'))
		return -1;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
		if (end[0] != units[i].unit || (end[0] && end[1]))
			continue;
		if (n > LONG_MAX / units[i].mult / 1000) /* kept in milliseconds later */
			return -1;
		*out = n * units[i].mult;
		return 0;
	}
	return -1;
}

static int bad_value(const struct config_value_reader *r, const struct config_entry *e,
                     const char *key, const char *expected)
{
	return config_error(r->file, e->line, "bad value '%s' for '%s': expected %s", e->value, key,
	                    expected);
}

static void set_string(char **dst, const char *value)
{
	free(*dst);
	*dst = *value ? xstrdup(value) : NULL;
}

/* Records who chose a value that sends a token or writes a file (config.h). */
static void set_chosen(struct config *cfg, unsigned bit)
{
	if (cfg->file_trusted)
		cfg->chosen |= bit;
	else
		cfg->chosen &= ~bit;
}

static void add_to_list(struct config_value_reader *r, enum config_key id, struct strlist *l,
                        const char *value)
{
	if (!r->seen[id])
		strlist_clear(l);
	r->seen[id] = true;
	if (*value)
		strlist_add(l, value);
	else
		strlist_clear(l);
}

/* CONFIG_VALUE_CHOICE stores an enum through an int. */
_Static_assert(sizeof(enum pm_tracker_kind) == sizeof(int) &&
                       sizeof(enum pm_removed_policy) == sizeof(int),
               "configuration enums are stored as int");

/* The index of v in the NULL-terminated words, any case; -1 when absent. */
static int word_index(const char *const *words, const char *v)
{
	int i;

	for (i = 0; words[i]; i++)
		if (!strcasecmp(v, words[i]))
			return i;
	return -1;
}

/* git's booleans, false and true in turn; "" is false. */
static const char *const bool_words[] = {"false", "true", "no", "yes", "off",
                                         "on",    "0",    "1",  "",    NULL};

/* "name=value" with a name of words (any case), or of letters, digits and '_'. */
static bool valid_pair(const char *s, const char *const *words)
{
	const char *eq = strchr(s, '=');
	char *name;
	bool ok;
	const char *p;

	if (!eq || eq == s || !eq[1])
		return false;
	if (!words) {
		for (p = s; p < eq; p++)
			if (!isalnum((unsigned char)*p) && *p != '_')
				return false;
		return true;
	}
	name = xstrndup(s, (size_t)(eq - s));
	ok = word_index(words, name) >= 0;
	free(name);
	return ok;
}

/* Stores v in the string field str when it is a valid value of def's kind; false when not. */
static bool store_string(char **str, const struct config_key_def *def, const char *v)
{
	int w;

	switch (def->kind) {
	case CONFIG_VALUE_PATH: {
		size_t len = strlen(v);

		if (!valid_path(v))
			return false;
		while (len > 1 && v[len - 1] == '/')
			len--;
		free(*str);
		*str = xstrndup(v, len);
		return true;
	}
	case CONFIG_VALUE_URL_TEMPLATE:
		if (*v && (!valid_url(v) || !strstr(v, "{path}")))
			return false;
		break;
	case CONFIG_VALUE_URL:
		if (!valid_url(v))
			return false;
		break;
	case CONFIG_VALUE_DATE:
		if (*v && !isodate_valid(v))
			return false;
		break;
	case CONFIG_VALUE_WORD:
		if (*v && (w = word_index(def->allowed, v)) < 0)
			return false;
		set_string(str, *v ? ((const char *const *)def->allowed)[w] : "");
		return true;
	case CONFIG_VALUE_CODE:
	case CONFIG_VALUE_CODE_LETTER:
		if (!all_chars(v, def->allowed, def->kind == CONFIG_VALUE_CODE_LETTER))
			return false;
		break;
	case CONFIG_VALUE_NONEMPTY:
		if (!*v)
			return false;
		break;
	case CONFIG_VALUE_STRING:
		break;
	case CONFIG_VALUE_TEXT:
		free(*str);
		*str = xstrdup(v);
		return true;
	default:
		return false;
	}
	set_string(str, v);
	return true;
}

/* Stores v in the field of key id when it is a valid value for it; false when not. */
static bool store_value(struct config_value_reader *r, enum config_key id,
                        const struct config_key_def *def, const char *v)
{
	char *field = (char *)r->cfg + def->offset;
	char *end;
	long n;
	int w;

	switch (def->kind) {
	case CONFIG_VALUE_LIST:
		add_to_list(r, id, (struct strlist *)field, v);
		return true;
	case CONFIG_VALUE_PAIRS:
		if (*v && !valid_pair(v, def->allowed))
			return false;
		add_to_list(r, id, (struct strlist *)field, v);
		return true;
	case CONFIG_VALUE_CHOICE:
		if ((w = word_index(def->allowed, v)) < 0)
			return false;
		*(int *)field = w;
		return true;
	case CONFIG_VALUE_COUNT:
		errno = 0;
		n = strtol(v, &end, 10);
		if (!(*v >= '0' && *v <= '9') || *end || errno || n < 0)
			return false;
		*(long *)field = n;
		return true;
	case CONFIG_VALUE_SECONDS:
		return config_parse_seconds((long *)field, v) >= 0;
	case CONFIG_VALUE_BOOL:
		if ((w = word_index(bool_words, v)) < 0)
			return false;
		*(bool *)field = w % 2 == 1;
		return true;
	case CONFIG_VALUE_PATH:
	case CONFIG_VALUE_URL:
	case CONFIG_VALUE_URL_TEMPLATE:
	case CONFIG_VALUE_DATE:
	case CONFIG_VALUE_WORD:
	case CONFIG_VALUE_CODE:
	case CONFIG_VALUE_CODE_LETTER:
	case CONFIG_VALUE_NONEMPTY:
	case CONFIG_VALUE_STRING:
	case CONFIG_VALUE_TEXT:
		return store_string((char **)field, def, v);
	}
	return false;
}

static int apply_key(struct config_value_reader *r, const struct config_entry *e,
                     enum config_key id)
{
	const struct config_key_def *def = config_key_def(id);
	const char *v = e->value;

	if (!v && def->kind == CONFIG_VALUE_BOOL)
		v = "true"; /* git's grammar: a name alone is true */
	if (!v)
		return config_error(r->file, e->line, "'%s' needs a value: write '%s = ...'",
		                    def->name, strchr(def->name, '.') + 1);
	if (!store_value(r, id, def, v))
		return bad_value(r, e, def->name, def->expected);
	set_chosen(r->cfg, def->chosen);
	return 0;
}

static struct config_owner *owner_get(struct config *cfg, const char *handle, int line)
{
	struct config_owner *o;
	size_t i;

	for (i = 0; i < cfg->owners_nr; i++)
		if (!strcasecmp(cfg->owners[i].handle, handle))
			return &cfg->owners[i];
	ALLOC_GROW(cfg->owners, cfg->owners_nr + 1, cfg->owners_alloc);
	o = &cfg->owners[cfg->owners_nr++];
	memset(o, 0, sizeof(*o));
	o->handle = xstrdup(handle);
	o->line = line;
	return o;
}

/* owner.<handle>.<key>; name is libgit2's, so "owner." is lower case. */
static int apply_owner(struct config_value_reader *r, const struct config_entry *e)
{
	const char *sub = e->name + strlen("owner."), *key = strrchr(e->name, '.');
	char *handle = NULL;
	struct config_owner *o;
	enum config_key_owner field;
	int error = 0;

	if (key < sub) {
		error = config_error(r->file, e->line,
		                     "'%s' needs a handle: write [owner \"alice\"] and '%s = ...'",
		                     e->written, key + 1);
		goto done;
	}
	if (!config_key_owner_lookup(&field, key + 1)) {
		error = config_key_unknown_owner(r->file, e);
		goto done;
	}
	if (*sub == '@')
		sub++;
	handle = xstrndup(sub, (size_t)(key - sub));
	if (!*handle || strchr(handle, ' ')) {
		error = config_error(r->file, e->section_line ? e->section_line : e->line,
		                     "bad owner handle '%s': expected a handle such as \"alice\"",
		                     handle);
		goto done;
	}
	if (!e->value || !*e->value) {
		error = config_error(r->file, e->line, "'%s' needs a value", e->written);
		goto done;
	}
	if (field == CONFIG_KEY_OWNER_EMAIL &&
	    (!strchr(e->value, '@') || strpbrk(e->value, " \t"))) {
		error = config_error(r->file, e->line,
		                     "bad value '%s' for '%s': expected an email address", e->value,
		                     e->written);
		goto done;
	}
	o = owner_get(r->cfg, handle, e->section_line ? e->section_line : e->line);
	if (field == CONFIG_KEY_OWNER_EMAIL)
		set_string(&o->email, e->value);
	else if (field == CONFIG_KEY_OWNER_LINEAR)
		set_string(&o->linear, e->value);
	else
		set_string(&o->jira, e->value);
done:
	free(handle);
	return error;
}

void config_value_reader_init(struct config_value_reader *r, struct config *cfg, const char *file)
{
	memset(r, 0, sizeof(*r));
	r->file = file;
	r->cfg = cfg;
}

int config_value_apply(struct config_value_reader *r, const struct config_entry *e)
{
	enum config_key id;

	if (!strncmp(e->name, "owner.", 6))
		return apply_owner(r, e);
	if (config_key_lookup(&id, e->name))
		return apply_key(r, e, id);
	return config_key_unknown(r->file, e);
}
