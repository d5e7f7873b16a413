/*
 * The tracker seam's shared code: the constructors, comparisons and
 * destructors of the plain structs in tracker.h that every connector and the
 * sync engine use. The table of tracker kinds lives above the connectors, in
 * connectors/trackers.c.
 */
#include "util/compat.h"

#include "connectors/tracker.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/error.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

void tracker_free(struct tracker *t)
{
	if (t)
		t->ops->free(t);
}

const struct tracker_field_name tracker_field_names[TRACKER_FIELDS_NR] = {
        {TF_TITLE, "title"}, {TF_DESCRIPTION, "description"}, {TF_ASSIGNEE, "assignee"},
        {TF_DUE, "due"},     {TF_PRIORITY, "priority"},       {TF_LABELS, "labels"},
};

json_t *tracker_fields_json(const struct tracker_fields *f)
{
	json_t *o = json_object(), *labels = json_array();
	size_t i;

	json_object_set_new(o, "title", pm_json_str(f->title));
	json_object_set_new(o, "description", pm_json_str(f->description));
	json_object_set_new(o, "assigneeId", pm_json_str(f->assignee_id));
	json_object_set_new(o, "dueDate", pm_json_str(f->due));
	if (f->priority >= 0)
		json_object_set_new(o, "priority", json_integer(f->priority));
	for (i = 0; i < f->labels.nr; i++)
		json_array_append_new(labels, pm_json_str(f->labels.v[i]));
	json_object_set_new(o, "labels", labels);
	return o;
}

/* A string member (name, else the older name), absent or null -> NULL; false when of another type. */
static bool read_string(char **out, const json_t *o, const char *name, const char *older,
                        struct strbuf *where, const json_t **bad)
{
	const json_t *v = json_object_get(o, name);

	if (!v && older)
		v = json_object_get(o, name = older);
	*out = NULL;
	if (!v || json_is_null(v))
		return true;
	if (json_is_string(v)) {
		*out = xstrdup(json_string_value(v));
		return true;
	}
	strbuf_addstr(where, name);
	*bad = v;
	return false;
}

bool tracker_fields_from_json(struct tracker_fields *f, const json_t *o, struct strbuf *where,
                              const char **expected, const json_t **bad)
{
	const json_t *v, *labels;
	size_t i;

	tracker_fields_init(f);
	*bad = o;
	*expected = "object";
	if (!json_is_object(o))
		goto fail;
	*expected = "string or null";
	if (!read_string(&f->title, o, "title", NULL, where, bad) ||
	    !read_string(&f->description, o, "description", NULL, where, bad) ||
	    !read_string(&f->assignee_id, o, "assigneeId", "assignee_id", where, bad) ||
	    !read_string(&f->due, o, "dueDate", "due", where, bad))
		goto fail;
	v = json_object_get(o, "priority");
	if (v && !json_is_null(v)) {
		if (!json_is_integer(v) || json_integer_value(v) < -1 ||
		    json_integer_value(v) > 1000) {
			strbuf_addstr(where, "priority");
			*expected = "an integer from -1";
			*bad = v;
			goto fail;
		}
		f->priority = (int)json_integer_value(v);
	}
	labels = json_object_get(o, "labels");
	if (labels && !json_is_array(labels)) {
		strbuf_addstr(where, "labels");
		*expected = "array";
		*bad = labels;
		goto fail;
	}
	for (i = 0; i < json_array_size(labels); i++) {
		v = json_array_get(labels, i);
		if (!json_is_string(v)) {
			strbuf_addf(where, "labels[%zu]", i);
			*expected = "string";
			*bad = v;
			goto fail;
		}
		strlist_add(&f->labels, json_string_value(v));
	}
	*bad = NULL;
	return true;
fail:
	tracker_fields_release(f);
	return false;
}

void tracker_fields_init(struct tracker_fields *f)
{
	memset(f, 0, sizeof(*f));
	f->priority = -1;
}

void tracker_fields_release(struct tracker_fields *f)
{
	free(f->title);
	free(f->description);
	free(f->assignee_id);
	free(f->due);
	strlist_clear(&f->labels);
	tracker_fields_init(f);
}

void tracker_fields_copy(struct tracker_fields *dst, const struct tracker_fields *src)
{
	size_t i;

	tracker_fields_init(dst);
	dst->title = xstrdup_or_null(src->title);
	dst->description = xstrdup_or_null(src->description);
	dst->assignee_id = xstrdup_or_null(src->assignee_id);
	dst->due = xstrdup_or_null(src->due);
	dst->priority = src->priority;
	for (i = 0; i < src->labels.nr; i++)
		strlist_add(&dst->labels, src->labels.v[i]);
}

/* NULL and "" are the same value: trackers report an empty field either way. */
static bool same_string(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

static bool has_label(const struct strlist *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		if (!strcasecmp(l->v[i], name))
			return true;
	return false;
}

/* Label names compare as sets, ignoring case, as trackers match them. */
static bool same_labels(const struct strlist *a, const struct strlist *b)
{
	size_t i;

	for (i = 0; i < a->nr; i++)
		if (!has_label(b, a->v[i]))
			return false;
	for (i = 0; i < b->nr; i++)
		if (!has_label(a, b->v[i]))
			return false;
	return true;
}

/* Appends the letters, digits and non-ASCII bytes of s[0..n). */
static void add_words(struct strbuf *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c >= 0x80)
			strbuf_addch(out, (char)c);
	}
}

/* The end of a link "[text](dest)" starting at p (the '['), or NULL; text and dest out. */
static const char *link_at(const char *p, const char **text, size_t *text_len, const char **dest,
                           size_t *dest_len)
{
	const char *q = p + 1, *close;

	while (*q && *q != ']' && *q != '[') {
		if (*q == '\\' && q[1])
			q++;
		q++;
	}
	if (*q != ']' || q[1] != '(' || !(close = strchr(q + 2, ')')))
		return NULL;
	*text = p + 1;
	*text_len = (size_t)(q - p - 1);
	*dest = q + 2;
	*dest_len = (size_t)(close - q - 2);
	return close + 1;
}

void tracker_text_norm(struct strbuf *out, const char *s)
{
	while (s && *s) {
		const char *text, *dest, *end = NULL;
		size_t tn, dn;

		if (*s == '[' && (end = link_at(s, &text, &tn, &dest, &dn))) {
			struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
			add_words(&a, text, tn);
			add_words(&b, dest, dn);
			strbuf_addbuf(out, &a);
			/* [url](url), the form an autolink is written back in, counts once */
			if (strcmp(a.buf, b.buf))
				strbuf_addbuf(out, &b);
			strbuf_release(&a);
			strbuf_release(&b);
			s = end;
			continue;
		}
		add_words(out, s, 1);
		s++;
	}
}

/*
 * Descriptions compare as a tracker keeps them: as rich text, handed back as
 * Markdown serialised again (list markers, escapes, emphasis, link syntax,
 * blank lines and the last newline change on the way). Their words, digits
 * and link targets are what a round trip keeps.
 */
static bool same_text(const char *a, const char *b)
{
	struct strbuf x = STRBUF_INIT, y = STRBUF_INIT;
	bool same;

	tracker_text_norm(&x, a);
	tracker_text_norm(&y, b);
	same = !strcmp(x.buf, y.buf);
	strbuf_release(&x);
	strbuf_release(&y);
	return same;
}

unsigned tracker_fields_diff(const struct tracker_fields *a, const struct tracker_fields *b,
                             unsigned mask)
{
	unsigned diff = 0;

	if ((mask & TF_TITLE) && !same_string(a->title, b->title))
		diff |= TF_TITLE;
	if ((mask & TF_DESCRIPTION) && !same_string(a->description, b->description) &&
	    !same_text(a->description, b->description))
		diff |= TF_DESCRIPTION;
	if ((mask & TF_ASSIGNEE) && !same_string(a->assignee_id, b->assignee_id))
		diff |= TF_ASSIGNEE;
	if ((mask & TF_DUE) && !same_string(a->due, b->due))
		diff |= TF_DUE;
	/* -1 is "not set": it never differs */
	if ((mask & TF_PRIORITY) && a->priority >= 0 && b->priority >= 0 &&
	    a->priority != b->priority)
		diff |= TF_PRIORITY;
	if ((mask & TF_LABELS) && !same_labels(&a->labels, &b->labels))
		diff |= TF_LABELS;
	return diff;
}

void tracker_marker_release(struct tracker_marker *m)
{
	free(m->repo_id);
	free(m->item_key);
	free(m->pm_path);
	free(m->url);
	free(m->title);
	tracker_fields_release(&m->written);
	memset(m, 0, sizeof(*m));
	tracker_fields_init(&m->written);
}

void tracker_ticket_release(struct tracker_ticket *tk)
{
	free(tk->id);
	free(tk->ref);
	free(tk->url);
	tracker_fields_release(&tk->fields);
	free(tk->state_name);
	free(tk->created_at);
	free(tk->closed_at);
	free(tk->other_marker_key);
	free(tk->foreign_repo);
	tracker_marker_release(&tk->marker);
	memset(tk, 0, sizeof(*tk));
	tracker_fields_init(&tk->fields);
	tracker_fields_init(&tk->marker.written);
}

struct tracker_ticket *tracker_tickets_add(struct tracker_tickets *l)
{
	struct tracker_ticket *tk;

	ALLOC_GROW(l->v, l->nr + 1, l->alloc);
	tk = &l->v[l->nr++];
	memset(tk, 0, sizeof(*tk));
	tracker_fields_init(&tk->fields);
	tracker_fields_init(&tk->marker.written);
	return tk;
}

void tracker_tickets_release(struct tracker_tickets *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		tracker_ticket_release(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->nr = l->alloc = 0;
}

void tracker_tickets_place(struct tracker_tickets *out, struct tracker_tickets *found,
                           const struct tracker_create *c, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		struct tracker_ticket *tk = tracker_tickets_add(out);

		for (j = 0; c[i].id && j < found->nr; j++) {
			if (!found->v[j].id || strcmp(found->v[j].id, c[i].id))
				continue;
			*tk = found->v[j];
			memset(&found->v[j], 0, sizeof(found->v[j]));
			tracker_fields_init(&found->v[j].fields);
			tracker_fields_init(&found->v[j].marker.written);
			break;
		}
	}
}

void tracker_outcome_release(struct tracker_outcome *o)
{
	free(o->message);
	o->message = NULL;
	o->code = 0;
}

void tracker_outcome_set(struct tracker_outcome *o, int code, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	free(o->message);
	o->code = code;
	o->message = strbuf_detach(&sb, NULL);
}

void tracker_findings_add(struct tracker_findings *f, bool ok, const char *check, const char *fmt,
                          ...)
{
	struct tracker_finding *x;
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	ALLOC_GROW(f->v, f->nr + 1, f->alloc);
	x = &f->v[f->nr++];
	x->ok = ok;
	x->check = xstrdup(check);
	x->message = strbuf_detach(&sb, NULL);
}

void tracker_findings_release(struct tracker_findings *f)
{
	size_t i;

	for (i = 0; i < f->nr; i++) {
		free(f->v[i].check);
		free(f->v[i].message);
	}
	free(f->v);
	f->v = NULL;
	f->nr = f->alloc = 0;
}
