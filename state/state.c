/*
 * The state file: a JSON cache of the tickets pmsync manages (item key ->
 * ticket id, reference, URL, postmortem path, and the fields pmsync last
 * wrote). It is read as untrusted input: every value is checked for its type
 * and a mismatch names its JSON path; a file that is not JSON names the line
 * and column. A corrupt file is an error that tells how to rebuild it, never
 * silently reset, since an empty state next to a tracker full of tickets is
 * how duplicate tickets are born. Writes go through util/lockfile: the lock
 * is held for the whole run, each save replaces the file atomically.
 */
#include "util/compat.h"

#include "state/state.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "util/error.h"
#include "util/json.h"
#include "util/lockfile.h"
#include "util/xalloc.h"

#define STATE_MAX_SIZE (64u << 20)
#define STATE_REBUILD_HINT "run 'pmsync sync --rebuild-state' to rebuild it from the tracker"

void state_init(struct state *st)
{
	memset(st, 0, sizeof(*st));
}

static void item_release(struct state_item *it)
{
	free(it->key);
	free(it->ticket_id);
	free(it->ref);
	free(it->url);
	free(it->path);
	tracker_fields_release(&it->written);
	memset(it, 0, sizeof(*it));
}

void state_clear_items(struct state *st)
{
	size_t i;

	for (i = 0; i < st->items_nr; i++)
		item_release(&st->items[i]);
	free(st->items);
	st->items = NULL;
	st->items_nr = st->items_alloc = 0;
}

void state_release(struct state *st)
{
	state_clear_items(st);
	free(st->file);
	free(st->display);
	free(st->tracker);
	free(st->repo);
	free(st->last_run);
	free(st->rev);
	free(st->note);
	lockfile_free(st->lock);
	memset(st, 0, sizeof(*st));
}

/* Index of key, or of where it would go (with *found false). */
static size_t find_pos(const struct state *st, const char *key, bool *found)
{
	size_t lo = 0, hi = st->items_nr;

	*found = false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(st->items[mid].key, key);
		if (!c) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct state_item *state_find(const struct state *st, const char *key)
{
	bool found;
	size_t pos = find_pos(st, key, &found);

	return found ? &st->items[pos] : NULL;
}

struct state_item *state_get(struct state *st, const char *key)
{
	bool found;
	size_t pos = find_pos(st, key, &found);
	struct state_item *it;

	if (found)
		return &st->items[pos];
	ALLOC_GROW(st->items, st->items_nr + 1, st->items_alloc);
	memmove(&st->items[pos + 1], &st->items[pos], (st->items_nr - pos) * sizeof(*st->items));
	st->items_nr++;
	it = &st->items[pos];
	memset(it, 0, sizeof(*it));
	it->key = xstrdup(key);
	tracker_fields_init(&it->written);
	return it;
}

static void set_str(char **dst, const char *src)
{
	char *copy = xstrdup_or_null(src);

	free(*dst);
	*dst = copy;
}

void state_item_set(struct state_item *it, const char *ticket_id, const char *ref, const char *url,
                    const char *path, const struct tracker_fields *written)
{
	set_str(&it->ticket_id, ticket_id);
	set_str(&it->ref, ref);
	set_str(&it->url, url);
	set_str(&it->path, path);
	if (written && written != &it->written) {
		struct tracker_fields copy;
		tracker_fields_copy(&copy, written);
		tracker_fields_release(&it->written);
		it->written = copy;
		it->has_written = true;
	} else if (!written) {
		tracker_fields_release(&it->written);
		tracker_fields_init(&it->written);
		it->has_written = false;
	}
}

void state_remove(struct state *st, const char *key)
{
	bool found;
	size_t pos = find_pos(st, key, &found);

	if (!found)
		return;
	item_release(&st->items[pos]);
	memmove(&st->items[pos], &st->items[pos + 1],
	        (st->items_nr - pos - 1) * sizeof(*st->items));
	st->items_nr--;
}

/* ---- reading ---- */

static int corrupt(const char *display, const char *path, const char *expected, const json_t *v)
{
	return pm_error(PM_ESTATE,
	                "'%s' is corrupt ('%s': expected %s, got %s): " STATE_REBUILD_HINT, display,
	                path, expected, pm_json_type_name(v));
}

/* Reads an optional string (absent or null -> NULL). */
static int get_opt_string(char **out, const json_t *obj, const char *name, const char *display,
                          const char *prefix)
{
	const json_t *v = json_object_get(obj, name);
	int error = 0;

	if (!v || json_is_null(v)) {
		*out = NULL;
		return 0;
	}
	if (!json_is_string(v)) {
		char *path = xasprintf("%s%s", prefix, name);
		error = corrupt(display, path, "string or null", v);
		free(path);
		return error;
	}
	*out = xstrdup(json_string_value(v));
	return 0;
}

static int get_string(char **out, const json_t *obj, const char *name, const char *display,
                      const char *prefix)
{
	const json_t *v = json_object_get(obj, name);
	char *path;
	int error;

	if (v && json_is_string(v)) {
		*out = xstrdup(json_string_value(v));
		return 0;
	}
	path = xasprintf("%s%s", prefix, name);
	error = corrupt(display, path, "string", v);
	free(path);
	return error;
}

static int parse_written(struct tracker_fields *out, const json_t *w, const char *display,
                         const char *prefix)
{
	struct strbuf path = STRBUF_INIT;
	const char *expected;
	const json_t *bad;
	int error = 0;

	if (!tracker_fields_from_json(out, w, &path, &expected, &bad)) {
		struct strbuf full = STRBUF_INIT;
		/* prefix ends in '.': the object itself is named without it */
		if (path.len)
			strbuf_addf(&full, "%s%s", prefix, path.buf);
		else
			strbuf_add(&full, prefix, strlen(prefix) - 1);
		error = corrupt(display, full.buf, expected, bad);
		strbuf_release(&full);
	}
	strbuf_release(&path);
	return error;
}

static int parse_item(struct state *st, const char *key, const json_t *obj, const char *display)
{
	struct state_item it;
	char *prefix = xasprintf("items.%s.", key);
	const json_t *w;
	int error = 0;

	memset(&it, 0, sizeof(it));
	tracker_fields_init(&it.written);
	if (!json_is_object(obj)) {
		char *path = xasprintf("items.%s", key);
		error = corrupt(display, path, "object", obj);
		free(path);
		goto done;
	}
	if (!*key) {
		error = pm_error(PM_ESTATE,
		                 "'%s' is corrupt ('items': empty key): " STATE_REBUILD_HINT,
		                 display);
		goto done;
	}
	if ((error = get_string(&it.ticket_id, obj, "ticket_id", display, prefix)) < 0 ||
	    (error = get_opt_string(&it.ref, obj, "ref", display, prefix)) < 0 ||
	    (error = get_opt_string(&it.url, obj, "url", display, prefix)) < 0 ||
	    (error = get_opt_string(&it.path, obj, "path", display, prefix)) < 0)
		goto done;
	w = json_object_get(obj, "written");
	if (w && !json_is_null(w)) {
		char *wprefix = xasprintf("%swritten.", prefix);
		error = parse_written(&it.written, w, display, wprefix);
		free(wprefix);
		if (error < 0)
			goto done;
		it.has_written = true;
	}
	{
		struct state_item *dst = state_get(st, key);
		free(dst->key);
		tracker_fields_release(&dst->written);
		it.key = xstrdup(key);
		*dst = it;
		memset(&it, 0, sizeof(it)); /* handed over */
	}
done:
	item_release(&it);
	free(prefix);
	return error;
}

int state_parse(struct state *out, const char *buf, size_t len, const char *display)
{
	struct state st = STATE_INIT;
	json_error_t jerr;
	json_t *root = NULL;
	const json_t *v, *items, *obj;
	const char *key;
	int error = 0;

	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		error = pm_error(PM_ESTATE,
		                 "'%s' is corrupt (line %d, column %d: %s): " STATE_REBUILD_HINT,
		                 display, jerr.line, jerr.column, jerr.text);
		goto done;
	}
	if (!json_is_object(root)) {
		error = corrupt(display, "(top)", "object", root);
		goto done;
	}
	v = json_object_get(root, "version");
	if (!v || !json_is_integer(v)) {
		error = corrupt(display, "version", "integer", v);
		goto done;
	}
	if (json_integer_value(v) != PM_STATE_VERSION) {
		error = pm_error(PM_ESTATE,
		                 "'%s' has version %" JSON_INTEGER_FORMAT
		                 ", this pmsync reads version %d: " STATE_REBUILD_HINT,
		                 display, json_integer_value(v), PM_STATE_VERSION);
		goto done;
	}
	if ((error = get_opt_string(&st.tracker, root, "tracker", display, "")) < 0 ||
	    (error = get_opt_string(&st.repo, root, "repo", display, "")) < 0 ||
	    (error = get_opt_string(&st.last_run, root, "last_run", display, "")) < 0 ||
	    (error = get_opt_string(&st.rev, root, "rev", display, "")) < 0)
		goto done;
	v = json_object_get(root, "settled");
	if (v && !json_is_boolean(v)) {
		error = corrupt(display, "settled", "boolean", v);
		goto done;
	}
	st.settled = json_is_true(v);
	items = json_object_get(root, "items");
	if (items && !json_is_null(items)) {
		if (!json_is_object(items)) {
			error = corrupt(display, "items", "object", items);
			goto done;
		}
		json_object_foreach((json_t *)items, key, obj)
		{
			error = parse_item(&st, key, obj, display);
			if (error < 0)
				goto done;
		}
	}
	st.display = xstrdup(display);
	state_release(out);
	*out = st;
	memset(&st, 0, sizeof(st)); /* handed over */
done:
	json_decref(root);
	state_release(&st);
	return error;
}

static int read_file(struct state *st, const char *file, const char *display)
{
	struct strbuf sb = STRBUF_INIT;
	struct stat sbuf;
	int error = 0;

	if (stat(file, &sbuf) < 0 && errno == ENOENT)
		goto done; /* a missing file is an empty state */
	if (sbuf.st_size > (off_t)STATE_MAX_SIZE) {
		error = pm_error(PM_ESTATE,
		                 "'%s' is corrupt (larger than %u MiB): " STATE_REBUILD_HINT,
		                 display, STATE_MAX_SIZE >> 20);
		goto done;
	}
	error = strbuf_read_file(&sb, file, STATE_MAX_SIZE);
	if (error < 0)
		goto done;
	error = state_parse(st, sb.buf, sb.len, display);
done:
	strbuf_release(&sb);
	return error;
}

int state_open(struct state *out, const char *root, const char *file, unsigned flags)
{
	struct state st = STATE_INIT;
	struct lockfile *lock = NULL;
	char *note = NULL, *path = NULL;
	int error = 0;

	if (file[0] == '/' || !root || !*root)
		path = xstrdup(file);
	else
		path = xasprintf("%s%s%s", root, root[strlen(root) - 1] == '/' ? "" : "/", file);
	if (flags & PM_STATE_LOCK) {
		error = lockfile_take(&lock, path, file, &note);
		if (error < 0)
			goto done;
	}
	if (!(flags & PM_STATE_REBUILD)) {
		error = read_file(&st, path, file);
		if (error < 0)
			goto done;
	}
	free(st.display);
	st.display = xstrdup(file);
	st.file = path;
	path = NULL; /* handed over */
	st.lock = lock;
	lock = NULL; /* handed over: held until state_release() */
	st.note = note;
	note = NULL; /* handed over */
	state_release(out);
	*out = st;
	memset(&st, 0, sizeof(st)); /* handed over */
done:
	state_release(&st);
	lockfile_free(lock);
	free(note);
	free(path);
	return error;
}

/* ---- writing ---- */

static json_t *json_str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static int dump_to_strbuf(const char *buf, size_t size, void *data)
{
	strbuf_add(data, buf, size);
	return 0;
}

void state_format(struct strbuf *out, const struct state *st)
{
	json_t *root = json_object();
	json_t *items = json_object();
	size_t i;

	json_object_set_new(root, "version", json_integer(PM_STATE_VERSION));
	json_object_set_new(root, "tracker", json_str_or_null(st->tracker));
	json_object_set_new(root, "repo", json_str_or_null(st->repo));
	json_object_set_new(root, "last_run", json_str_or_null(st->last_run));
	json_object_set_new(root, "rev", json_str_or_null(st->rev));
	json_object_set_new(root, "settled", json_boolean(st->settled));
	for (i = 0; i < st->items_nr; i++) {
		const struct state_item *it = &st->items[i];
		json_t *o = json_object();
		json_object_set_new(o, "ticket_id",
		                    json_string(it->ticket_id ? it->ticket_id : ""));
		json_object_set_new(o, "ref", json_str_or_null(it->ref));
		json_object_set_new(o, "url", json_str_or_null(it->url));
		json_object_set_new(o, "path", json_str_or_null(it->path));
		if (it->has_written)
			json_object_set_new(o, "written", tracker_fields_json(&it->written));
		json_object_set_new(items, it->key, o);
	}
	json_object_set_new(root, "items", items);
	/* Fails only when out of memory, and strbuf dies then. */
	(void)json_dump_callback(root, dump_to_strbuf, out, JSON_INDENT(2) | JSON_SORT_KEYS);
	strbuf_addch(out, '\n');
	json_decref(root);
}

static char *now_iso(void)
{
	char buf[32];
	struct tm tm;
	time_t now = time(NULL);

	if (!gmtime_r(&now, &tm) || !strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm))
		return xstrdup("1970-01-01T00:00:00Z");
	return xstrdup(buf);
}

int state_save(struct state *st)
{
	struct strbuf sb = STRBUF_INIT;
	struct lockfile *own = NULL;
	int error = 0;

	if (!st->file)
		return pm_error(PM_ERROR, "the state has no file to be saved to");
	free(st->last_run);
	st->last_run = now_iso();
	state_format(&sb, st);
	if (!st->lock) {
		error = lockfile_take(&own, st->file, st->display ? st->display : st->file, NULL);
		if (error < 0)
			goto done;
	}
	error = lockfile_commit(st->lock ? st->lock : own, sb.buf, sb.len);
done:
	lockfile_free(own);
	strbuf_release(&sb);
	return error;
}
