/*
 * Reading tickets from Linear: every issue that carries this repository's
 * marker (the attachments subtitled "pmsync <repo>", paged), and issues by
 * the ids pmsync chose or by references (ENG-12, a linear.app URL), a
 * hundred to a query. What a read returns is remembered for later writes
 * (each issue's labels, this repository's markers), and the label ids on
 * its tickets become the sorted names of pmsync's own labels. Also which
 * references are Linear's, and their reduction to a team key and a number.
 */
#include "util/compat.h"

#include "connectors/linear/linear_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/error.h"
#include "util/xalloc.h"

/*
 * Ids a lookup asks for at once: the most Linear's complexity limit allows,
 * 250 * 34.1 = 8,525 of 10,000 points (the unit tests compute it).
 */
#define IDS_PER_QUERY 250

static const char q_managed[] =
        "query ManagedAttachments($subtitle: String!, $after: String) { attachments(filter: "
        "{subtitle: {eq: $subtitle}}, first: 250, after: $after, includeArchived: true) { nodes "
        "{ " LINEAR_MARKER_FIELDS " issue { " LINEAR_ISSUE_FIELDS " } } "
        "pageInfo { hasNextPage endCursor } } }";
static const char q_by_ids[] =
        "query IssuesByIds($ids: [ID!]!, $first: Int!, $subtitle: String!) { issues(filter: "
        "{id: {in: $ids}}, first: $first, includeArchived: true) { nodes { " LINEAR_ISSUE_FIELDS
        " attachments(first: 10, filter: {subtitle: {eq: $subtitle}}, includeArchived: true) { "
        "nodes "
        "{ " LINEAR_MARKER_FIELDS " } } } } }";
/*
 * Tickets a row names: with this repository's markers and any other
 * pmsync's, since a ticket another repository manages is not for adopting.
 */
static const char q_by_refs[] =
        "query IssuesByRefs($or: [IssueFilter!]!, $first: Int!, $subtitle: String!) { "
        "issues(filter: {or: $or}, first: $first, includeArchived: true) { nodes "
        "{ " LINEAR_ISSUE_FIELDS " attachments(first: 10, filter: {or: [{subtitle: {eq: "
        "$subtitle}}, {subtitle: {startsWith: \"pmsync \"}}]}, includeArchived: true) { "
        "nodes { " LINEAR_MARKER_FIELDS " } } } } }";

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Takes what a read returned from index `from` of l (and, from listing, the
 * markers of ours it saw): remembers each issue's labels and markers, turns
 * the label ids linear_page_read() left in the fields into the sorted names
 * of pmsync's own labels, and keeps only those in the markers' `written`.
 */
int linear_take_read(struct linear_tracker *lt, struct tracker_tickets *l, size_t from,
                     struct linear_listing *listing)
{
	bool reloaded = false;
	size_t i, j;
	int error;

	for (i = from; i < l->nr; i++) {
		struct tracker_ticket *tk = &l->v[i];
		struct strlist names = {NULL, 0, 0};
		struct strlist *ids = &tk->fields.labels;

		linear_seen_set(lt, tk->id, ids);
		if (listing)
			linear_markers_forget(lt, tk->id, NULL);
		for (j = 0; j < ids->nr; j++) {
			const struct linear_label *lab = linear_label_by_id(lt, ids->v[j]);
			if (!lab && !reloaded) {
				reloaded = true;
				if ((error = linear_load_labels(lt)) < 0) {
					strlist_clear(&names);
					return error;
				}
				lab = linear_label_by_id(lt, ids->v[j]);
			}
			/* else a label of no team of ours, or archived: not pmsync's */
			if (lab && linear_label_owned(lt, lab->name))
				strlist_add(&names, lab->name);
		}
		if (names.nr > 1)
			qsort(names.v, names.nr, sizeof(*names.v), cmp_str);
		strlist_clear(ids);
		*ids = names;
		if (tk->has_marker && tk->marker.has_written)
			linear_keep_owned(lt, &tk->marker.written.labels);
	}
	for (i = 0; listing && i < listing->refs_nr; i++) {
		ALLOC_GROW(lt->markers, lt->markers_nr + 1, lt->markers_alloc);
		lt->markers[lt->markers_nr++] = listing->refs[i];
		memset(&listing->refs[i], 0, sizeof(listing->refs[i])); /* handed over */
	}
	if (listing)
		listing->refs_nr = 0;
	return 0;
}

static int read_page(struct linear_tracker *lt, struct linear_listing *l, struct linear_page *pg,
                     const char *op, const char *doc, json_t *vars, enum linear_page_kind kind)
{
	struct linear_reply r = LINEAR_REPLY_INIT;
	struct strbuf what = STRBUF_INIT;
	int error;

	strbuf_addf(&what, "linear: %s: response", op);
	if ((error = linear_gql(lt, &r, op, doc, vars, true, false)) >= 0) {
		struct pm_json_path root = PM_JSON_PATH_ROOT(what.buf, PM_ENET);
		struct pm_json_path dp = pm_json_member(&root, "data");
		error = linear_page_read(l, pg, kind, lt->subtitle, r.data, &dp);
	}
	linear_reply_release(&r);
	strbuf_release(&what);
	return error;
}

int linear_list_managed(struct tracker *t, struct tracker_tickets *out)
{
	struct linear_tracker *lt = linear_tracker_of(t);
	struct tracker_tickets found = {NULL, 0, 0};
	struct linear_listing l = LINEAR_LISTING_INIT(&found);
	char *after = NULL;
	size_t i;
	int pages, error;

	if ((error = linear_need_subtitle(lt)) < 0 || (error = linear_tracker_prepare(lt)) < 0)
		goto done;
	for (pages = 0;; pages++) {
		struct linear_page pg = {false, NULL};
		json_t *vars = json_object();

		if (pages == LINEAR_MAX_PAGES) {
			error = pm_error(PM_ENET, "linear: ManagedAttachments: more than %d pages",
			                 LINEAR_MAX_PAGES);
			goto done;
		}
		json_object_set_new(vars, "subtitle", json_string(lt->subtitle));
		json_object_set_new(vars, "after", pm_json_str(after));
		error = read_page(lt, &l, &pg, "ManagedAttachments", q_managed, vars,
		                  LINEAR_PAGE_ATTACHMENTS);
		if (error >= 0 && pg.has_next && after && !strcmp(after, pg.end_cursor))
			error = pm_error(PM_ENET, "linear: ManagedAttachments: the next page's "
			                          "cursor does not move on");
		free(after);
		after = error >= 0 && pg.has_next ? xstrdup(pg.end_cursor) : NULL;
		linear_page_release(&pg);
		if (error < 0)
			goto done;
		if (!after)
			break;
	}
	if ((error = linear_take_read(lt, &found, 0, &l)) < 0)
		goto done;
	for (i = 0; i < found.nr; i++) {
		*tracker_tickets_add(out) = found.v[i];
		memset(&found.v[i], 0, sizeof(found.v[i])); /* handed over */
		tracker_fields_init(&found.v[i].fields);
		tracker_fields_init(&found.v[i].marker.written);
	}
done:
	free(after);
	linear_listing_release(&l);
	tracker_tickets_release(&found);
	return error;
}

/* Runs an issues query in chunks; vars_for builds each chunk's variables. */
static int issues_query(struct linear_tracker *lt, struct tracker_tickets *out, const char *op,
                        const char *doc,
                        json_t *(*vars_for)(const void *items, size_t from, size_t n),
                        const void *items, size_t n)
{
	struct tracker_tickets found = {NULL, 0, 0};
	struct linear_listing l = LINEAR_LISTING_INIT(&found);
	size_t i;
	int error = 0;

	if (!n)
		return 0;
	if ((error = linear_need_subtitle(lt)) < 0 || (error = linear_tracker_prepare(lt)) < 0)
		return error;
	for (i = 0; i < n && error >= 0; i += IDS_PER_QUERY) {
		size_t k = n - i < IDS_PER_QUERY ? n - i : IDS_PER_QUERY;
		struct linear_page pg = {false, NULL};
		json_t *vars = vars_for(items, i, k);
		json_object_set_new(vars, "first", json_integer((json_int_t)k));
		json_object_set_new(vars, "subtitle", json_string(lt->subtitle));
		error = read_page(lt, &l, &pg, op, doc, vars, LINEAR_PAGE_ISSUES);
		linear_page_release(&pg);
	}
	if (error >= 0)
		error = linear_take_read(lt, &found, 0, &l);
	if (error >= 0) {
		for (i = 0; i < found.nr; i++) {
			*tracker_tickets_add(out) = found.v[i];
			memset(&found.v[i], 0, sizeof(found.v[i])); /* handed over */
			tracker_fields_init(&found.v[i].fields);
			tracker_fields_init(&found.v[i].marker.written);
		}
	}
	linear_listing_release(&l);
	tracker_tickets_release(&found);
	return error;
}

static json_t *ids_vars(const void *items, size_t from, size_t n)
{
	const char *const *ids = items;
	json_t *vars = json_object(), *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, pm_json_str(ids[from + i]));
	json_object_set_new(vars, "ids", a);
	return vars;
}

int linear_get_by_ids(struct tracker *t, struct tracker_tickets *out, const char *const *ids,
                      size_t n)
{
	const char **valid = xcalloc(n ? n : 1, sizeof(*valid));
	size_t i, k = 0;
	int error;

	for (i = 0; i < n; i++)
		if (ids[i] && *ids[i])
			valid[k++] = ids[i];
	error = issues_query(linear_tracker_of(t), out, "IssuesByIds", q_by_ids, ids_vars, valid,
	                     k);
	free(valid);
	return error;
}

int linear_find_pending(struct tracker *t, const struct tracker_create *c, size_t n,
                        struct tracker_tickets *out)
{
	struct tracker_tickets found = {0};
	const char **ids = xcalloc(n ? n : 1, sizeof(*ids));
	size_t i, k = 0;
	int error;

	for (i = 0; i < n; i++)
		if (c[i].id)
			ids[k++] = c[i].id;
	error = linear_get_by_ids(t, &found, ids, k);
	if (error >= 0)
		tracker_tickets_place(out, &found, c, n);
	tracker_tickets_release(&found);
	free(ids);
	return error;
}

struct ref_key {
	char *key;
	long number;
};

static json_t *refs_vars(const void *items, size_t from, size_t n)
{
	const struct ref_key *refs = items;
	json_t *vars = json_object(), * or = json_array();
	size_t i;

	for (i = 0; i < n; i++) {
		json_t *f = json_object(), *team = json_object(), *key = json_object(),
		       *num = json_object();
		json_object_set_new(key, "eq", pm_json_str(refs[from + i].key));
		json_object_set_new(team, "key", key);
		json_object_set_new(num, "eq", json_integer(refs[from + i].number));
		json_object_set_new(f, "team", team);
		json_object_set_new(f, "number", num);
		json_array_append_new(or, f);
	}
	json_object_set_new(vars, "or", or);
	return vars;
}

int linear_get_by_refs(struct tracker *t, struct tracker_tickets *out, const char *const *refs,
                       size_t n)
{
	struct ref_key *keys = xcalloc(n ? n : 1, sizeof(*keys));
	struct strbuf key = STRBUF_INIT;
	size_t i, j, k = 0;
	long number;
	int error;

	for (i = 0; i < n; i++) {
		bool dup = false;
		if (!linear_ref_parse(refs[i], &key, &number))
			continue;
		for (j = 0; j < k; j++)
			dup = dup || (keys[j].number == number && !strcmp(keys[j].key, key.buf));
		if (dup)
			continue;
		keys[k].key = xstrdup(key.buf);
		keys[k].number = number;
		k++;
	}
	error = issues_query(linear_tracker_of(t), out, "IssuesByRefs", q_by_refs, refs_vars, keys,
	                     k);
	for (i = 0; i < k; i++)
		free(keys[i].key);
	free(keys);
	strbuf_release(&key);
	return error;
}

bool linear_ref_parse(const char *ref, struct strbuf *key, long *number)
{
	const char *s = ref, *id, *dash, *p;
	size_t len;
	long n;

	if (!s)
		return false;
	while (isspace((unsigned char)*s))
		s++;
	if (!strncasecmp(s, "https://", 8) || !strncasecmp(s, "http://", 7)) {
		s = strstr(s, "://") + 3;
		if (strncasecmp(s, "linear.app/", 11))
			return false;
	}
	if (!strncasecmp(s, "linear.app/", 11)) {
		s = strchr(s + 11, '/'); /* after the workspace's urlKey */
		if (!s || strncmp(s, "/issue/", 7))
			return false;
		id = s + 7;
		len = strcspn(id, "/?# \t");
	} else {
		id = s;
		len = strlen(id);
		while (len && isspace((unsigned char)id[len - 1]))
			len--;
	}
	dash = memchr(id, '-', len);
	if (!dash || dash == id || !isalpha((unsigned char)id[0]) || dash + 1 == id + len)
		return false;
	for (p = id; p < dash; p++)
		if (!isalnum((unsigned char)*p) && *p != '_')
			return false;
	for (p = dash + 1, n = 0; p < id + len; p++) {
		if (!isdigit((unsigned char)*p) || n > 100000000L)
			return false;
		n = n * 10 + (*p - '0');
	}
	if (n <= 0)
		return false;
	strbuf_reset(key);
	for (p = id; p < dash; p++)
		strbuf_addch(key, toupper((unsigned char)*p));
	*number = n;
	return true;
}

static bool is_linear_url(const char *ref)
{
	while (*ref == ' ' || *ref == '\t')
		ref++;
	if (!strncasecmp(ref, "https://", 8))
		ref += 8;
	else if (!strncasecmp(ref, "http://", 7))
		ref += 7;
	return !strncasecmp(ref, "linear.app/", 11);
}

bool linear_owns_ref(struct tracker *t, const char *ref)
{
	struct linear_tracker *lt = linear_tracker_of(t);
	struct strbuf key = STRBUF_INIT;
	bool owns = false;
	long number;
	size_t i;

	if (!ref || !linear_ref_parse(ref, &key, &number))
		goto done;
	if (is_linear_url(ref)) {
		owns = true;
		goto done;
	}
	owns = lt->base.cfg->linear_team && !strcasecmp(key.buf, lt->base.cfg->linear_team);
	for (i = 0; i < lt->team_keys.nr && !owns; i++)
		owns = !strcasecmp(key.buf, lt->team_keys.v[i]);
done:
	strbuf_release(&key);
	return owns;
}
