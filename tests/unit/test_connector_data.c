/*
 * Connector tests as data, in the manner of curl's tests/data: each file of
 * tests/data/<connector>/ is one case, read by this runner over the HTTP
 * seam (the fake transport): the configuration, the calls to make with
 * their inputs, the requests expected in order with the parts of each that
 * matter, the answers served, and what each call must give back. A request
 * sent and not expected, one expected and not sent, a part that differs or
 * a result that differs fails the case with its file name. One directive a
 * line, '#' starts a comment; tests/data/README has a paragraph on each.
 *
 *   tracker linear                 the connector (linear, jira)
 *   team ENG | project OPS         linear.team | jira.project
 *   endpoint URL                   linear.url or jira.url, as committed
 *   chosen-endpoint URL            the same, chosen by the person running
 *   deployment cloud               jira.deployment
 *   removed cancel                 sync.removed
 *   owner HANDLE EMAIL|- LINE      an [owner] section
 *   env NAME VALUE | unset NAME    the environment (\n, \t, \\ in VALUE)
 *   dry-run                        opened in dry-run mode
 *   include FILE                   the lines of FILE (beside the case)
 *
 *   request NAME [xN]              the next request (N alike), by name: the
 *                                  GraphQL operation, or "METHOD /path"
 *                                  (REST: the path below the site, query
 *                                  included)
 *   var PATH VALUE                 a variable (a.b[0].c): a string as is,
 *                                  anything else as JSON
 *   novar PATH                     a variable absent
 *   doc TEXT | nodoc TEXT          the document holds TEXT, or does not
 *   doc-order A < B                A before B in the document
 *   body TEXT | nobody TEXT        the body as sent holds TEXT, or does not
 *   json PATH VALUE                a member of a JSON body (REST)
 *   header NAME VALUE              a request header
 *   method M | at URL              the method, the URL
 *   idempotent true|false          may be sent twice
 *
 *   answer-header NAME: VALUE      a header of the next answer
 *   answer STATUS [xN]             an answer, body up to "end" (N alike)
 *   filler STATUS BYTES            an answer of BYTES spaces
 *   fail KIND MESSAGE              no answer: connect, timeout, recv, tls
 *
 *   call OP [ARG]                  open (tracker_open itself, first),
 *                                  prepare, list_managed, get_by_ids,
 *                                  get_by_refs, resolve_users, owns_ref,
 *                                  create, find_pending, update,
 *                                  set_markers, cancel, doctor
 *   arg VALUE | arg-null           an argument (ids, refs, emails)
 *   element ID                     an element of a batch (NULL: none),
 *   title, description, assignee,  with its fields,
 *   due, priority, label,
 *   mask FIELD,...|all             the fields an update writes,
 *   marker KEY PATH                its marker,
 *   written JSON                   what the marker says pmsync wrote,
 *   copies N                       N elements alike, %d their index
 *
 *   result CODE                    the call's code (0 unless said)
 *   message TEXT | message-is TEXT the recorded message holds or is TEXT
 *   status N | detail TEXT         the recorded HTTP status, the service's words
 *   outcome I|* CODE [TEXT]        element I's outcome; TEXT in its message
 *   count N                        tickets given back
 *   ticket I FIELD VALUE           a field of ticket I (NULL: none)
 *   user I VALUE                   resolve_users: the id of argument I
 *   findings N                     doctor: the number of findings
 *   finding ok|fail CHECK [-- TEXT] a finding and its message
 *   slept I MS                     the Ith wait of the retries
 *   log TEXT | sent N              the verbose log; requests counted
 *
 * After each call and at the end of a case, no test token (Linear's,
 * Jira's API token and PAT, the Basic value) may show in the message, an
 * outcome's message or the log.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "config/config.h"
#include "connectors/http.h"
#include "connectors/jira/jira.h"
#include "connectors/linear/linear.h"
#include "connectors/tracker.h"
#include "tests/unit/fake_transport.h"
#include "util/compat.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define DATA_DIR "tests/data"
#define NOW 1700000000000LL

struct expect {
	char *name;
	long times;
	int line;
	struct strlist checks; /* the directive lines about it */
};

struct element {
	char *id;
	struct tracker_fields fields;
	unsigned mask;
	bool has_marker;
	struct tracker_marker marker;
};

struct step {
	char *call;
	int line;
	char **args;
	size_t args_nr, args_alloc;
	struct element *el;
	size_t el_nr, el_alloc;
	struct strlist checks;
	int result;
};

struct data_case {
	const char *path;
	struct config cfg;
	bool dry_run;
	struct expect *req;
	size_t req_nr, req_alloc;
	struct step *steps;
	size_t steps_nr, steps_alloc;
	/* while reading */
	int line, depth;
	bool in_body;
	long status, times;
	struct strbuf body, headers;
};

/* What a call gave back. */
struct step_out {
	int rc;
	struct tracker_tickets tickets;
	struct tracker_outcome *outcomes;
	size_t outcomes_nr;
	const char **users;
	struct tracker_findings findings;
};

static const struct {
	const char *name;
	int code;
} codes[] = {
        {"0", 0},
        {"PM_EAUTH", PM_EAUTH},
        {"PM_ECONFIG", PM_ECONFIG},
        {"PM_ENET", PM_ENET},
        {"PM_ETRACKER", PM_ETRACKER},
        {"PM_ERATELIMIT", PM_ERATELIMIT},
        {"PM_EREFUSED", PM_EREFUSED},
        {"PM_ENOTFOUND", PM_ENOTFOUND},
        {"true", 1},
        {"false", 0},
};

static const struct {
	const char *name;
	enum http_error error;
} failures[] = {
        {"connect", HTTP_ECONNECT}, {"timeout", HTTP_ETIMEOUT}, {"recv", HTTP_ERECV},
        {"tls", HTTP_ETLS},         {"other", HTTP_EOTHER},
};

static const char *const status_names[] = {"open", "done", "canceled", "autoclosed"};

/*
 * The tokens every case runs with, and Jira's Basic value: base64 of
 * "bot@example.com:jira_api_test", as the Cloud cases check it in the
 * Authorization header. None may show in a message, an outcome or the log.
 */
static const char *const secrets[] = {"lin_api_test", "jira_api_test", "jira_pat_test",
                                      "Ym90QGV4YW1wbGUuY29tOmppcmFfYXBpX3Rlc3Q="};

static void check_secrets(const char *path, const char *what, const char *text)
{
	size_t i;

	for (i = 0; text && i < ARRAY_SIZE(secrets); i++)
		if (strstr(text, secrets[i]))
			fail_msg("%s: a token (%s) is in %s", path, secrets[i], what);
}

/* Set by the runner; every later Linear check reads them. */
static struct strlist seen_docs, seen_bodies;
static struct strbuf all_requests = STRBUF_INIT;
static size_t linear_cases;

#define bad(c, ...) fail_msg("%s:%d: %s", (c)->path, (c)->line, xasprintf(__VA_ARGS__))

static int code_of(struct data_case *c, const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(codes) / sizeof(*codes); i++)
		if (!strcmp(codes[i].name, name))
			return codes[i].code;
	bad(c, "unknown code '%s'", name);
	return -1;
}

static long number_of(struct data_case *c, const char *s)
{
	char *end = NULL;
	long v = s ? strtol(s, &end, 10) : 0;

	if (!s || end == s || *end)
		bad(c, "not a number: '%s'", s ? s : "");
	return v;
}

/* Splits "word rest" in place: returns rest ("" when none). */
static char *split(char *s)
{
	char *sp = s ? strchr(s, ' ') : NULL;

	if (!sp)
		return s ? s + strlen(s) : NULL;
	*sp = '\0';
	return sp + 1;
}

/* "xN" after a name (which may hold spaces: "POST /path"): N, cut off; else 1. */
static long times_of(struct data_case *c, char *arg)
{
	char *last = strrchr(arg, ' ');

	if (!last || last[1] != 'x' || last[2] < '0' || last[2] > '9')
		return 1;
	*last = '\0';
	return number_of(c, last + 2);
}

static char *unescape(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	for (; *s; s++) {
		if (*s == '\\' && s[1]) {
			s++;
			strbuf_addch(&sb, *s == 'n' ? '\n' : *s == 't' ? '\t' : *s);
		} else {
			strbuf_addch(&sb, *s);
		}
	}
	return strbuf_detach(&sb, NULL);
}

static void set_str(char **field, const char *value)
{
	free(*field);
	*field = xstrdup(value);
}

static struct step *cur_step(struct data_case *c)
{
	if (!c->steps_nr)
		bad(c, "no 'call' before this line");
	return &c->steps[c->steps_nr - 1];
}

static struct element *cur_element(struct data_case *c)
{
	struct step *s = cur_step(c);

	if (!s->el_nr)
		bad(c, "no 'element' before this line");
	return &s->el[s->el_nr - 1];
}

static unsigned mask_of(struct data_case *c, const char *list)
{
	char *copy = xstrdup(list), *save = NULL, *w;
	unsigned mask = 0;
	size_t i;

	for (w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		unsigned bit = !strcmp(w, "all") ? TF_ALL : 0;
		for (i = 0; i < TRACKER_FIELDS_NR; i++)
			if (!strcmp(tracker_field_names[i].name, w))
				bit = tracker_field_names[i].bit;
		if (!bit)
			bad(c, "unknown field '%s'", w);
		mask |= bit;
	}
	free(copy);
	return mask;
}

static void marker_of(struct data_case *c, struct tracker_marker *m, const char *key,
                      const char *path)
{
	tracker_marker_release(m);
	memset(m, 0, sizeof(*m));
	tracker_fields_init(&m->written);
	m->repo_id = xstrdup(c->cfg.repo_id);
	m->item_key = xstrdup(key);
	m->pm_path = xstrdup(path);
	m->url = xasprintf("https://git.example.com/%s/blob/main/%s#pmsync-%s", c->cfg.repo_id,
	                   path, key);
	m->title = xstrdup("Postmortem: DB outage");
}

/* "%d" in s replaced by n. */
static char *indexed(const char *s, size_t n)
{
	const char *at = s ? strstr(s, "%d") : NULL;

	if (!at)
		return xstrdup_or_null(s);
	return xasprintf("%.*s%zu%s", (int)(at - s), s, n, at + 2);
}

/* "copies N": the current element becomes N elements, "%d" their index. */
static void copy_element(struct data_case *c, long n)
{
	struct step *s = cur_step(c);
	struct element proto = *cur_element(c);
	long i;

	s->el_nr--;
	for (i = 0; i < n; i++) {
		struct element *e;
		ALLOC_GROW(s->el, s->el_nr + 1, s->el_alloc);
		e = &s->el[s->el_nr++];
		*e = proto;
		e->id = indexed(proto.id, (size_t)i);
		tracker_fields_copy(&e->fields, &proto.fields);
		memset(&e->marker, 0, sizeof(e->marker));
		if (proto.has_marker) {
			char *key = indexed(proto.marker.item_key, (size_t)i);
			marker_of(c, &e->marker, key, proto.marker.pm_path);
			free(key);
			e->marker.has_written = proto.marker.has_written;
			tracker_fields_copy(&e->marker.written, &proto.marker.written);
		}
	}
	free(proto.id);
	tracker_fields_release(&proto.fields);
	tracker_marker_release(&proto.marker);
}

static bool element_line(struct data_case *c, const char *word, char *arg)
{
	struct element *e;

	if (!strcmp(word, "element")) {
		struct step *s = cur_step(c);
		ALLOC_GROW(s->el, s->el_nr + 1, s->el_alloc);
		e = &s->el[s->el_nr++];
		memset(e, 0, sizeof(*e));
		tracker_fields_init(&e->fields);
		e->id = strcmp(arg, "NULL") ? xstrdup(arg) : NULL;
		return true;
	}
	if (!strcmp(word, "title") || !strcmp(word, "description") || !strcmp(word, "assignee") ||
	    !strcmp(word, "due") || !strcmp(word, "priority") || !strcmp(word, "label") ||
	    !strcmp(word, "mask") || !strcmp(word, "marker") || !strcmp(word, "written") ||
	    !strcmp(word, "copies"))
		e = cur_element(c);
	else
		return false;
	if (!strcmp(word, "title")) {
		set_str(&e->fields.title, arg);
	} else if (!strcmp(word, "description")) {
		set_str(&e->fields.description, arg);
	} else if (!strcmp(word, "assignee")) {
		set_str(&e->fields.assignee_id, arg);
	} else if (!strcmp(word, "due")) {
		set_str(&e->fields.due, arg);
	} else if (!strcmp(word, "priority")) {
		e->fields.priority = (int)number_of(c, arg);
	} else if (!strcmp(word, "label")) {
		strlist_add(&e->fields.labels, arg);
	} else if (!strcmp(word, "mask")) {
		e->mask = mask_of(c, arg);
	} else if (!strcmp(word, "marker")) {
		char *path = split(arg);
		marker_of(c, &e->marker, arg, path);
		e->has_marker = true;
	} else if (!strcmp(word, "written")) {
		struct strbuf where = STRBUF_INIT;
		const char *expected = NULL;
		const json_t *found = NULL;
		json_t *v = json_loads(arg, 0, NULL);
		if (!e->has_marker)
			bad(c, "'written' before 'marker'");
		tracker_fields_release(&e->marker.written);
		if (!v ||
		    !tracker_fields_from_json(&e->marker.written, v, &where, &expected, &found))
			bad(c, "written: not the recorded form ('%s': %s)", where.buf,
			    expected ? expected : "JSON");
		e->marker.has_written = true;
		json_decref(v);
		strbuf_release(&where);
	} else {
		copy_element(c, number_of(c, arg));
	}
	return true;
}

static void queue_answer(struct data_case *c)
{
	long i;

	for (i = 0; i < c->times; i++)
		fake_transport_queue(c->status, c->headers.len ? c->headers.buf : NULL,
		                     c->body.buf);
	strbuf_reset(&c->body);
	strbuf_reset(&c->headers);
}

static void configure(struct data_case *c, const char *word, char *arg)
{
	bool jira = c->cfg.tracker == PM_TRACKER_JIRA;

	if (!strcmp(word, "tracker")) {
		if (!strcmp(arg, "linear"))
			c->cfg.tracker = PM_TRACKER_LINEAR;
		else if (!strcmp(arg, "jira"))
			c->cfg.tracker = PM_TRACKER_JIRA;
		else
			bad(c, "unknown tracker '%s'", arg);
	} else if (!strcmp(word, "team")) {
		set_str(&c->cfg.linear_team, arg);
	} else if (!strcmp(word, "project")) {
		set_str(&c->cfg.jira_project, arg);
	} else if (!strcmp(word, "deployment")) {
		set_str(&c->cfg.jira_deployment, arg);
	} else if (!strcmp(word, "endpoint") || !strcmp(word, "chosen-endpoint")) {
		set_str(jira ? &c->cfg.jira_url : &c->cfg.linear_url, arg);
		if (word[0] == 'c')
			c->cfg.chosen |= jira ? PM_CHOSEN_JIRA_URL : PM_CHOSEN_LINEAR_URL;
	} else if (!strcmp(word, "removed")) {
		c->cfg.removed = !strcmp(arg, "cancel") ? PM_REMOVED_CANCEL : PM_REMOVED_KEEP;
	} else if (!strcmp(word, "owner")) {
		char *email = split(arg), *line = split(email);
		struct config_owner *o;
		ALLOC_GROW(c->cfg.owners, c->cfg.owners_nr + 1, c->cfg.owners_alloc);
		o = &c->cfg.owners[c->cfg.owners_nr++];
		memset(o, 0, sizeof(*o));
		o->handle = xstrdup(arg);
		o->email = strcmp(email, "-") ? xstrdup(email) : NULL;
		o->line = (int)number_of(c, line);
	} else if (!strcmp(word, "env")) {
		char *value = split(arg), *v = unescape(value);
		setenv(arg, v, 1);
		free(v);
	} else if (!strcmp(word, "unset")) {
		unsetenv(arg);
	} else if (!strcmp(word, "dry-run")) {
		c->dry_run = true;
	} else {
		bad(c, "unknown directive '%s'", word);
	}
}

static void read_file(struct data_case *c, const char *path);

static void read_line(struct data_case *c, char *line, const char *path)
{
	char *arg = split(line);

	if (!strcmp(line, "include")) {
		char *dir = xstrdup(path), *slash = strrchr(dir, '/');
		char *inc;
		if (slash)
			*slash = '\0';
		inc = xasprintf("%s/%s", slash ? dir : ".", arg);
		if (++c->depth > 4)
			bad(c, "includes nested too deep");
		read_file(c, inc);
		c->depth--;
		free(inc);
		free(dir);
	} else if (!strcmp(line, "request")) {
		struct expect *e;
		ALLOC_GROW(c->req, c->req_nr + 1, c->req_alloc);
		e = &c->req[c->req_nr++];
		memset(e, 0, sizeof(*e));
		e->line = c->line;
		e->times = times_of(c, arg);
		e->name = xstrdup(arg);
	} else if (!strcmp(line, "var") || !strcmp(line, "novar") || !strcmp(line, "doc") ||
	           !strcmp(line, "nodoc") || !strcmp(line, "doc-order") || !strcmp(line, "body") ||
	           !strcmp(line, "nobody") || !strcmp(line, "json") || !strcmp(line, "header") ||
	           !strcmp(line, "method") || !strcmp(line, "at") || !strcmp(line, "idempotent")) {
		char *check = xasprintf("%s %s", line, arg);
		if (!c->req_nr)
			bad(c, "'%s' before any 'request'", line);
		strlist_add(&c->req[c->req_nr - 1].checks, check);
		free(check);
	} else if (!strcmp(line, "answer-header")) {
		strbuf_addf(&c->headers, "%s%s", c->headers.len ? "\n" : "", arg);
	} else if (!strcmp(line, "answer")) {
		c->times = times_of(c, arg);
		c->status = number_of(c, arg);
		c->in_body = true;
	} else if (!strcmp(line, "filler")) {
		char *bytes = split(arg);
		size_t n = (size_t)number_of(c, bytes);
		char *spaces = xmalloc(n);
		c->status = number_of(c, arg);
		c->times = 1;
		memset(spaces, ' ', n);
		strbuf_add(&c->body, spaces, n);
		free(spaces);
		queue_answer(c);
	} else if (!strcmp(line, "fail")) {
		char *message = split(arg);
		size_t i;
		for (i = 0; i < sizeof(failures) / sizeof(*failures); i++)
			if (!strcmp(failures[i].name, arg))
				break;
		if (i == sizeof(failures) / sizeof(*failures))
			bad(c, "unknown failure '%s'", arg);
		fake_transport_queue_error(failures[i].error, message);
	} else if (!strcmp(line, "call")) {
		struct step *s;
		char *inline_arg = split(arg);
		ALLOC_GROW(c->steps, c->steps_nr + 1, c->steps_alloc);
		s = &c->steps[c->steps_nr++];
		memset(s, 0, sizeof(*s));
		s->call = xstrdup(arg);
		s->line = c->line;
		if (*inline_arg) {
			ALLOC_GROW(s->args, s->args_nr + 1, s->args_alloc);
			s->args[s->args_nr++] = xstrdup(inline_arg);
		}
	} else if (!strcmp(line, "arg") || !strcmp(line, "arg-null")) {
		struct step *s = cur_step(c);
		ALLOC_GROW(s->args, s->args_nr + 1, s->args_alloc);
		s->args[s->args_nr++] = line[3] ? NULL : xstrdup(arg);
	} else if (element_line(c, line, arg)) {
		/* read */
	} else if (!strcmp(line, "result") || !strcmp(line, "message") ||
	           !strcmp(line, "message-is") || !strcmp(line, "status") ||
	           !strcmp(line, "detail") || !strcmp(line, "outcome") || !strcmp(line, "count") ||
	           !strcmp(line, "ticket") || !strcmp(line, "user") || !strcmp(line, "findings") ||
	           !strcmp(line, "finding") || !strcmp(line, "slept") || !strcmp(line, "log") ||
	           !strcmp(line, "sent")) {
		char *check = xasprintf("%d %s %s", c->line, line, arg);
		strlist_add(&cur_step(c)->checks, check);
		free(check);
	} else {
		configure(c, line, arg);
	}
}

/* Reads the lines of path, queueing answers on the fake transport as they come. */
static void read_file(struct data_case *c, const char *path)
{
	struct strbuf text = STRBUF_INIT;
	char *p, *next;
	int saved = c->line;
	const char *saved_path = c->path;

	if (strbuf_read_file(&text, path, 0) < 0)
		fail_msg("%s: cannot read", path);
	c->line = 0;
	c->path = path;
	for (p = text.buf; p && *p; p = next) {
		next = strchr(p, '\n');
		if (next)
			*next++ = '\0';
		c->line++;
		if (c->in_body) {
			if (!strcmp(p, "end")) {
				queue_answer(c);
				c->in_body = false;
			} else {
				strbuf_addstr(&c->body, p);
			}
		} else if (*p && *p != '#') {
			read_line(c, p, path);
		}
	}
	if (c->in_body)
		bad(c, "an answer without 'end'");
	strbuf_release(&text);
	c->line = saved;
	c->path = saved_path;
}

static void release_case(struct data_case *c)
{
	size_t i, j;

	for (i = 0; i < c->req_nr; i++) {
		free(c->req[i].name);
		strlist_clear(&c->req[i].checks);
	}
	free(c->req);
	for (i = 0; i < c->steps_nr; i++) {
		struct step *s = &c->steps[i];
		for (j = 0; j < s->args_nr; j++)
			free(s->args[j]);
		for (j = 0; j < s->el_nr; j++) {
			free(s->el[j].id);
			tracker_fields_release(&s->el[j].fields);
			tracker_marker_release(&s->el[j].marker);
		}
		free(s->args);
		free(s->el);
		free(s->call);
		strlist_clear(&s->checks);
	}
	free(c->steps);
	strbuf_release(&c->body);
	strbuf_release(&c->headers);
	config_release(&c->cfg);
}

/* The member at path ("a.b[2].c") of v, or NULL. */
static json_t *json_at(json_t *v, const char *path)
{
	const char *p = path;

	while (v && *p) {
		size_t n = strcspn(p, ".[");
		if (n) {
			char *key = xstrndup(p, n);
			v = json_object_get(v, key);
			free(key);
			p += n;
		}
		if (*p == '[') {
			char *end = NULL;
			long i = strtol(p + 1, &end, 10);
			v = json_array_get(v, (size_t)i);
			p = *end == ']' ? end + 1 : end;
		}
		if (*p == '.')
			p++;
	}
	return v;
}

/* A string compares as written; anything else as JSON. */
static bool json_matches(const json_t *got, const char *want)
{
	json_t *w;
	bool same;

	if (json_is_string(got))
		return !strcmp(json_string_value(got), want);
	w = json_loads(want, JSON_DECODE_ANY, NULL);
	same = w && got && json_equal(got, w);
	json_decref(w);
	return same;
}

/* The name of a request: its GraphQL operation, or "METHOD /path" for REST. */
static char *name_of(const struct fake_request *r)
{
	if (!r || !r->name)
		return xstrdup("(none)");
	if (r->name[0] == '/')
		return xasprintf("%s %s", r->method, r->name);
	return xstrdup(r->name);
}

static void check_request(struct data_case *c, const struct expect *e, size_t i,
                          const struct fake_request *r)
{
	json_t *body = json_loads(r->body, 0, NULL);
	json_t *vars = json_object_get(body, "variables");
	const char *doc = json_string_value(json_object_get(body, "query"));
	char *name = name_of(r);
	size_t k;

	c->line = e->line;
	if (strcmp(name, e->name))
		bad(c, "request %zu is '%s', expected '%s'", i + 1, name, e->name);
	free(name);
	for (k = 0; k < e->checks.nr; k++) {
		char *word = xstrdup(e->checks.v[k]), *arg = split(word), *rest = NULL;
		bool ok;
		if (!strcmp(word, "var") || !strcmp(word, "json") || !strcmp(word, "header")) {
			rest = split(arg);
		}
		if (!strcmp(word, "var") || !strcmp(word, "json")) {
			json_t *got = json_at(word[0] == 'v' ? vars : body, arg);
			char *text = got ? json_dumps(got, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
			if (!json_matches(got, rest))
				bad(c, "request %zu (%s): %s %s is %s, expected %s", i + 1, e->name,
				    word, arg, text ? text : "absent", rest);
			free(text);
			ok = true;
		} else if (!strcmp(word, "novar")) {
			ok = !json_at(vars, arg);
		} else if (!strcmp(word, "doc")) {
			ok = doc && strstr(doc, arg);
		} else if (!strcmp(word, "nodoc")) {
			ok = doc && !strstr(doc, arg);
		} else if (!strcmp(word, "doc-order")) {
			char *second = strstr(arg, " < ");
			const char *a, *b;
			if (!second)
				bad(c, "doc-order: no ' < '");
			*second = '\0';
			a = doc ? strstr(doc, arg) : NULL;
			b = doc ? strstr(doc, second + 3) : NULL;
			ok = a && b && a < b;
		} else if (!strcmp(word, "body")) {
			ok = strstr(r->body, arg) != NULL;
		} else if (!strcmp(word, "nobody")) {
			ok = strstr(r->body, arg) == NULL;
		} else if (!strcmp(word, "header")) {
			const char *got = http_headers_get(&r->headers, arg);
			ok = got && !strcmp(got, rest);
		} else if (!strcmp(word, "method")) {
			ok = !strcmp(r->method, arg);
		} else if (!strcmp(word, "at")) {
			ok = !strcmp(r->url, arg);
		} else {
			ok = r->idempotent == !strcmp(arg, "true");
		}
		if (!ok)
			bad(c, "request %zu (%s): not so: %s", i + 1, e->name, e->checks.v[k]);
		free(word);
	}
	json_decref(body);
}

/* The requests sent, against the ones the case expects, in order. */
static void check_requests(struct data_case *c)
{
	size_t i, k, n = 0, want = 0;

	for (i = 0; i < c->req_nr; i++)
		want += (size_t)c->req[i].times;
	if (fake_transport_count() != want) {
		const struct fake_request *r = fake_transport_request(want);
		char *name = r ? name_of(r) : NULL;
		c->line = 0;
		bad(c, "%zu requests sent, %zu expected%s%s", fake_transport_count(), want,
		    r ? "; the first unexpected: " : "", name ? name : "");
	}
	for (i = 0; i < c->req_nr; i++)
		for (k = 0; k < (size_t)c->req[i].times; k++, n++)
			check_request(c, &c->req[i], n, fake_transport_request(n));
	if (fake_transport_pending()) {
		c->line = 0;
		bad(c, "%zu answers never asked for", fake_transport_pending());
	}
}

static char *joined(const struct strlist *l)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < l->nr; i++)
		strbuf_addf(&sb, "%s%s", i ? "," : "", l->v[i]);
	return strbuf_detach(&sb, NULL);
}

static char *fields_field(const struct tracker_fields *f, const char *name)
{
	if (!strcmp(name, "title"))
		return xstrdup_or_null(f->title);
	if (!strcmp(name, "description"))
		return xstrdup_or_null(f->description);
	if (!strcmp(name, "assignee"))
		return xstrdup_or_null(f->assignee_id);
	if (!strcmp(name, "due"))
		return xstrdup_or_null(f->due);
	if (!strcmp(name, "priority"))
		return xasprintf("%d", f->priority);
	if (!strcmp(name, "labels"))
		return joined(&f->labels);
	return xstrdup("(unknown field)");
}

/* A field of a ticket as text, NULL when it has none. */
static char *ticket_field(const struct tracker_ticket *tk, const char *name)
{
	const struct tracker_marker *m = &tk->marker;

	if (!strcmp(name, "id"))
		return xstrdup_or_null(tk->id);
	if (!strcmp(name, "ref"))
		return xstrdup_or_null(tk->ref);
	if (!strcmp(name, "url"))
		return xstrdup_or_null(tk->url);
	if (!strcmp(name, "status"))
		return xstrdup(status_names[tk->status]);
	if (!strcmp(name, "state"))
		return xstrdup_or_null(tk->state_name);
	if (!strcmp(name, "closed_at"))
		return xstrdup_or_null(tk->closed_at);
	if (!strcmp(name, "archived"))
		return xstrdup(tk->archived ? "true" : "false");
	if (!strcmp(name, "has_marker"))
		return xstrdup(tk->has_marker ? "true" : "false");
	if (!strcmp(name, "other_marker_key"))
		return xstrdup_or_null(tk->other_marker_key);
	if (!strcmp(name, "foreign_repo"))
		return xstrdup_or_null(tk->foreign_repo);
	if (!strcmp(name, "marker.key"))
		return xstrdup_or_null(m->item_key);
	if (!strcmp(name, "marker.repo"))
		return xstrdup_or_null(m->repo_id);
	if (!strcmp(name, "marker.path"))
		return xstrdup_or_null(m->pm_path);
	if (!strcmp(name, "marker.has_written"))
		return xstrdup(m->has_written ? "true" : "false");
	if (!strncmp(name, "written.", 8))
		return fields_field(&m->written, name + 8);
	return fields_field(&tk->fields, name);
}

static void same_text(struct data_case *c, const char *what, const char *got, const char *want)
{
	bool want_null = !strcmp(want, "NULL");

	if (want_null ? got != NULL : (!got || strcmp(got, want)))
		bad(c, "%s is '%s', expected '%s'", what, got ? got : "NULL", want);
}

static const struct tracker_finding *
finding_of(struct data_case *c, const struct tracker_findings *fs, const char *check)
{
	size_t i;

	for (i = 0; i < fs->nr; i++)
		if (!strcmp(fs->v[i].check, check))
			return &fs->v[i];
	bad(c, "no finding '%s'", check);
	return NULL;
}

static void check_outcome(struct data_case *c, const struct step_out *o, size_t i, int code,
                          const char *text)
{
	const struct tracker_outcome *x;

	if (i >= o->outcomes_nr)
		bad(c, "no outcome %zu", i);
	x = &o->outcomes[i];
	if (x->code != code)
		bad(c, "outcome %zu: code %d, expected %d (%s)", i, x->code, code,
		    x->message ? x->message : "no message");
	if (*text ? !x->message || !strstr(x->message, text) : !code && x->message)
		bad(c, "outcome %zu: message '%s', expected '%s'", i,
		    x->message ? x->message : "NULL", *text ? text : "NULL");
}

static void check_step(struct data_case *c, const struct step *s, const struct step_out *o,
                       struct tracker *t, const struct strbuf *log)
{
	size_t k;
	bool has_result = false;

	for (k = 0; k < s->checks.nr; k++) {
		char *line = xstrdup(s->checks.v[k]), *word = split(line), *arg = split(word);
		char *rest;
		c->line = (int)number_of(c, line);
		if (!strcmp(word, "result")) {
			has_result = true;
			if (o->rc != code_of(c, arg))
				bad(c, "%s: result %d, expected %s (%s)", s->call, o->rc, arg,
				    pm_error_message());
		} else if (!strcmp(word, "message")) {
			if (!strstr(pm_error_message(), arg))
				bad(c, "message '%s' lacks '%s'", pm_error_message(), arg);
		} else if (!strcmp(word, "message-is")) {
			same_text(c, "the message", pm_error_message(), arg);
		} else if (!strcmp(word, "status")) {
			if (pm_error_status() != number_of(c, arg))
				bad(c, "status %ld, expected %s", pm_error_status(), arg);
		} else if (!strcmp(word, "detail")) {
			same_text(c, "the detail", pm_error_detail(), arg);
		} else if (!strcmp(word, "outcome")) {
			size_t i;
			int code;
			char *text;
			rest = split(arg);
			text = split(rest);
			code = code_of(c, rest);
			rest = text;
			if (!strcmp(arg, "*"))
				for (i = 0; i < o->outcomes_nr; i++)
					check_outcome(c, o, i, code, rest);
			else
				check_outcome(c, o, (size_t)number_of(c, arg), code, rest);
		} else if (!strcmp(word, "count")) {
			if ((long)o->tickets.nr != number_of(c, arg))
				bad(c, "%zu tickets, expected %s", o->tickets.nr, arg);
		} else if (!strcmp(word, "ticket")) {
			char *field = split(arg), *value = split(field), *got;
			size_t i = (size_t)number_of(c, arg);
			if (i >= o->tickets.nr)
				bad(c, "no ticket %zu (%zu given back)", i, o->tickets.nr);
			got = ticket_field(&o->tickets.v[i], field);
			same_text(c, field, got, value);
			free(got);
		} else if (!strcmp(word, "user")) {
			size_t i;
			rest = split(arg);
			i = (size_t)number_of(c, arg);
			if (!o->users || i >= s->args_nr)
				bad(c, "no user %zu", i);
			same_text(c, "the user", o->users[i], rest);
		} else if (!strcmp(word, "findings")) {
			if ((long)o->findings.nr != number_of(c, arg))
				bad(c, "%zu findings, expected %s", o->findings.nr, arg);
		} else if (!strcmp(word, "finding")) {
			const struct tracker_finding *f;
			char *check = split(arg), *text = strstr(check, " -- ");
			if (text) {
				*text = '\0';
				text += 4;
			}
			f = finding_of(c, &o->findings, check);
			if (f->ok != !strcmp(arg, "ok"))
				bad(c, "finding '%s' is %s: %s", check, f->ok ? "ok" : "fail",
				    f->message);
			if (text)
				same_text(c, "the finding's message", f->message, text);
		} else if (!strcmp(word, "slept")) {
			size_t i;
			rest = split(arg);
			i = (size_t)number_of(c, arg);
			if (i >= fake_clock_state.sleeps ||
			    fake_clock_state.slept[i] != number_of(c, rest))
				bad(c, "wait %zu: %ld ms, expected %s", i,
				    i < fake_clock_state.sleeps ? fake_clock_state.slept[i] : -1L,
				    rest);
		} else if (!strcmp(word, "log")) {
			if (!strstr(log->buf, arg))
				bad(c, "the log lacks '%s': %s", arg, log->buf);
		} else if (!strcmp(word, "sent")) {
			if ((long)t->requests != number_of(c, arg))
				bad(c, "%zu requests counted, expected %s", t->requests, arg);
		}
		free(line);
	}
	c->line = s->line;
	if (!has_result && o->rc != 0)
		bad(c, "%s: result %d (%s)", s->call, o->rc, pm_error_message());
}

static void run_step(struct data_case *c, struct step *s, struct tracker *t, struct step_out *o)
{
	const struct tracker_ops *ops = t->ops;
	size_t n = s->el_nr, i;
	struct tracker_create *cr = xcalloc(n + 1, sizeof(*cr));
	struct tracker_update *up = xcalloc(n + 1, sizeof(*up));
	struct tracker_marker *mk = xcalloc(n + 1, sizeof(*mk));
	const char **ids = xcalloc(n + 1, sizeof(*ids));
	const char *const *args = (const char *const *)s->args;

	for (i = 0; i < n; i++) {
		struct element *e = &s->el[i];
		ids[i] = e->id;
		cr[i].id = e->id;
		cr[i].fields = &e->fields;
		cr[i].marker = e->has_marker ? &e->marker : NULL;
		up[i].id = e->id;
		up[i].mask = e->mask;
		up[i].fields = &e->fields;
		up[i].marker = cr[i].marker;
		mk[i] = e->marker; /* borrowed */
	}
	o->outcomes_nr = n;
	o->outcomes = xcalloc(n + 1, sizeof(*o->outcomes));
	pm_error_clear();
	c->line = s->line;
	if (!strcmp(s->call, "prepare")) {
		o->rc = ops->prepare(t);
	} else if (!strcmp(s->call, "list_managed")) {
		o->rc = ops->list_managed(t, &o->tickets);
	} else if (!strcmp(s->call, "get_by_ids")) {
		o->rc = ops->get_by_ids(t, &o->tickets, args, s->args_nr);
	} else if (!strcmp(s->call, "get_by_refs")) {
		o->rc = ops->get_by_refs(t, &o->tickets, args, s->args_nr);
	} else if (!strcmp(s->call, "resolve_users")) {
		o->users = xcalloc(s->args_nr + 1, sizeof(*o->users));
		o->rc = ops->resolve_users(t, args, s->args_nr, o->users);
	} else if (!strcmp(s->call, "owns_ref")) {
		o->rc = s->args_nr == 1 && ops->owns_ref(t, args[0]);
	} else if (!strcmp(s->call, "create")) {
		o->rc = ops->create(t, cr, n, &o->tickets, o->outcomes);
	} else if (!strcmp(s->call, "find_pending")) {
		o->rc = ops->find_pending(t, cr, n, &o->tickets);
	} else if (!strcmp(s->call, "update")) {
		o->rc = ops->update(t, up, n, o->outcomes);
	} else if (!strcmp(s->call, "set_markers")) {
		o->rc = ops->set_markers(t, ids, mk, n, o->outcomes);
	} else if (!strcmp(s->call, "cancel")) {
		o->rc = ops->cancel(t, ids, n, o->outcomes);
	} else if (!strcmp(s->call, "doctor")) {
		o->rc = ops->doctor(t, &c->cfg, &o->findings);
	} else {
		bad(c, "unknown call '%s'", s->call);
	}
	free(cr);
	free(up);
	free(mk);
	free(ids);
}

static void release_out(struct step_out *o)
{
	size_t i;

	for (i = 0; i < o->outcomes_nr; i++)
		tracker_outcome_release(&o->outcomes[i]);
	free(o->outcomes);
	free(o->users);
	tracker_tickets_release(&o->tickets);
	tracker_findings_release(&o->findings);
	memset(o, 0, sizeof(*o));
}

/* Every Linear document sent, kept for the complexity and contract checks. */
static void harvest(void)
{
	size_t i;

	for (i = 0; i < fake_transport_count(); i++) {
		const struct fake_request *r = fake_transport_request(i);
		json_t *body = json_loads(r->body, 0, NULL);
		const char *q = json_string_value(json_object_get(body, "query"));
		json_t *line = json_object(), *headers = json_object();
		char *text;

		if (q && !strlist_has_ci(&seen_docs, q)) {
			strlist_add(&seen_docs, q);
			strlist_add(&seen_bodies, r->body);
		}
		json_object_set_new(headers, "authorization",
		                    json_string(http_headers_get(&r->headers, "Authorization")));
		json_object_set_new(line, "method", json_string(r->method));
		json_object_set_new(line, "url", json_string(r->url));
		json_object_set_new(line, "headers", headers);
		json_object_set_new(line, "body", json_string(r->body));
		text = json_dumps(line, JSON_COMPACT);
		strbuf_addf(&all_requests, "%s\n", text);
		free(text);
		json_decref(line);
		json_decref(body);
	}
}

static void log_line(void *data, const char *line)
{
	strbuf_addf(data, "%s\n", line);
}

static void run_case(const char *path)
{
	struct data_case c;
	struct tracker *t = NULL;
	struct strbuf log = STRBUF_INIT;
	struct tracker_options o = {false, log_line, &log, 0, NULL, 0};
	struct http_clock clock = fake_clock(NOW);
	struct step_out out;
	size_t i;
	int rc;

	memset(&c, 0, sizeof(c));
	memset(&out, 0, sizeof(out));
	fake_transport_reset();
	pm_error_clear();
	setenv("LINEAR_API_KEY", "lin_api_test", 1);
	unsetenv("LINEAR_ACCESS_TOKEN");
	setenv("JIRA_API_TOKEN", "jira_api_test", 1);
	setenv("JIRA_EMAIL", "bot@example.com", 1);
	setenv("JIRA_PAT", "jira_pat_test", 1);
	unsetenv("JIRA_URL");
	config_init(&c.cfg);
	c.cfg.repo_id = xstrdup("acme/payments");
	strbuf_init(&c.body, 0);
	strbuf_init(&c.headers, 0);
	c.path = path;
	read_file(&c, path);
	o.dry_run = c.dry_run;
	if (!c.steps_nr)
		fail_msg("%s: no 'call'", path);
	rc = tracker_open(&t, &c.cfg, &o);
	i = 0;
	if (!strcmp(c.steps[0].call, "open")) {
		out.rc = rc;
		check_step(&c, &c.steps[0], &out, t, &log);
		i++;
	}
	if (rc < 0 && i < c.steps_nr)
		fail_msg("%s: tracker_open: %s", path, pm_error_message());
	if (rc == 0)
		http_client_set_clock(c.cfg.tracker == PM_TRACKER_JIRA ? jira_tracker_http(t)
		                                                       : linear_tracker_http(t),
		                      &clock);
	for (; i < c.steps_nr; i++) {
		size_t k;
		run_step(&c, &c.steps[i], t, &out);
		check_step(&c, &c.steps[i], &out, t, &log);
		for (k = 0; k < out.outcomes_nr; k++)
			check_secrets(path, "an outcome", out.outcomes[k].message);
		check_secrets(path, "the message", pm_error_message());
		release_out(&out);
	}
	check_requests(&c);
	check_secrets(path, "the message", pm_error_message());
	check_secrets(path, "the log", log.buf);
	if (c.cfg.tracker == PM_TRACKER_LINEAR) {
		harvest();
		linear_cases++;
	}
	tracker_free(t);
	release_case(&c);
	strbuf_release(&log);
	fake_transport_reset();
}

/*
 * Complexity, estimated from the document alone after Linear's rule, in
 * tenths of a point: a scalar 1, an object 10, a connection (a field that
 * selects `nodes`) its contents times `first` (a literal or a variable of the
 * request). A connection without `first` fails the test.
 */
struct est {
	const char *p;
	json_t *vars;
	const char *problem;
};

static void est_skip_space(struct est *e)
{
	for (;;) {
		while (*e->p == ' ' || *e->p == '\n' || *e->p == ',' || *e->p == '\t')
			e->p++;
		if (*e->p != '#')
			return;
		while (*e->p && *e->p != '\n')
			e->p++;
	}
}

static size_t est_name(struct est *e, const char **start)
{
	est_skip_space(e);
	*start = e->p;
	while ((*e->p >= 'a' && *e->p <= 'z') || (*e->p >= 'A' && *e->p <= 'Z') ||
	       (*e->p >= '0' && *e->p <= '9') || *e->p == '_')
		e->p++;
	return (size_t)(e->p - *start);
}

/* Skips a balanced ( ) or { } or [ ] group, strings included. */
static void est_skip_group(struct est *e)
{
	int depth = 0;

	do {
		if (*e->p == '"') {
			for (e->p++; *e->p && *e->p != '"'; e->p++)
				if (*e->p == '\\')
					e->p++;
		} else if (*e->p == '(' || *e->p == '{' || *e->p == '[') {
			depth++;
		} else if (*e->p == ')' || *e->p == '}' || *e->p == ']') {
			depth--;
		}
		if (*e->p)
			e->p++;
	} while (depth > 0 && *e->p);
}

/* Reads arguments, returning the value of `first` (-1 when absent). */
static long est_args(struct est *e)
{
	long first = -1;

	e->p++; /* ( */
	for (;;) {
		const char *name;
		size_t n;
		est_skip_space(e);
		if (*e->p == ')') {
			e->p++;
			return first;
		}
		n = est_name(e, &name);
		est_skip_space(e);
		if (!n || *e->p != ':') {
			e->problem = "bad argument";
			return first;
		}
		e->p++;
		est_skip_space(e);
		if (n == 5 && !memcmp(name, "first", 5)) {
			if (*e->p == '$') {
				const char *v;
				size_t vn;
				char var[64];
				e->p++;
				vn = est_name(e, &v);
				snprintf(var, sizeof(var), "%.*s", (int)vn, v);
				first = (long)json_integer_value(json_object_get(e->vars, var));
			} else {
				first = strtol(e->p, (char **)&e->p, 10);
			}
		} else if (*e->p == '{' || *e->p == '[' || *e->p == '"') {
			est_skip_group(e);
		} else {
			while (*e->p && *e->p != ',' && *e->p != ')' && *e->p != ' ')
				e->p++;
		}
	}
}

static long est_selection(struct est *e, bool *has_nodes);

static long est_field(struct est *e, bool *is_nodes)
{
	const char *name;
	size_t n = est_name(e, &name);
	long first = -1, inner;
	bool has_nodes = false;

	est_skip_space(e);
	if (*e->p == ':') { /* an alias: the field's name follows */
		e->p++;
		n = est_name(e, &name);
		est_skip_space(e);
	}
	*is_nodes = n == 5 && !memcmp(name, "nodes", 5);
	if (*e->p == '(') {
		first = est_args(e);
		est_skip_space(e);
	}
	if (*e->p != '{')
		return 1;
	inner = est_selection(e, &has_nodes);
	if (has_nodes && first < 0)
		e->problem = "a connection without first";
	return (first < 0 ? 1 : first) * (10 + inner);
}

static long est_selection(struct est *e, bool *has_nodes)
{
	long total = 0;

	e->p++; /* { */
	for (;;) {
		bool is_nodes;
		est_skip_space(e);
		if (*e->p == '}') {
			e->p++;
			return total;
		}
		if (!*e->p || e->problem) {
			e->problem = e->problem ? e->problem : "unbalanced";
			return total;
		}
		total += est_field(e, &is_nodes);
		*has_nodes = *has_nodes || is_nodes;
	}
}

/* The estimate in points, rounded up; -1 with *problem set when it cannot tell. */
static long estimate(const char *body, const char **problem)
{
	json_t *b = json_loads(body, 0, NULL);
	struct est e = {json_string_value(json_object_get(b, "query")),
	                json_object_get(b, "variables"), NULL};
	bool has_nodes = false;
	long tenths;

	if (e.p[0] == 'q' || e.p[0] == 'm') {
		const char *name;
		est_name(&e, &name); /* query / mutation */
		est_name(&e, &name); /* its name */
		est_skip_space(&e);
		if (*e.p == '(')
			est_skip_group(&e);
		est_skip_space(&e);
	}
	tenths = est_selection(&e, &has_nodes);
	*problem = e.problem;
	json_decref(b);
	return e.problem ? -1 : (tenths + 9) / 10;
}

static void test_complexity(void **state)
{
	/*
	 * The fixed documents, by hand (connection: first * (1 + contents);
	 * nodes and pageInfo are objects: 1 + their scalars; issue fields:
	 * issue 1 + 14 scalars + state (1 + 3) + assignee (1 + 2) + team (1 + 2)
	 * = 1 + 1.4 + 1.3 + 1.2 + 1.2 = 6.1; a marker's 7 scalars 0.7):
	 *   Viewer: viewer 1 + 0.3 + organization 1.3 = 2.6 -> 3
	 *   TeamByKey: 1 * (1 + nodes (1 + 0.3 + states 250 * (1 + nodes 1.4)))
	 *              + 250 * (1 + nodes 1.2 + pageInfo 1.2) = 602.3 + 850 = 1452.3 -> 1453
	 *   Teams: 250 * (1 + 1.2 + 1.2) = 850
	 *   Labels: 250 * (1 + nodes (1 + 0.3 + team 1.1) + pageInfo 1.2) = 1150
	 *   Users: 250 * (1 + nodes 1.4) = 600
	 *   ManagedAttachments: 250 * (1 + nodes (1 + 0.7 + 6.1) + pageInfo 1.2) = 2500
	 *   IssuesByIds, IssuesByRefs, at most 250 ids a request, the most the limit allows:
	 *     250 * (1 + nodes (6.1 + attachments 10 * (1 + nodes 1.7))) = 250 * 34.1 = 8525
	 *   IssueBatchCreate: 1 + 0.1 + issues 6.1 = 7.2, with its markers 50 * 2.2: at most 118
	 *   LabelCreate: 1 + 0.1 + issueLabel (1 + 0.3 + team 1.1) = 3.5 -> 4
	 *   AttachmentMarkers (50): 50 * (1 + 0.1 + attachment 1.1) = 110
	 *   IssueUpdates (25): 25 * (2.2 + 2.2) = 110; IssueCancel (25): 55
	 */
	static const struct {
		const char *op;
		long points;
	} fixed[] = {
	        {"Viewer", 3},  {"TeamByKey", 1453},          {"Labels", 1150},
	        {"Users", 600}, {"ManagedAttachments", 2500}, {"LabelCreate", 4},
	};
	size_t i, j, checked = 0;

	(void)state;
	for (i = 0; i < seen_bodies.nr; i++) {
		const char *problem = NULL;
		long points = estimate(seen_bodies.v[i], &problem);
		json_t *b = json_loads(seen_bodies.v[i], 0, NULL);
		const char *op = json_string_value(json_object_get(b, "operationName"));

		if (points < 0)
			fail_msg("%s: %s", op, problem);
		print_message("complexity %-20s %5ld\n", op, points);
		assert_true(points < 10000);
		for (j = 0; j < sizeof(fixed) / sizeof(*fixed); j++) {
			if (strcmp(op, fixed[j].op))
				continue;
			if (points != fixed[j].points)
				fail_msg("%s: %ld points, expected %ld", op, points,
				         fixed[j].points);
			checked++;
		}
		if (!strcmp(op, "AttachmentMarkers") || !strcmp(op, "IssueUpdates") ||
		    !strcmp(op, "IssueCancel"))
			assert_true(points <= 110);
		if (!strcmp(op, "IssueBatchCreate"))
			assert_true(points <= 118);
		if (!strcmp(op, "IssuesByIds") || !strcmp(op, "IssuesByRefs")) {
			long first = (long)json_integer_value(
			        json_object_get(json_object_get(b, "variables"), "first"));
			assert_true(first <= 250);
			assert_int_equal(points, (first * 341 + 9) / 10);
		}
		json_decref(b);
	}
	assert_true(checked >= 6);
	strlist_clear(&seen_docs);
	strlist_clear(&seen_bodies);
}

/*
 * Every request the tests sent, through the shared contract checker: each
 * document validates against Linear's published schema, its variables
 * coerce, every connection names `first`, the estimate stays under 10,000.
 */
static void test_contract(void **state)
{
	const char *shared = getenv("PMSYNC_SHARED") ? getenv("PMSYNC_SHARED") : "../shared";
	char *checker = xasprintf("%s/contract/check-linear.js", shared);
	char path[] = "/tmp/pmsync-linear-requests-XXXXXX";
	char *cmd = NULL;
	FILE *fp;
	int fd, rc;

	(void)state;
	if (access(checker, R_OK) || system("command -v node >/dev/null 2>&1")) {
		print_message("skip: the shared contract checker or node is not available\n");
		goto done;
	}
	fd = mkstemp(path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	assert_non_null(fp);
	fwrite(all_requests.buf, 1, all_requests.len, fp);
	fclose(fp);
	cmd = xasprintf("NODE_PATH=/usr/share/nodejs node '%s' '%s' >'%s.out' 2>&1", checker, path,
	                path);
	rc = system(cmd);
	{
		struct strbuf out = STRBUF_INIT;
		char *out_path = xasprintf("%s.out", path);
		strbuf_read_file(&out, out_path, 0);
		print_message("contract: %s", out.buf);
		strbuf_release(&out);
		free(out_path);
	}
	assert_int_equal(rc, 0);
	unlink(path);
	free(cmd);
	cmd = xasprintf("%s.out", path);
	unlink(cmd);
done:
	free(cmd);
	free(checker);
	strbuf_release(&all_requests);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One case: its file's path is the test's state. */
static void test_case(void **state)
{
	run_case(*state);
}

/* Appends a test for every case of every connector's folder, in name order. */
static void add_cases(struct CMUnitTest **tests, size_t *nr, size_t *alloc, struct strlist *paths)
{
	static const char *const folders[] = {"linear", "jira"};
	size_t f, i;

	for (f = 0; f < ARRAY_SIZE(folders); f++) {
		char *dir = xasprintf("%s/%s", DATA_DIR, folders[f]);
		struct strlist names = {0};
		struct dirent *de;
		DIR *d = opendir(dir);

		if (!d) {
			fprintf(stderr, "%s: cannot open\n", dir);
			exit(1);
		}
		while ((de = readdir(d)))
			if (strlen(de->d_name) > 5 &&
			    !strcmp(de->d_name + strlen(de->d_name) - 5, ".test"))
				strlist_add(&names, de->d_name);
		closedir(d);
		if (names.nr > 1)
			qsort(names.v, names.nr, sizeof(*names.v), cmp_name);
		for (i = 0; i < names.nr; i++) {
			char *path = xasprintf("%s/%s", dir, names.v[i]);
			strlist_add(paths, path);
			free(path);
		}
		strlist_clear(&names);
		free(dir);
	}
	for (i = 0; i < paths->nr; i++) {
		ALLOC_GROW(*tests, *nr + 1, *alloc);
		(*tests)[(*nr)++] =
		        (struct CMUnitTest){paths->v[i], test_case, NULL, NULL, paths->v[i]};
	}
}

int main(void)
{
	struct CMUnitTest *tests = NULL;
	struct strlist paths = {0};
	size_t nr = 0, alloc = 0;
	int rc;

	add_cases(&tests, &nr, &alloc, &paths);
	if (!nr) {
		fprintf(stderr, "%s: no cases\n", DATA_DIR);
		return 1;
	}
	/* these two read what the cases sent: they run last */
	ALLOC_GROW(tests, nr + 2, alloc);
	tests[nr++] = (struct CMUnitTest)cmocka_unit_test(test_complexity);
	tests[nr++] = (struct CMUnitTest)cmocka_unit_test(test_contract);
	rc = _cmocka_run_group_tests("connector cases", tests, nr, NULL, NULL);
	free(tests);
	strlist_clear(&paths);
	return rc;
}
