/*
 * Connector tests as data, in the manner of curl's tests/data: each file of
 * tests/data/<connector>/ is one case, read by this runner over the HTTP
 * seam (the fake transport): the configuration, the operation to call, the
 * requests expected in order (operation, variables, parts of the document)
 * with the answer served to each, and the outcome. The format, one
 * directive a line ('#' starts a comment):
 *
 *   tracker linear             the connector
 *   team ENG                   linear.team
 *   call prepare               prepare | list_managed | owns_ref REF
 *   request Viewer             the next request's operation name
 *   var key ENG                one of its variables, as a string
 *   doc eqIgnoreCase: $key     a part of its document
 *   answer 200                 the answer's status, its body up to "end"
 *   ...
 *   end
 *   result PM_EAUTH            the call's code (0, or an error code's name)
 *   message token rejected     a part of the recorded message
 *   count 3                    the number of tickets a listing returns
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "config/config.h"
#include "connectors/http.h"
#include "connectors/linear/linear.h"
#include "connectors/tracker.h"
#include "tests/unit/fake_transport.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define DATA_DIR "tests/data"

struct expect {
	char *op;
	struct pm_strlist vars; /* "name value" */
	struct pm_strlist docs;
};

struct data_case {
	char *name;
	struct pm_config cfg;
	char *call, *call_arg;
	struct expect *req;
	size_t req_nr, req_alloc;
	int result;
	bool has_result;
	char *message;
	long count;
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
        {"true", 1},
        {"false", 0},
};

static int code_of(const char *name, const char *file, int line)
{
	size_t i;

	for (i = 0; i < sizeof(codes) / sizeof(*codes); i++)
		if (!strcmp(codes[i].name, name))
			return codes[i].code;
	fail_msg("%s:%d: unknown result '%s'", file, line, name);
	return -1;
}

/* Reads one case, queueing its answers on the fake transport as they come. */
static void read_case(struct data_case *c, const char *path)
{
	struct strbuf text = STRBUF_INIT, body = STRBUF_INIT;
	char *save = NULL, *line;
	long status = 0;
	int n = 0;
	bool in_body = false;

	if (strbuf_read_file(&text, path, 0) < 0)
		fail_msg("%s: cannot read", path);
	pm_config_init(&c->cfg);
	c->cfg.repo_id = xstrdup("acme/payments");
	c->count = -1;
	for (line = strtok_r(text.buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *arg = strchr(line, ' ');
		n++;
		if (in_body) {
			if (!strcmp(line, "end")) {
				fake_transport_queue(status, NULL, body.buf);
				strbuf_reset(&body);
				in_body = false;
			} else {
				strbuf_addstr(&body, line);
			}
			continue;
		}
		if (!*line || *line == '#')
			continue;
		if (arg)
			*arg++ = '\0';
		if (!strcmp(line, "tracker")) {
			c->cfg.tracker = PM_TRACKER_LINEAR;
		} else if (!strcmp(line, "team")) {
			c->cfg.linear_team = xstrdup(arg);
		} else if (!strcmp(line, "call")) {
			char *sp = strchr(arg, ' ');
			if (sp)
				*sp++ = '\0';
			c->call = xstrdup(arg);
			c->call_arg = xstrdup_or_null(sp);
		} else if (!strcmp(line, "request")) {
			ALLOC_GROW(c->req, c->req_nr + 1, c->req_alloc);
			memset(&c->req[c->req_nr], 0, sizeof(*c->req));
			c->req[c->req_nr++].op = xstrdup(arg);
		} else if (!strcmp(line, "var") && c->req_nr) {
			pm_strlist_add(&c->req[c->req_nr - 1].vars, arg);
		} else if (!strcmp(line, "doc") && c->req_nr) {
			pm_strlist_add(&c->req[c->req_nr - 1].docs, arg);
		} else if (!strcmp(line, "answer")) {
			status = strtol(arg, NULL, 10);
			in_body = true;
		} else if (!strcmp(line, "result")) {
			c->result = code_of(arg, path, n);
			c->has_result = true;
		} else if (!strcmp(line, "message")) {
			c->message = xstrdup(arg);
		} else if (!strcmp(line, "count")) {
			c->count = strtol(arg, NULL, 10);
		} else {
			fail_msg("%s:%d: unknown directive '%s'", path, n, line);
		}
	}
	if (in_body)
		fail_msg("%s: an answer without 'end'", path);
	strbuf_release(&text);
	strbuf_release(&body);
}

static void release_case(struct data_case *c)
{
	size_t i;

	for (i = 0; i < c->req_nr; i++) {
		free(c->req[i].op);
		pm_strlist_clear(&c->req[i].vars);
		pm_strlist_clear(&c->req[i].docs);
	}
	free(c->req);
	free(c->call);
	free(c->call_arg);
	free(c->message);
	pm_config_release(&c->cfg);
}

/* The requests sent, against the ones the case expects. */
static void check_requests(const struct data_case *c, const char *path)
{
	size_t i, j;

	if (fake_transport_count() != c->req_nr)
		fail_msg("%s: %zu requests sent, %zu expected", path, fake_transport_count(),
		         c->req_nr);
	for (i = 0; i < c->req_nr; i++) {
		const struct fake_request *r = fake_transport_request(i);
		json_t *body = json_loads(r->body, 0, NULL);
		json_t *vars = json_object_get(body, "variables");
		const char *doc = json_string_value(json_object_get(body, "query"));

		if (!r->name || strcmp(r->name, c->req[i].op))
			fail_msg("%s: request %zu is '%s', expected '%s'", path, i + 1,
			         r->name ? r->name : "(none)", c->req[i].op);
		for (j = 0; j < c->req[i].vars.nr; j++) {
			char *name = xstrdup(c->req[i].vars.v[j]), *want = strchr(name, ' ');
			const char *got;
			if (want)
				*want++ = '\0';
			got = json_string_value(json_object_get(vars, name));
			if (!got || strcmp(got, want ? want : ""))
				fail_msg("%s: request %zu: variable %s is '%s', expected '%s'",
				         path, i + 1, name, got ? got : "(none)", want ? want : "");
			free(name);
		}
		for (j = 0; j < c->req[i].docs.nr; j++)
			if (!doc || !strstr(doc, c->req[i].docs.v[j]))
				fail_msg("%s: request %zu: the document lacks '%s'", path, i + 1,
				         c->req[i].docs.v[j]);
		json_decref(body);
	}
}

static void run_case(const char *path)
{
	struct data_case c;
	struct tracker *t = NULL;
	struct tracker_tickets out = {NULL, 0, 0};
	struct tracker_options o = {0};
	struct http_clock clock = fake_clock(1700000000000LL);
	int rc = 0;

	memset(&c, 0, sizeof(c));
	fake_transport_reset();
	pm_error_clear();
	setenv("LINEAR_API_KEY", "lin_api_test", 1);
	unsetenv("LINEAR_ACCESS_TOKEN");
	read_case(&c, path);
	if (tracker_open(&t, &c.cfg, &o) < 0)
		fail_msg("%s: tracker_open: %s", path, pm_error_message());
	http_client_set_clock(linear_tracker_http(t), &clock);
	if (!c.call)
		fail_msg("%s: no 'call'", path);
	else if (!strcmp(c.call, "prepare"))
		rc = t->ops->prepare(t);
	else if (!strcmp(c.call, "list_managed"))
		rc = t->ops->list_managed(t, &out);
	else if (!strcmp(c.call, "owns_ref"))
		rc = t->ops->prepare(t) < 0 ? -1 : t->ops->owns_ref(t, c.call_arg);
	else
		fail_msg("%s: unknown call '%s'", path, c.call);
	check_requests(&c, path);
	if (c.has_result && rc != c.result)
		fail_msg("%s: result %d, expected %d (%s)", path, rc, c.result, pm_error_message());
	if (c.message && !strstr(pm_error_message(), c.message))
		fail_msg("%s: message '%s' lacks '%s'", path, pm_error_message(), c.message);
	if (c.count >= 0 && (long)out.nr != c.count)
		fail_msg("%s: %zu tickets, expected %ld", path, out.nr, c.count);
	if (strstr(pm_error_message(), "lin_api_test"))
		fail_msg("%s: the token is in the message", path);
	tracker_tickets_release(&out);
	tracker_free(t);
	release_case(&c);
	fake_transport_reset();
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every case of every connector's folder, in name order. */
static void test_data_cases(void **unused)
{
	static const char *const folders[] = {"linear"};
	size_t f, i, total = 0;

	(void)unused;
	for (f = 0; f < sizeof(folders) / sizeof(*folders); f++) {
		char *dir = xasprintf("%s/%s", DATA_DIR, folders[f]);
		struct pm_strlist names = {0};
		struct dirent *de;
		DIR *d = opendir(dir);

		if (!d)
			fail_msg("%s: cannot open", dir);
		while ((de = readdir(d)))
			if (strstr(de->d_name, ".test"))
				pm_strlist_add(&names, de->d_name);
		closedir(d);
		if (names.nr > 1)
			qsort(names.v, names.nr, sizeof(*names.v), cmp_name);
		for (i = 0; i < names.nr; i++) {
			char *path = xasprintf("%s/%s", dir, names.v[i]);
			print_message("case %s\n", path);
			run_case(path);
			free(path);
			total++;
		}
		pm_strlist_clear(&names);
		free(dir);
	}
	assert_true(total > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_data_cases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
