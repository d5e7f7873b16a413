/*
 * Unit tests of the Linear connector over the fake transport: the requests
 * each operation sends (names, variables, headers, batching) and how every
 * kind of answer is read (pages, GraphQL errors, HTTP statuses, bad JSON,
 * partial failures of aliased mutations), the dry-run guard for each
 * mutation, and a complexity estimate of every document sent, after the
 * rule Linear publishes: 1 point per object, 0.1 per scalar, a
 * connection's contents multiplied by its `first`.
 */
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
#include "connectors/linear/linear.h"
#include "connectors/retry.h"
#include "connectors/tracker.h"
#include "tests/unit/fake_transport.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define NOW 1700000000000LL
#define SUBTITLE "pmsync acme/payments"

/*
 * Every document sent by any test, for the complexity test at the end, and
 * every request, in the shared contract checker's format.
 */
static struct pm_strlist seen_docs;
static struct pm_strlist seen_bodies;
static struct strbuf all_requests = STRBUF_INIT;

static void harvest(void)
{
	size_t i;

	for (i = 0; i < fake_transport_count(); i++) {
		const struct fake_request *r = fake_transport_request(i);
		json_t *body = json_loads(r->body, 0, NULL);
		const char *q = json_string_value(json_object_get(body, "query"));
		json_t *line = json_object(), *headers = json_object();
		if (q && !pm_strlist_has_ci(&seen_docs, q)) {
			pm_strlist_add(&seen_docs, q);
			pm_strlist_add(&seen_bodies, r->body);
		}
		json_object_set_new(headers, "authorization",
		                    json_string(http_headers_get(&r->headers, "Authorization")));
		json_object_set_new(line, "method", json_string(r->method));
		json_object_set_new(line, "url", json_string(r->url));
		json_object_set_new(line, "headers", headers);
		json_object_set_new(line, "body", json_string(r->body));
		{
			char *text = json_dumps(line, JSON_COMPACT);
			strbuf_addstr(&all_requests, text);
			strbuf_addch(&all_requests, '\n');
			free(text);
		}
		json_decref(line);
		json_decref(body);
	}
	fake_transport_reset();
}

/* Fixtures. */

struct fixture {
	struct pm_config cfg;
	struct tracker *t;
	struct strbuf log;
};

static void log_line(void *data, const char *line)
{
	struct strbuf *sb = data;

	strbuf_addstr(sb, line);
	strbuf_addch(sb, '\n');
}

static void open_tracker(struct fixture *f, bool dry_run)
{
	struct tracker_options o = {dry_run, log_line, &f->log, 0, NULL, 0};
	struct http_clock clock = fake_clock(NOW);

	if (tracker_open(&f->t, &f->cfg, &o) < 0)
		fail_msg("tracker_open: %s", pm_error_message());
	http_client_set_clock(linear_tracker_http(f->t), &clock);
}

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));

	pm_config_init(&f->cfg);
	f->cfg.tracker = PM_TRACKER_LINEAR;
	f->cfg.linear_team = xstrdup("ENG");
	f->cfg.repo_id = xstrdup("acme/payments");
	strbuf_init(&f->log, 0);
	setenv("LINEAR_API_KEY", "lin_api_test", 1);
	unsetenv("LINEAR_ACCESS_TOKEN");
	fake_transport_reset();
	open_tracker(f, false);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	harvest();
	assert_null(strstr(f->log.buf, "lin_api_test"));
	tracker_free(f->t);
	pm_config_release(&f->cfg);
	strbuf_release(&f->log);
	free(f);
	return 0;
}

static const char viewer_ok[] =
        "{\"data\":{\"viewer\":{\"id\":\"u-alice\",\"name\":\"Alice Example\",\"email\":"
        "\"alice@example.com\",\"organization\":{\"id\":\"o1\",\"name\":\"Acme\",\"urlKey\":"
        "\"acme\"}}}}";

static const char team_ok[] =
        "{\"data\":{\"team\":{\"nodes\":[{\"id\":\"t-eng\",\"key\":\"ENG\",\"name\":"
        "\"Engineering\","
        "\"states\":{\"nodes\":["
        "{\"id\":\"s-backlog\",\"name\":\"Backlog\",\"type\":\"backlog\",\"position\":1},"
        "{\"id\":\"s-done\",\"name\":\"Done\",\"type\":\"completed\",\"position\":4},"
        "{\"id\":\"s-wont\",\"name\":\"Won't do\",\"type\":\"canceled\",\"position\":7},"
        "{\"id\":\"s-canceled\",\"name\":\"Canceled\",\"type\":\"canceled\",\"position\":5},"
        "{\"id\":\"s-dup\",\"name\":\"Duplicate\",\"type\":\"duplicate\",\"position\":6}]}}]},"
        "\"teams\":{\"nodes\":[{\"id\":\"t-eng\",\"key\":\"ENG\"},{\"id\":\"t-ops\",\"key\":"
        "\"OPS\"}]}}}";

static const char team_missing[] =
        "{\"data\":{\"team\":{\"nodes\":[]},\"teams\":{\"nodes\":[{\"id\":\"t-ops\",\"key\":"
        "\"OPS\"},{\"id\":\"t-sre\",\"key\":\"SRE\"}]}}}";

static const char labels_ok[] =
        "{\"data\":{\"issueLabels\":{\"nodes\":["
        "{\"id\":\"l-pmsync\",\"name\":\"pmsync\",\"isGroup\":false,\"team\":null},"
        "{\"id\":\"l-test\",\"name\":\"Lever:Test\",\"isGroup\":false,\"team\":{\"id\":\"t-eng\"}},"
        "{\"id\":\"l-area\",\"name\":\"lever:group\",\"isGroup\":true,\"team\":null}],"
        "\"pageInfo\":{\"hasNextPage\":false,\"endCursor\":\"lc1\"}}}}";

static const char labels_without_pmsync[] =
        "{\"data\":{\"issueLabels\":{\"nodes\":["
        "{\"id\":\"l-test\",\"name\":\"lever:test\",\"isGroup\":false,\"team\":{\"id\":\"t-eng\"}}]"
        ","
        "\"pageInfo\":{\"hasNextPage\":false,\"endCursor\":null}}}}";

static void queue_prepare(void)
{
	fake_transport_queue(200, NULL, viewer_ok);
	fake_transport_queue(200, NULL, team_ok);
	fake_transport_queue(200, NULL, labels_ok);
}

static void prepare_ok(struct fixture *f)
{
	queue_prepare();
	if (f->t->ops->prepare(f->t) < 0)
		fail_msg("prepare: %s", pm_error_message());
}

struct issue_spec {
	const char *id, *ident, *state_type;
	const char *completed, *canceled, *auto_closed, *archived;
	bool trashed;
};

/* An issue node whose labelIds hold label_ids (JSON array contents). */
static char *issue_json_labels(const struct issue_spec *s, const char *label_ids)
{
#define Q(x) ((x) ? "\"" : ""), ((x) ? (x) : "null"), ((x) ? "\"" : "")
	return xasprintf(
	        "{\"id\":\"%s\",\"identifier\":\"%s\",\"url\":\"https://linear.app/acme/issue/%s/"
	        "x\","
	        "\"title\":\"Title %s\",\"description\":\"Desc\",\"dueDate\":\"2024-05-01\","
	        "\"priority\":2,\"labelIds\":[%s],\"archivedAt\":%s%s%s,"
	        "\"createdAt\":\"2024-03-01T00:00:00.000Z\",\"completedAt\":%s%s%s,"
	        "\"canceledAt\":%s%s%s,\"autoClosedAt\":%s%s%s,\"trashed\":%s,"
	        "\"state\":{\"id\":\"s\",\"name\":\"State\",\"type\":\"%s\"},"
	        "\"assignee\":{\"id\":\"u-alice\",\"email\":\"alice@example.com\"},"
	        "\"team\":{\"id\":\"t-eng\",\"key\":\"ENG\"}}",
	        s->id, s->ident, s->ident, s->ident, label_ids, Q(s->archived), Q(s->completed),
	        Q(s->canceled), Q(s->auto_closed), s->trashed ? "true" : "null", s->state_type);
#undef Q
}

static char *issue_json(const struct issue_spec *s)
{
	return issue_json_labels(s, "\"l-pmsync\",\"l-test\"");
}

static char *marker_json(const char *key, const char *subtitle, const char *updated)
{
	return xasprintf(
	        "{\"id\":\"a-%s\",\"url\":\"https://git.example.com/acme/payments/blob/main/docs/"
	        "postmortems/db.md#pmsync-%s\",\"title\":\"Postmortem: DB outage\",\"subtitle\":"
	        "\"%s\",\"metadata\":{\"pmsync\":1,\"repo\":\"acme/payments\",\"key\":\"%s\","
	        "\"path\":\"docs/postmortems/db.md\",\"written\":\"{\\\"title\\\":\\\"T %s\\\","
	        "\\\"description\\\":null,\\\"assigneeId\\\":\\\"u-alice\\\",\\\"dueDate\\\":"
	        "\\\"2024-05-01\\\",\\\"priority\\\":2,\\\"labels\\\":[\\\"lever:test\\\","
	        "\\\"pmsync\\\"]}\"},\"createdAt\":\"2024-03-01T00:00:00.000Z\",\"updatedAt\":\"%"
	        "s\"}",
	        key, key, subtitle, key, key, updated);
}

/* An attachments node: the marker with its issue. */
static void add_att(struct strbuf *sb, const char *key, const char *subtitle, const char *updated,
                    const struct issue_spec *s)
{
	char *m = marker_json(key, subtitle, updated), *i = issue_json(s);

	if (sb->len)
		strbuf_addch(sb, ',');
	/* splice "issue" into the marker object */
	strbuf_add(sb, m, strlen(m) - 1);
	strbuf_addf(sb, ",\"issue\":%s}", i);
	free(m);
	free(i);
}

static void queue_page(const char *nodes, const char *next_cursor)
{
	char *body = xasprintf("{\"data\":{\"attachments\":{\"nodes\":[%s],\"pageInfo\":{"
	                       "\"hasNextPage\":%s,\"endCursor\":%s%s%s}}}}",
	                       nodes, next_cursor ? "true" : "false", next_cursor ? "\"" : "",
	                       next_cursor ? next_cursor : "null", next_cursor ? "\"" : "");
	fake_transport_queue(200, NULL, body);
	free(body);
}

static json_t *request_json(size_t i)
{
	const struct fake_request *r = fake_transport_request(i);
	json_t *v;

	assert_non_null(r);
	v = json_loads(r->body, 0, NULL);
	assert_non_null(v);
	return v;
}

static const char *op_of(size_t i)
{
	const struct fake_request *r = fake_transport_request(i);

	return r ? r->name : "(none)";
}

/* Tests: preparation and auth. */

static void test_prepare(void **state)
{
	struct fixture *f = *state;
	const struct fake_request *r;
	json_t *body;

	prepare_ok(f);
	assert_int_equal(fake_transport_count(), 3);
	assert_string_equal(op_of(0), "Viewer");
	assert_string_equal(op_of(1), "TeamByKey");
	assert_string_equal(op_of(2), "Labels");
	assert_int_equal(f->t->requests, 3);
	r = fake_transport_request(0);
	assert_string_equal(r->method, "POST");
	assert_string_equal(r->url, "https://api.linear.app/graphql");
	assert_string_equal(http_headers_get(&r->headers, "Authorization"), "lin_api_test");
	assert_string_equal(http_headers_get(&r->headers, "Content-Type"), "application/json");
	body = request_json(1);
	assert_string_equal(json_string_value(json_object_get(body, "operationName")), "TeamByKey");
	assert_string_equal(
	        json_string_value(json_object_get(json_object_get(body, "variables"), "key")),
	        "ENG");
	json_decref(body);
	body = request_json(2);
	assert_string_equal(
	        json_string_value(json_object_get(json_object_get(body, "variables"), "teamId")),
	        "t-eng");
	assert_true(json_is_null(json_object_get(json_object_get(body, "variables"), "after")));
	json_decref(body);
	/* prepared once */
	assert_int_equal(f->t->ops->prepare(f->t), 0);
	assert_int_equal(fake_transport_count(), 3);
}

/* prepare reads and never writes: a missing label is made when first used. */
static void test_prepare_creates_nothing(void **state)
{
	struct fixture *f = *state;

	fake_transport_queue(200, NULL, viewer_ok);
	fake_transport_queue(200, NULL, team_ok);
	fake_transport_queue(200, NULL, labels_without_pmsync);
	assert_int_equal(f->t->ops->prepare(f->t), 0);
	assert_int_equal(fake_transport_count(), 3);
}

static void test_prepare_dry_run(void **state)
{
	struct fixture *f = *state;

	tracker_free(f->t);
	open_tracker(f, true);
	fake_transport_queue(200, NULL, viewer_ok);
	fake_transport_queue(200, NULL, team_ok);
	fake_transport_queue(200, NULL, labels_without_pmsync);
	assert_int_equal(f->t->ops->prepare(f->t), 0);
	assert_int_equal(fake_transport_count(), 3);
}

static void test_team_not_found(void **state)
{
	struct fixture *f = *state;

	fake_transport_queue(200, NULL, viewer_ok);
	fake_transport_queue(200, NULL, team_missing);
	assert_int_equal(f->t->ops->prepare(f->t), PM_ECONFIG);
	assert_string_equal(pm_error_message(), "linear: team 'ENG' not found: set linear.team in "
	                                        ".pmsync.conf to one of: OPS, SRE");
}

static const char unauthenticated[] =
        "{\"errors\":[{\"message\":\"Authentication required, not authenticated\","
        "\"extensions\":{\"type\":\"authentication error\",\"code\":\"AUTHENTICATION_ERROR\","
        "\"statusCode\":401,\"userPresentableMessage\":\"You need to authenticate to access this "
        "operation.\"}}]}";

static void test_auth(void **state)
{
	struct fixture *f = *state;
	const struct fake_request *r;

	fake_transport_queue(401, NULL, unauthenticated);
	assert_int_equal(f->t->ops->prepare(f->t), PM_EAUTH);
	assert_string_equal(pm_error_message(),
	                    "linear: Viewer: HTTP 401: token rejected: check LINEAR_API_KEY "
	                    "(Settings > Security & access > Personal API keys)");
	/* the status and Linear's words travel apart from the message */
	assert_int_equal(pm_error_status(), 401);
	assert_string_equal(pm_error_detail(),
	                    "token rejected: check LINEAR_API_KEY "
	                    "(Settings > Security & access > Personal API keys)");
	assert_int_equal(fake_transport_count(), 1); /* never retried */
	harvest();

	/* an OAuth token goes as Bearer */
	tracker_free(f->t);
	unsetenv("LINEAR_API_KEY");
	setenv("LINEAR_ACCESS_TOKEN", " oauth-token-123\n", 1);
	open_tracker(f, false);
	fake_transport_queue(401, NULL, unauthenticated);
	assert_int_equal(f->t->ops->prepare(f->t), PM_EAUTH);
	r = fake_transport_request(0);
	assert_string_equal(http_headers_get(&r->headers, "Authorization"),
	                    "Bearer oauth-token-123");
	assert_non_null(strstr(pm_error_message(), "check LINEAR_ACCESS_TOKEN"));
	harvest();

	/* a personal key pasted with "Bearer " goes bare */
	tracker_free(f->t);
	setenv("LINEAR_API_KEY", "Bearer lin_api_test", 1);
	open_tracker(f, false);
	fake_transport_queue(200, NULL, viewer_ok);
	fake_transport_queue(200, NULL, team_missing);
	f->t->ops->prepare(f->t);
	r = fake_transport_request(0);
	assert_string_equal(http_headers_get(&r->headers, "Authorization"), "lin_api_test");
	harvest();

	/* no token */
	tracker_free(f->t);
	f->t = NULL;
	unsetenv("LINEAR_API_KEY");
	unsetenv("LINEAR_ACCESS_TOKEN");
	{
		struct tracker *t = NULL;
		assert_int_equal(tracker_open(&t, &f->cfg, NULL), PM_EAUTH);
		assert_null(t);
		assert_string_equal(pm_error_message(),
		                    "linear: no token: set LINEAR_API_KEY (a personal API key) or "
		                    "LINEAR_ACCESS_TOKEN (an OAuth access token)");
		setenv("LINEAR_API_KEY", "lin_api_test", 1);
		free(f->cfg.linear_url);
		f->cfg.linear_url = xstrdup("http://api.example.com/graphql");
		assert_int_equal(tracker_open(&t, &f->cfg, NULL), PM_ECONFIG);
		free(f->cfg.linear_url);
		f->cfg.linear_url = xstrdup("http://127.0.0.1:4000/graphql");
		/* committed, it may name only api.linear.app; chosen, this machine too */
		assert_int_equal(tracker_open(&t, &f->cfg, NULL), PM_ECONFIG);
		f->cfg.chosen |= PM_CHOSEN_LINEAR_URL;
		assert_int_equal(tracker_open(&t, &f->cfg, NULL), 0);
		f->t = t;
	}
}

/* Tests: listing. */

static void test_list_pages(void **state)
{
	struct fixture *f = *state;
	struct tracker_tickets out = {NULL, 0, 0};
	struct issue_spec a = {"i-a", "ENG-1", "started", NULL, NULL, NULL, NULL, false};
	struct issue_spec b = {"i-b",
	                       "ENG-2",
	                       "completed",
	                       "2024-04-01T00:00:00.000Z",
	                       NULL,
	                       NULL,
	                       "2024-06-01T00:00:00.000Z",
	                       false};
	struct issue_spec c = {"i-c",
	                       "ENG-3",
	                       "canceled",
	                       NULL,
	                       "2024-04-02T00:00:00.000Z",
	                       "2024-04-02T00:00:00.000Z",
	                       NULL,
	                       false};
	struct issue_spec d = {"i-d", "OPS-4", "duplicate", NULL, NULL, NULL, NULL, false};
	struct issue_spec e = {"i-e", "ENG-5", "backlog", NULL, NULL, NULL, NULL, true};
	struct issue_spec g = {"i-g", "ENG-6", "someNewType", NULL, NULL, NULL, NULL, false};
	struct strbuf p1 = STRBUF_INIT, p2 = STRBUF_INIT, p3 = STRBUF_INIT;
	const struct tracker_ticket *t;
	json_t *body;

	prepare_ok(f);
	add_att(&p1, "k1", SUBTITLE, "2024-03-01T00:00:00.000Z", &a);
	add_att(&p1, "k2", SUBTITLE, "2024-03-01T00:00:00.000Z", &b);
	/* a second marker on issue a, for another item: a conflict, the first stays */
	add_att(&p2, "k9", SUBTITLE, "2024-03-09T00:00:00.000Z", &a);
	add_att(&p2, "k3", SUBTITLE, "2024-03-01T00:00:00.000Z", &c);
	/* a newer marker of the same item (the postmortem moved): it wins */
	add_att(&p2, "k2", SUBTITLE, "2024-05-01T00:00:00.000Z", &b);
	add_att(&p3, "k4", SUBTITLE, "2024-03-01T00:00:00.000Z", &d);
	add_att(&p3, "k5", SUBTITLE, "2024-03-01T00:00:00.000Z", &e);
	add_att(&p3, "k6", SUBTITLE, "2024-03-01T00:00:00.000Z", &g);
	/* not ours: another repository's subtitle */
	add_att(&p3, "k7", "pmsync acme/other", "2024-03-01T00:00:00.000Z", &g);
	queue_page(p1.buf, "c1");
	queue_page(p2.buf, "c2");
	queue_page(p3.buf, NULL);

	assert_int_equal(f->t->ops->list_managed(f->t, &out), 0);
	assert_int_equal(fake_transport_count(), 6);
	assert_int_equal(fake_transport_count_op("ManagedAttachments"), 3);
	body = request_json(4);
	assert_string_equal(
	        json_string_value(json_object_get(json_object_get(body, "variables"), "after")),
	        "c1");
	assert_string_equal(
	        json_string_value(json_object_get(json_object_get(body, "variables"), "subtitle")),
	        SUBTITLE);
	json_decref(body);
	body = request_json(5);
	assert_string_equal(
	        json_string_value(json_object_get(json_object_get(body, "variables"), "after")),
	        "c2");
	json_decref(body);

	assert_int_equal(out.nr, 6);
	t = &out.v[0];
	assert_string_equal(t->id, "i-a");
	assert_string_equal(t->ref, "ENG-1");
	assert_int_equal(t->status, TRACKER_OPEN);
	assert_true(t->has_marker);
	assert_string_equal(t->marker.item_key, "k1");
	assert_string_equal(t->other_marker_key, "k9");
	assert_string_equal(t->marker.repo_id, "acme/payments");
	assert_string_equal(t->marker.pm_path, "docs/postmortems/db.md");
	assert_true(t->marker.has_written);
	assert_string_equal(t->marker.written.title, "T k1");
	assert_null(t->marker.written.description);
	assert_int_equal(t->marker.written.priority, 2);
	assert_int_equal(t->marker.written.labels.nr, 2);
	assert_int_equal(t->fields.labels.nr, 2);
	assert_string_equal(t->fields.labels.v[0], "Lever:Test");
	assert_string_equal(t->fields.labels.v[1], "pmsync");
	assert_string_equal(t->fields.title, "Title ENG-1");
	assert_string_equal(t->fields.due, "2024-05-01");
	assert_string_equal(t->fields.assignee_id, "u-alice");
	assert_int_equal(t->fields.priority, 2);
	assert_false(t->archived);

	t = &out.v[1];
	assert_int_equal(t->status, TRACKER_DONE);
	assert_string_equal(t->closed_at, "2024-04-01T00:00:00.000Z");
	assert_true(t->archived);
	assert_string_equal(t->marker.written.title, "T k2");
	assert_null(t->other_marker_key);

	t = &out.v[2];
	assert_int_equal(t->status, TRACKER_AUTOCLOSED);
	t = &out.v[3];
	assert_int_equal(t->status, TRACKER_CANCELED); /* duplicate */
	assert_string_equal(t->ref, "OPS-4");          /* moved to another team: still found */
	t = &out.v[4];
	assert_int_equal(t->status, TRACKER_CANCELED); /* trashed */
	assert_true(t->archived);
	t = &out.v[5];
	assert_int_equal(t->status, TRACKER_OPEN); /* unknown state types read as open */

	tracker_tickets_release(&out);
	strbuf_release(&p1);
	strbuf_release(&p2);
	strbuf_release(&p3);
}

struct answer_case {
	const char *name;
	long status;
	const char *headers;
	const char *body;
	int repeat; /* queued this many times (retries) */
	int code;
	const char *message; /* a substring of the recorded message */
};

static const struct answer_case answers[] = {
        {"graphql error with 200", 200, NULL,
         "{\"data\":null,\"errors\":[{\"message\":\"Argument Validation Error\",\"path\":["
         "\"attachments\"],\"extensions\":{\"code\":\"INPUT_ERROR\",\"userPresentableMessage\":"
         "\"subtitle must be a string.\"}}]}",
         1, PM_ETRACKER, "linear: ManagedAttachments: HTTP 200: subtitle must be a string."},
        {"partial data with errors", 200, NULL,
         "{\"data\":{\"attachments\":{\"nodes\":[],\"pageInfo\":{\"hasNextPage\":false}}},"
         "\"errors\":[{\"message\":\"Something odd\"}]}",
         1, PM_ETRACKER, "HTTP 200: Something odd"},
        {"404 html", 404, NULL, "<html>Not Found</html>", 1, PM_ETRACKER,
         "linear: ManagedAttachments: HTTP 404: the response is not JSON"},
        {"bad json", 200, NULL, "{\"data\": {nope}", 1, PM_ENET,
         "linear: ManagedAttachments: response: invalid JSON"},
        {"truncated json", 200, NULL, "{\"data\":{\"attachments\":{\"nodes\":[{\"id\":\"a", 1,
         PM_ENET, "linear: ManagedAttachments: response: invalid JSON"},
        {"array", 200, NULL, "[]", 1, PM_ENET,
         "linear: ManagedAttachments: response: expected object, got array"},
        {"null data", 200, NULL, "{\"data\":null}", 1, PM_ENET,
         "linear: ManagedAttachments: HTTP 200: the response holds no data"},
        {"wrong shape", 200, NULL, "{\"data\":{\"attachments\":{\"nodes\":{}}}}", 1, PM_ENET,
         "'data.attachments.nodes': expected array, got object"},
        {"usage limit", 400, NULL,
         "{\"errors\":[{\"message\":\"Usage limit exceeded\",\"extensions\":{\"code\":"
         "\"USAGE_LIMIT_EXCEEDED\",\"userError\":true,\"userPresentableMessage\":\"Your workspace "
         "reached its issue limit.\"}}]}",
         1, PM_ETRACKER, "HTTP 400: Your workspace reached its issue limit."},
        {"forbidden", 403, NULL,
         "{\"errors\":[{\"message\":\"Forbidden\",\"extensions\":{\"type\":\"forbidden\"}}]}", 1,
         PM_EAUTH, "HTTP 403: Forbidden"},
        {"5xx exhausted", 502, NULL, "<html>bad gateway</html>", 5, PM_ENET,
         "linear: ManagedAttachments: HTTP 502: the response is not JSON"},
        {"rate limit exhausted", 400,
         "X-RateLimit-Requests-Remaining: 0\nX-RateLimit-Requests-Reset: 1700000001000",
         "{\"errors\":[{\"message\":\"Rate limit exceeded\",\"extensions\":{\"code\":"
         "\"RATELIMITED\"}}]}",
         5, PM_ERATELIMIT, "HTTP 400: Rate limit exceeded"},
};

static void test_answers(void **state)
{
	struct fixture *f = *state;
	size_t i;
	int k;

	prepare_ok(f);
	for (i = 0; i < sizeof(answers) / sizeof(*answers); i++) {
		const struct answer_case *c = &answers[i];
		struct tracker_tickets out = {NULL, 0, 0};
		int rc;

		harvest();
		for (k = 0; k < c->repeat; k++)
			fake_transport_queue(c->status, c->headers, c->body);
		rc = f->t->ops->list_managed(f->t, &out);
		if (rc != c->code || !strstr(pm_error_message(), c->message))
			fail_msg("%s: rc %d, '%s'", c->name, rc, pm_error_message());
		if ((int)fake_transport_count() != c->repeat || fake_transport_pending())
			fail_msg("%s: %zu requests", c->name, fake_transport_count());
		assert_int_equal(out.nr, 0);
		tracker_tickets_release(&out);
	}
}

static void test_path_in_message(void **state)
{
	struct fixture *f = *state;
	struct tracker_tickets out = {NULL, 0, 0};
	struct issue_spec a = {"i-a", "ENG-1", "started", NULL, NULL, NULL, NULL, false};
	struct strbuf p = STRBUF_INIT;
	char *body;

	prepare_ok(f);
	add_att(&p, "k1", SUBTITLE, "2024-03-01T00:00:00.000Z", &a);
	add_att(&p, "k2", SUBTITLE, "2024-03-01T00:00:00.000Z", &a);
	/* the second node's issue title becomes null */
	body = xstrdup(p.buf);
	{
		char *second = strstr(strstr(body, "\"k2\""), "\"title\":\"Title ENG-1\"");
		assert_non_null(second);
		memcpy(second, "\"title\":null         ", 21);
	}
	queue_page(body, NULL);
	assert_int_equal(f->t->ops->list_managed(f->t, &out), PM_ENET);
	assert_string_equal(pm_error_message(),
	                    "linear: ManagedAttachments: response: "
	                    "'data.attachments.nodes[1].issue.title': expected string, got null");
	tracker_tickets_release(&out);
	strbuf_release(&p);
	free(body);
}

static void test_body_over_cap(void **state)
{
	struct fixture *f = *state;
	struct tracker_tickets out = {NULL, 0, 0};
	size_t n = HTTP_DEFAULT_MAX_BODY + 1;
	char *big = xmalloc(n + 1);

	prepare_ok(f);
	memset(big, ' ', n);
	big[n] = '\0';
	fake_transport_queue(200, NULL, big);
	free(big);
	assert_int_equal(f->t->ops->list_managed(f->t, &out), PM_ENET);
	assert_non_null(strstr(pm_error_message(), "linear: ManagedAttachments: response too "
	                                           "large"));
	assert_int_equal(fake_transport_count(), 4);
	tracker_tickets_release(&out);
}

static void test_retried_then_success(void **state)
{
	struct fixture *f = *state;
	struct tracker_tickets out = {NULL, 0, 0};
	struct issue_spec a = {"i-a", "ENG-1", "started", NULL, NULL, NULL, NULL, false};
	struct strbuf p = STRBUF_INIT;

	prepare_ok(f);
	add_att(&p, "k1", SUBTITLE, "2024-03-01T00:00:00.000Z", &a);
	fake_transport_queue(400,
	                     "X-RateLimit-Requests-Remaining: 0\n"
	                     "X-RateLimit-Requests-Reset: 1700000007000",
	                     "{\"errors\":[{\"message\":\"Rate limit exceeded\",\"extensions\":{"
	                     "\"code\":\"RATELIMITED\"}}]}");
	fake_transport_queue(503, NULL, "unavailable");
	queue_page(p.buf, NULL);
	assert_int_equal(f->t->ops->list_managed(f->t, &out), 0);
	assert_int_equal(out.nr, 1);
	assert_int_equal(fake_transport_count(), 6);
	assert_int_equal(fake_clock_state.slept[0], 7000);
	assert_non_null(strstr(f->log.buf, "retrying ManagedAttachments in 7000 ms: rate limited"));
	tracker_tickets_release(&out);
	strbuf_release(&p);
}

static void test_get_by_ids_and_refs(void **state)
{
	struct fixture *f = *state;
	struct tracker_tickets out = {NULL, 0, 0};
	struct issue_spec a = {"i-a", "ENG-12", "started", NULL, NULL, NULL, NULL, false};
	const char *ids[] = {"i-a", "", NULL, "i-b"};
	const char *refs[] = {"ENG-12", "https://linear.app/acme/issue/eng-13/a-title", "eng-12",
	                      "not a ref", "https://github.com/acme/x/issues/1"};
	char *issue = issue_json(&a), *m = marker_json("k1", SUBTITLE, "2024-03-01T00:00:00Z");
	char *other = marker_json("k8", "pmsync acme/other", "2024-03-01T00:00:00Z");
	char *body;
	json_t *req, *vars, * or ;

	prepare_ok(f);
	/* the issue with its markers, one of another repository */
	body = xasprintf(
	        "{\"data\":{\"issues\":{\"nodes\":[%.*s,\"attachments\":{\"nodes\":[%s,%s]}}"
	        "]}}}",
	        (int)strlen(issue) - 1, issue, other, m);
	fake_transport_queue(200, NULL, body);
	assert_int_equal(f->t->ops->get_by_ids(f->t, &out, ids, 4), 0);
	assert_int_equal(out.nr, 1);
	assert_true(out.v[0].has_marker);
	assert_string_equal(out.v[0].marker.item_key, "k1");
	req = request_json(3);
	vars = json_object_get(req, "variables");
	assert_int_equal(json_array_size(json_object_get(vars, "ids")), 2);
	assert_int_equal(json_integer_value(json_object_get(vars, "first")), 2);
	assert_string_equal(json_string_value(json_object_get(vars, "subtitle")), SUBTITLE);
	json_decref(req);
	tracker_tickets_release(&out);

	fake_transport_queue(200, NULL, body);
	assert_int_equal(f->t->ops->get_by_refs(f->t, &out, refs, 5), 0);
	assert_int_equal(out.nr, 1);
	req = request_json(4);
	assert_string_equal(json_string_value(json_object_get(req, "operationName")),
	                    "IssuesByRefs");
	vars = json_object_get(req, "variables");
	or = json_object_get(vars, "or");
	/* ENG-12 (twice, once lower case) and ENG-13 from the URL */
	assert_int_equal(json_array_size(or), 2);
	assert_string_equal(
	        json_string_value(json_object_get(
	                json_object_get(json_object_get(json_array_get(or, 1), "team"), "key"),
	                "eq")),
	        "ENG");
	assert_int_equal(json_integer_value(json_object_get(
	                         json_object_get(json_array_get(or, 1), "number"), "eq")),
	                 13);
	assert_int_equal(json_integer_value(json_object_get(vars, "first")), 2);
	json_decref(req);
	tracker_tickets_release(&out);

	/* nothing valid: nothing sent (no filter from empty values) */
	assert_int_equal(f->t->ops->get_by_refs(f->t, &out, refs + 3, 2), 0);
	assert_int_equal(f->t->ops->get_by_ids(f->t, &out, ids + 1, 2), 0);
	assert_int_equal(fake_transport_count(), 5);
	free(issue);
	free(m);
	free(other);
	free(body);
}

/* Tests: writing. */

static void fields_set(struct tracker_fields *fl, const char *title, const char *label2)
{
	tracker_fields_init(fl);
	fl->title = xstrdup(title);
	fl->description = xstrdup("Runbook: *restart* {the} \"db\"");
	fl->assignee_id = xstrdup("u-alice");
	fl->due = xstrdup("2024-06-30");
	fl->priority = 3;
	pm_strlist_add(&fl->labels, "pmsync");
	if (label2)
		pm_strlist_add(&fl->labels, label2);
}

static void marker_set(struct tracker_marker *m, const char *key)
{
	memset(m, 0, sizeof(*m));
	tracker_fields_init(&m->written);
	m->repo_id = xstrdup("acme/payments");
	m->item_key = xstrdup(key);
	m->pm_path = xstrdup("docs/postmortems/db.md");
	m->url = xasprintf("https://git.example.com/acme/payments/blob/main/docs/postmortems/"
	                   "db.md#pmsync-%s",
	                   key);
	m->title = xstrdup("Postmortem: DB outage");
	m->has_written = true;
	fields_set(&m->written, "Add an alert", NULL);
}

static char *created_json(const char *const *ids, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	strbuf_addstr(&sb, "{\"data\":{\"issueBatchCreate\":{\"success\":true,\"issues\":[");
	for (i = 0; i < n; i++) {
		char ident[32];
		struct issue_spec s = {ids[i], ident, "backlog", NULL, NULL, NULL, NULL, false};
		char *j;
		snprintf(ident, sizeof(ident), "ENG-%zu", 100 + i);
		j = issue_json(&s);
		strbuf_addf(&sb, "%s%s", i ? "," : "", j);
		free(j);
	}
	strbuf_addstr(&sb, "]}}}");
	return strbuf_detach(&sb, NULL);
}

/* The position of needle in request i's document, failing when absent. */
static size_t doc_pos(size_t i, const char *needle)
{
	json_t *req = request_json(i);
	const char *q = json_string_value(json_object_get(req, "query"));
	const char *at = strstr(q, needle);
	size_t pos;

	if (!at)
		fail_msg("request %zu: no '%s' in %s", i, needle, q);
	pos = (size_t)(at - q);
	json_decref(req);
	return pos;
}

/* The answer to a batch with its markers in the same document: each marker written. */
static char *created_marked_json(const char *const *ids, size_t n)
{
	char *plain = created_json(ids, n);
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	strbuf_add(&sb, plain, strlen(plain) - 2); /* without the closing "}}" */
	for (i = 0; i < n; i++)
		strbuf_addf(&sb, ",\"m%zu\":{\"success\":true,\"attachment\":{\"id\":\"a%zu\"}}", i,
		            i);
	strbuf_addstr(&sb, "}}");
	free(plain);
	return strbuf_detach(&sb, NULL);
}

static char *success_json(const char *prefix, size_t n, const char *payload)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	strbuf_addstr(&sb, "{\"data\":{");
	for (i = 0; i < n; i++)
		strbuf_addf(&sb, "%s\"%s%zu\":{\"success\":true,%s}", i ? "," : "", prefix, i,
		            payload);
	strbuf_addstr(&sb, "}}");
	return strbuf_detach(&sb, NULL);
}

static void test_create(void **state)
{
	struct fixture *f = *state;
	static const char *const ids[] = {"11111111-1111-4111-8111-111111111111",
	                                  "22222222-2222-4222-8222-222222222222",
	                                  "33333333-3333-4333-8333-333333333333"};
	static const char title[] = "Page {the} on-call \"now\" for $db";
	struct tracker_fields fl[3];
	struct tracker_marker mk[3];
	struct tracker_create c[3];
	struct tracker_outcome out[3];
	struct tracker_tickets created = {NULL, 0, 0};
	char *body;
	json_t *req, *issues, *first;
	const char *query;
	size_t i;

	prepare_ok(f);
	for (i = 0; i < 3; i++) {
		char key[8];
		snprintf(key, sizeof(key), "k%zu", i);
		fields_set(&fl[i], title, i == 2 ? "lever:alert" : "lever:test");
		marker_set(&mk[i], key);
		c[i].id = ids[i];
		c[i].fields = &fl[i];
		c[i].marker = &mk[i];
	}
	fake_transport_queue(200, NULL,
	                     "{\"data\":{\"issueLabelCreate\":{\"success\":true,\"issueLabel\":{"
	                     "\"id\":\"l-alert\",\"name\":\"lever:alert\",\"isGroup\":false,"
	                     "\"team\":{\"id\":\"t-eng\"}}}}}");
	body = created_marked_json((const char *const *)ids, 3);
	fake_transport_queue(200, NULL, body);
	free(body);

	/* the issues and their markers in one document */
	assert_int_equal(f->t->ops->create(f->t, c, 3, &created, out), 0);
	assert_int_equal(fake_transport_count(), 5);
	assert_string_equal(op_of(3), "LabelCreate");
	assert_string_equal(op_of(4), "IssueBatchCreate");
	assert_false(fake_transport_request(4)->idempotent);
	for (i = 0; i < 3; i++) {
		assert_int_equal(out[i].code, 0);
		assert_null(out[i].message);
	}
	assert_int_equal(created.nr, 3);
	assert_string_equal(created.v[2].id, ids[2]);
	assert_true(created.v[2].has_marker);
	assert_string_equal(created.v[2].marker.item_key, "k2");
	assert_string_equal(created.v[2].marker.written.title, "Add an alert");

	req = request_json(4);
	query = json_string_value(json_object_get(req, "query"));
	assert_null(strstr(query, "Page"));
	assert_null(strstr(query, "on-call"));
	assert_null(strstr(query, "Runbook"));
	issues = json_object_get(json_object_get(json_object_get(req, "variables"), "input"),
	                         "issues");
	assert_int_equal(json_array_size(issues), 3);
	first = json_array_get(issues, 0);
	assert_string_equal(json_string_value(json_object_get(first, "title")), title);
	assert_string_equal(json_string_value(json_object_get(first, "id")), ids[0]);
	assert_string_equal(json_string_value(json_object_get(first, "teamId")), "t-eng");
	assert_string_equal(json_string_value(json_object_get(first, "dueDate")), "2024-06-30");
	assert_int_equal(json_integer_value(json_object_get(first, "priority")), 3);
	assert_string_equal(
	        json_string_value(json_array_get(json_object_get(first, "labelIds"), 1)), "l-test");
	assert_string_equal(json_string_value(json_array_get(
	                            json_object_get(json_array_get(issues, 2), "labelIds"), 1)),
	                    "l-alert");
	json_decref(req);

	/* the markers, after the batch: subtitle, url, metadata with `written` as JSON text */
	req = request_json(4);
	query = json_string_value(json_object_get(req, "query"));
	assert_null(strstr(query, "DB outage"));
	assert_true(doc_pos(4, "issueBatchCreate(input: $input)") <
	            doc_pos(4, "m2: attachmentCreate(input: $m2)"));
	first = json_object_get(json_object_get(req, "variables"), "m0");
	assert_string_equal(json_string_value(json_object_get(first, "issueId")), ids[0]);
	assert_string_equal(json_string_value(json_object_get(first, "subtitle")), SUBTITLE);
	assert_non_null(strstr(json_string_value(json_object_get(first, "url")), "#pmsync-k0"));
	first = json_object_get(first, "metadata");
	assert_int_equal(json_integer_value(json_object_get(first, "pmsync")), 1);
	assert_string_equal(json_string_value(json_object_get(first, "key")), "k0");
	assert_string_equal(json_string_value(json_object_get(first, "repo")), "acme/payments");
	assert_string_equal(json_string_value(json_object_get(first, "written")),
	                    "{\"title\":\"Add an alert\",\"description\":\"Runbook: *restart* "
	                    "{the} \\\"db\\\"\",\"assigneeId\":\"u-alice\",\"dueDate\":"
	                    "\"2024-06-30\",\"priority\":3,\"labels\":[\"pmsync\"]}");
	json_decref(req);

	for (i = 0; i < 3; i++) {
		tracker_outcome_release(&out[i]);
		tracker_fields_release(&fl[i]);
		tracker_marker_release(&mk[i]);
	}
	tracker_tickets_release(&created);
}

static void create_one(struct fixture *f, size_t n, struct tracker_tickets *created,
                       struct tracker_outcome *out, int want)
{
	static const char *const ids[] = {"11111111-1111-4111-8111-111111111111",
	                                  "22222222-2222-4222-8222-222222222222"};
	struct tracker_fields fl[2];
	struct tracker_marker mk[2];
	struct tracker_create c[2];
	size_t i;

	for (i = 0; i < n; i++) {
		fields_set(&fl[i], "Fix the thing", "lever:test");
		marker_set(&mk[i], i ? "k1" : "k0");
		c[i].id = ids[i];
		c[i].fields = &fl[i];
		c[i].marker = &mk[i];
	}
	assert_int_equal(f->t->ops->create(f->t, c, n, created, out), want);
	for (i = 0; i < n; i++) {
		tracker_fields_release(&fl[i]);
		tracker_marker_release(&mk[i]);
	}
}

static const char input_error[] =
        "{\"errors\":[{\"message\":\"Argument Validation Error\",\"extensions\":{\"code\":"
        "\"INPUT_ERROR\",\"userError\":true,\"userPresentableMessage\":\"dueDate must be a valid "
        "date.\"}}]}";

static void test_create_failures(void **state)
{
	struct fixture *f = *state;
	static const char *const id0[] = {"11111111-1111-4111-8111-111111111111"};
	struct tracker_tickets created = {NULL, 0, 0};
	struct tracker_outcome out[2];
	char *body;
	long status;

	prepare_ok(f);
	/* 5xx on a create: not retried, may have been applied */
	fake_transport_queue(502, NULL, "<html>bad gateway</html>");
	create_one(f, 1, &created, out, PM_ENET);
	assert_int_equal(fake_transport_count(), 4);
	assert_int_equal(out[0].code, PM_ENET);
	assert_string_equal(out[0].message,
	                    "linear: IssueBatchCreate: HTTP 502: the response is not "
	                    "JSON; the issues may have been created");
	tracker_outcome_release(&out[0]);
	harvest();

	/* a timeout after sending: the same */
	fake_transport_queue_error(HTTP_ETIMEOUT, "Operation timed out");
	create_one(f, 1, &created, out, PM_ENET);
	assert_int_equal(fake_transport_count(), 1);
	assert_non_null(strstr(out[0].message, "may have been applied"));
	tracker_outcome_release(&out[0]);
	harvest();

	/* a refused batch of two: split, the bad one found; answered with 400 or 200, the body decides */
	for (status = 400; status >= 200; status -= 200) {
		char *want =
		        xasprintf("linear: IssueBatchCreate: HTTP %ld: dueDate must be a valid "
		                  "date.",
		                  status);
		fake_transport_queue(status, NULL, input_error);
		body = created_marked_json(id0, 1);
		fake_transport_queue(200, NULL, body);
		free(body);
		fake_transport_queue(status, NULL, input_error);
		create_one(f, 2, &created, out, 0);
		assert_int_equal(fake_transport_count(), 3);
		assert_int_equal(out[0].code, 0);
		assert_int_equal(out[1].code, PM_ETRACKER);
		assert_string_equal(out[1].message, want);
		assert_int_equal(created.nr, 1);
		tracker_outcome_release(&out[0]);
		tracker_outcome_release(&out[1]);
		tracker_tickets_release(&created);
		harvest();
		free(want);
	}

	/* the usage limit stops everything at once */
	fake_transport_queue(400, NULL, answers[8].body);
	create_one(f, 2, &created, out, PM_ETRACKER);
	assert_int_equal(fake_transport_count(), 1);
	assert_int_equal(out[0].code, PM_ETRACKER);
	assert_int_equal(out[1].code, PM_ETRACKER);
	assert_non_null(strstr(out[1].message, "reached its issue limit"));
	tracker_outcome_release(&out[0]);
	tracker_outcome_release(&out[1]);
	harvest();

	/*
	 * created, but its marker failed in the same document: the answer is
	 * nulled, so the issue is read back by id, and its marker written
	 * again; failing again, the ticket is there, has_marker false
	 */
	fake_transport_queue(400, NULL,
	                     "{\"data\":null,\"errors\":[{\"message\":\"Entity not found: Issue\","
	                     "\"path\":[\"m0\"],\"extensions\":{\"code\":\"INPUT_ERROR\"}}]}");
	{
		struct issue_spec s = {id0[0], "ENG-100", "backlog", NULL, NULL, NULL, NULL, false};
		char *issue = issue_json(&s);
		body = xasprintf("{\"data\":{\"issues\":{\"nodes\":[%.*s,\"attachments\":{"
		                 "\"nodes\":[]}}]}}}",
		                 (int)strlen(issue) - 1, issue);
		fake_transport_queue(200, NULL, body);
		free(body);
		free(issue);
	}
	fake_transport_queue(400, NULL,
	                     "{\"data\":null,\"errors\":[{\"message\":\"Entity not found: Issue\","
	                     "\"path\":[\"m0\"],\"extensions\":{\"code\":\"INPUT_ERROR\"}}]}");
	create_one(f, 1, &created, out, 0);
	assert_int_equal(fake_transport_count(), 3);
	assert_string_equal(op_of(1), "IssuesByIds");
	assert_string_equal(op_of(2), "AttachmentMarkers");
	assert_int_equal(created.nr, 1);
	assert_false(created.v[0].has_marker);
	assert_int_equal(out[0].code, PM_ETRACKER);
	assert_non_null(strstr(out[0].message, "created ENG-100, but its marker was not written"));
	tracker_outcome_release(&out[0]);
	tracker_tickets_release(&created);
}

static void test_update_partial(void **state)
{
	struct fixture *f = *state;
	static const char *const ids[] = {"i-0", "i-1", "i-2"};
	struct tracker_fields fl[3];
	struct tracker_marker mk[3];
	struct tracker_update u[3];
	struct tracker_outcome out[3];
	json_t *req, *vars;
	const char *query;
	size_t i;

	prepare_ok(f);
	for (i = 0; i < 3; i++) {
		fields_set(&fl[i], "New title", "lever:test");
		marker_set(&mk[i], ids[i]);
		u[i].id = ids[i];
		u[i].mask = TF_TITLE | TF_DUE | TF_LABELS;
		u[i].fields = &fl[i];
		u[i].marker = &mk[i];
	}
	/* element 1 fails: the non-null field nulls the answer; 2 never ran */
	fake_transport_queue(200, NULL,
	                     "{\"data\":null,\"errors\":[{\"message\":\"Argument Validation "
	                     "Error\",\"path\":[\"u1\"],\"extensions\":{\"code\":\"INPUT_ERROR\","
	                     "\"userPresentableMessage\":\"Cannot assign an issue to a deactivated "
	                     "user.\"}}]}");
	fake_transport_queue(200, NULL,
	                     "{\"data\":{\"u0\":{\"success\":true,\"issue\":{\"id\":\"i-2\"}},"
	                     "\"m0\":{\"success\":true,\"attachment\":{\"id\":\"a\"}}}}");
	assert_int_equal(f->t->ops->update(f->t, u, 3, out), 0);
	assert_int_equal(fake_transport_count(), 5);
	assert_int_equal(out[0].code, 0);
	assert_int_equal(out[1].code, PM_ETRACKER);
	assert_string_equal(out[1].message, "linear: IssueUpdates: issue 'i-1': Cannot assign an "
	                                    "issue to a deactivated user.");
	assert_int_equal(out[2].code, 0);

	req = request_json(3);
	query = json_string_value(json_object_get(req, "query"));
	assert_non_null(strstr(query, "u2: issueUpdate(id: $id2, input: $in2)"));
	assert_non_null(strstr(query, "m2: attachmentCreate(input: $m2)"));
	assert_null(strstr(query, "New title"));
	vars = json_object_get(req, "variables");
	assert_string_equal(
	        json_string_value(json_object_get(json_object_get(vars, "in1"), "title")),
	        "New title");
	/* only the fields in the mask; labels as a change, never the whole set */
	assert_null(json_object_get(json_object_get(vars, "in1"), "description"));
	assert_null(json_object_get(json_object_get(vars, "in1"), "labelIds"));
	assert_non_null(json_object_get(json_object_get(vars, "in1"), "addedLabelIds"));
	json_decref(req);
	req = request_json(4);
	vars = json_object_get(req, "variables");
	assert_string_equal(json_string_value(json_object_get(vars, "id0")), "i-2");
	assert_null(json_object_get(vars, "id1"));
	json_decref(req);
	for (i = 0; i < 3; i++)
		tracker_outcome_release(&out[i]);
	harvest();

	/* nullable answers: the failed alias alone */
	fake_transport_queue(
	        200, NULL,
	        "{\"data\":{\"u0\":{\"success\":true,\"issue\":{\"id\":\"i-0\"}},\"m0\":"
	        "{\"success\":true,\"attachment\":{\"id\":\"a\"}},\"u1\":null,\"m1\":"
	        "null,\"u2\":{\"success\":true,\"issue\":{\"id\":\"i-2\"}},\"m2\":{"
	        "\"success\":false,\"attachment\":{\"id\":\"a\"}}},\"errors\":[{"
	        "\"message\":\"Entity not found: Issue\",\"path\":[\"u1\"]}]}");
	assert_int_equal(f->t->ops->update(f->t, u, 3, out), 0);
	assert_int_equal(fake_transport_count(), 1);
	assert_int_equal(out[0].code, 0);
	assert_int_equal(out[1].code, PM_ETRACKER);
	assert_int_equal(out[2].code, PM_ETRACKER);
	assert_string_equal(out[2].message, "linear: IssueUpdates: issue 'i-2': Linear reported no "
	                                    "success");
	for (i = 0; i < 3; i++)
		tracker_outcome_release(&out[i]);
	harvest();

	/* the same answered with 400, as Linear does: still the failed alias alone */
	fake_transport_queue(
	        400, NULL,
	        "{\"data\":{\"u0\":{\"success\":true,\"issue\":{\"id\":\"i-0\"}},\"m0\":"
	        "{\"success\":true,\"attachment\":{\"id\":\"a\"}},\"u1\":null,\"m1\":"
	        "null,\"u2\":{\"success\":true,\"issue\":{\"id\":\"i-2\"}},\"m2\":{"
	        "\"success\":true,\"attachment\":{\"id\":\"a\"}}},\"errors\":[{"
	        "\"message\":\"Entity not found: Issue\",\"path\":[\"u1\"],\"extensions\":{"
	        "\"code\":\"INPUT_ERROR\",\"type\":\"invalid input\",\"statusCode\":400}}]}");
	assert_int_equal(f->t->ops->update(f->t, u, 3, out), 0);
	assert_int_equal(fake_transport_count(), 1);
	assert_int_equal(out[0].code, 0);
	assert_int_equal(out[1].code, PM_ETRACKER);
	assert_int_equal(out[2].code, 0);
	for (i = 0; i < 3; i++) {
		tracker_outcome_release(&out[i]);
		tracker_fields_release(&fl[i]);
		tracker_marker_release(&mk[i]);
	}
}

static void test_cancel(void **state)
{
	struct fixture *f = *state;
	const char *ids[] = {"i-0", "i-1"};
	struct tracker_outcome out[2];
	json_t *req;

	prepare_ok(f);
	fake_transport_queue(200, NULL,
	                     "{\"data\":{\"c0\":{\"success\":true,\"issue\":{\"id\":\"i-0\"}},"
	                     "\"c1\":{\"success\":true,\"issue\":{\"id\":\"i-1\"}}}}");
	assert_int_equal(f->t->ops->cancel(f->t, ids, 2, out), 0);
	assert_int_equal(out[0].code, 0);
	assert_int_equal(out[1].code, 0);
	assert_string_equal(op_of(3), "IssueCancel");
	req = request_json(3);
	/* the first canceled state by position: Canceled (5), not Won't do (7) */
	assert_string_equal(
	        json_string_value(json_object_get(
	                json_object_get(json_object_get(req, "variables"), "in1"), "stateId")),
	        "s-canceled");
	json_decref(req);
}

/* Tests: pmsync's own labels, and markers replaced. */

static const char labels_more[] =
        "{\"data\":{\"issueLabels\":{\"nodes\":["
        "{\"id\":\"l-pmsync\",\"name\":\"pmsync\",\"isGroup\":false,\"team\":null},"
        "{\"id\":\"l-test\",\"name\":\"Lever:Test\",\"isGroup\":false,\"team\":{\"id\":\"t-eng\"}},"
        "{\"id\":\"l-alert\",\"name\":\"lever:alert\",\"isGroup\":false,\"team\":{\"id\":"
        "\"t-eng\"}},"
        "{\"id\":\"l-bug\",\"name\":\"bug\",\"isGroup\":false,\"team\":null},"
        "{\"id\":\"l-area\",\"name\":\"lever:group\",\"isGroup\":true,\"team\":null}],"
        "\"pageInfo\":{\"hasNextPage\":false,\"endCursor\":null}}}}";

/*
 * An attachment node of a marker: its id, subtitle, the postmortem file its
 * URL names, the item key, and the labels of its `written` (the contents of
 * a JSON array, escaped for a JSON string).
 */
static char *our_att(const char *id, const char *subtitle, const char *file, const char *key,
                     const char *written_labels)
{
	return xasprintf(
	        "{\"id\":\"%s\",\"url\":\"https://git.example.com/acme/payments/blob/main/docs/"
	        "postmortems/%s#pmsync-%s\",\"title\":\"Postmortem: DB outage\",\"subtitle\":"
	        "\"%s\",\"metadata\":{\"pmsync\":1,\"repo\":\"%s\",\"key\":\"%s\",\"path\":"
	        "\"docs/postmortems/%s\",\"written\":\"{\\\"title\\\":\\\"Title ENG-1\\\","
	        "\\\"labels\\\":[%s]}\"},\"createdAt\":\"2024-03-01T00:00:00.000Z\","
	        "\"updatedAt\":\"2024-03-01T00:00:00.000Z\"}",
	        id, file, key, subtitle, subtitle + 7, key, file, written_labels);
}

/* A link a person added to the issue: never pmsync's to touch. */
static const char person_link[] =
        "{\"id\":\"a-link\",\"url\":\"https://docs.example.com/runbook\",\"title\":\"Runbook\","
        "\"subtitle\":null,\"metadata\":{},\"createdAt\":\"2024-03-01T00:00:00.000Z\","
        "\"updatedAt\":\"2024-03-01T00:00:00.000Z\"}";

/* Reads issue id by id (label ids and attachment nodes as given), as a sync does first. */
static void read_issue(struct fixture *f, const char *id, const char *label_ids, const char *atts,
                       struct tracker_tickets *out)
{
	struct issue_spec s = {id, "ENG-1", "started", NULL, NULL, NULL, NULL, false};
	const char *ids[] = {id};
	char *issue = issue_json_labels(&s, label_ids);
	char *body = xasprintf("{\"data\":{\"issues\":{\"nodes\":[%.*s,\"attachments\":{\"nodes\":"
	                       "[%s]}}]}}}",
	                       (int)strlen(issue) - 1, issue, atts);

	fake_transport_queue(200, NULL, body);
	tracker_tickets_release(out);
	assert_int_equal(f->t->ops->get_by_ids(f->t, out, ids, 1), 0);
	assert_int_equal(out->nr, 1);
	free(issue);
	free(body);
}

/* The variables' member `key` of input `in` of request i, as a list "a,b" ("" when absent). */
static char *ids_of(size_t i, const char *in, const char *key)
{
	json_t *req = request_json(i), *a, *v;
	struct strbuf sb = STRBUF_INIT;
	size_t k;

	a = json_object_get(json_object_get(json_object_get(req, "variables"), in), key);
	json_array_foreach(a, k, v)
	{
		strbuf_addf(&sb, "%s%s", k ? "," : "", json_string_value(v));
	}
	json_decref(req);
	return strbuf_detach(&sb, NULL);
}

static void assert_ids(size_t i, const char *in, const char *key, const char *want)
{
	char *got = ids_of(i, in, key);

	if (strcmp(got, want))
		fail_msg("request %zu: %s.%s: '%s', expected '%s'", i, in, key, got, want);
	free(got);
}

static const char update_ok[] = "{\"data\":{\"u0\":{\"success\":true,\"issue\":{\"id\":\"i\"}}}}";

/*
 * pmsync owns cfg->label and the lever labels: only those are reported, in
 * the fields and in what the marker says pmsync wrote; updates change them
 * with addedLabelIds and removedLabelIds and never name a label a person
 * added.
 */
static void test_own_labels(void **state)
{
	struct fixture *f = *state;
	struct tracker_tickets out = {NULL, 0, 0};
	struct tracker_fields fl;
	struct tracker_update u;
	struct tracker_outcome o[1];
	char *att = our_att("a-1", SUBTITLE, "db.md", "k1",
	                    "\\\"bug\\\",\\\"lever:test\\\",\\\"pmsync\\\"");
	json_t *req;

	fake_transport_queue(200, NULL, viewer_ok);
	fake_transport_queue(200, NULL, team_ok);
	fake_transport_queue(200, NULL, labels_more);
	assert_int_equal(f->t->ops->prepare(f->t), 0);
	read_issue(f, "i-a", "\"l-pmsync\",\"l-test\",\"l-bug\"", att, &out);
	assert_int_equal(out.v[0].fields.labels.nr, 2);
	assert_string_equal(out.v[0].fields.labels.v[0], "Lever:Test");
	assert_string_equal(out.v[0].fields.labels.v[1], "pmsync");
	assert_true(out.v[0].marker.has_written);
	assert_int_equal(out.v[0].marker.written.labels.nr, 2);
	assert_false(pm_strlist_has_ci(&out.v[0].marker.written.labels, "bug"));

	/* a lever changed: the difference alone */
	tracker_fields_init(&fl);
	pm_strlist_add(&fl.labels, "lever:alert");
	pm_strlist_add(&fl.labels, "pmsync");
	u.id = "i-a";
	u.mask = TF_LABELS;
	u.fields = &fl;
	u.marker = NULL;
	fake_transport_queue(200, NULL, update_ok);
	assert_int_equal(f->t->ops->update(f->t, &u, 1, o), 0);
	assert_int_equal(o[0].code, 0);
	assert_int_equal(fake_transport_count(), 5);
	req = request_json(4);
	assert_null(json_object_get(json_object_get(json_object_get(req, "variables"), "in0"),
	                            "labelIds"));
	json_decref(req);
	assert_ids(4, "in0", "addedLabelIds", "l-alert");
	assert_ids(4, "in0", "removedLabelIds", "l-test");
	assert_null(strstr(fake_transport_request(4)->body, "l-bug"));

	/* as wanted now: nothing to send */
	assert_int_equal(f->t->ops->update(f->t, &u, 1, o), 0);
	assert_int_equal(o[0].code, 0);
	assert_int_equal(fake_transport_count(), 5);

	/* back to the pmsync label alone */
	pm_strlist_clear(&fl.labels);
	pm_strlist_add(&fl.labels, "pmsync");
	fake_transport_queue(200, NULL, update_ok);
	assert_int_equal(f->t->ops->update(f->t, &u, 1, o), 0);
	assert_int_equal(o[0].code, 0);
	assert_ids(5, "in0", "addedLabelIds", "");
	assert_ids(5, "in0", "removedLabelIds", "l-alert");

	/* an issue never read: the wanted ones added, pmsync's others removed, groups not */
	u.id = "i-z";
	fake_transport_queue(200, NULL, update_ok);
	assert_int_equal(f->t->ops->update(f->t, &u, 1, o), 0);
	assert_ids(6, "in0", "addedLabelIds", "l-pmsync");
	assert_ids(6, "in0", "removedLabelIds", "l-test,l-alert");
	assert_null(strstr(fake_transport_request(6)->body, "l-bug"));
	assert_null(strstr(fake_transport_request(6)->body, "l-area"));

	tracker_outcome_release(&o[0]);
	tracker_fields_release(&fl);
	tracker_tickets_release(&out);
	free(att);
}

static bool doc_has(size_t i, const char *needle)
{
	json_t *req = request_json(i);
	bool has = strstr(json_string_value(json_object_get(req, "query")), needle) != NULL;

	json_decref(req);
	return has;
}

static const char *var_of(json_t *req, const char *name)
{
	return json_string_value(json_object_get(json_object_get(req, "variables"), name));
}

/*
 * Writing a marker at a new URL (a postmortem renamed, an item re-keyed)
 * deletes the markers of this repository it replaces, in the same document,
 * and nothing else: not another repository's marker, not a person's link.
 */
static void test_marker_replaced(void **state)
{
	struct fixture *f = *state;
	struct tracker_tickets out = {NULL, 0, 0};
	struct tracker_marker mk;
	struct tracker_fields fl;
	struct tracker_update u;
	struct tracker_outcome o[1];
	struct strbuf atts = STRBUF_INIT;
	const char *ids[1];
	char *a;
	json_t *req;

	prepare_ok(f);
	marker_set(&mk, "k1"); /* .../docs/postmortems/db.md#pmsync-k1 */
	a = our_att("a-old", SUBTITLE, "old-name.md", "k1", "");
	strbuf_addf(&atts, "%s,", a);
	free(a);
	a = our_att("a-key", SUBTITLE, "db.md", "k1-before", "");
	strbuf_addf(&atts, "%s,", a);
	free(a);
	a = our_att("a-other", "pmsync acme/other", "db.md", "k1", "");
	strbuf_addf(&atts, "%s,%s", a, person_link);
	free(a);
	read_issue(f, "i-a", "\"l-pmsync\"", atts.buf, &out);
	ids[0] = "i-a";
	fake_transport_queue(
	        200, NULL,
	        "{\"data\":{\"m0\":{\"success\":true,\"attachment\":{\"id\":\"a-new\"}},"
	        "\"m0d0\":{\"success\":true},\"m0d1\":{\"success\":true}}}");
	assert_int_equal(f->t->ops->set_markers(f->t, ids, &mk, 1, o), 0);
	assert_int_equal(o[0].code, 0);
	/* the new marker first: a failure after it leaves the ticket linked */
	assert_true(doc_pos(4, "m0: attachmentCreate(input: $i0)") <
	            doc_pos(4, "m0d0: attachmentDelete(id: $d0_0) { success }"));
	assert_true(doc_has(4, "m0d1: attachmentDelete(id: $d0_1)"));
	assert_false(doc_has(4, "m0d2"));
	req = request_json(4);
	assert_string_equal(var_of(req, "d0_0"), "a-old");
	assert_string_equal(var_of(req, "d0_1"), "a-key");
	json_decref(req);
	assert_null(strstr(fake_transport_request(4)->body, "a-other"));
	assert_null(strstr(fake_transport_request(4)->body, "a-link"));

	/* written again at the same URL: nothing left to delete */
	fake_transport_queue(
	        200, NULL, "{\"data\":{\"m0\":{\"success\":true,\"attachment\":{\"id\":\"a\"}}}}");
	assert_int_equal(f->t->ops->set_markers(f->t, ids, &mk, 1, o), 0);
	assert_int_equal(o[0].code, 0);
	assert_false(doc_has(5, "attachmentDelete"));

	/* a marker already at the URL stays; the other goes */
	strbuf_reset(&atts);
	a = our_att("b-same", SUBTITLE, "db.md", "k1", "");
	strbuf_addf(&atts, "%s,", a);
	free(a);
	a = our_att("b-old", SUBTITLE, "old-name.md", "k1", "");
	strbuf_addstr(&atts, a);
	free(a);
	read_issue(f, "i-b", "\"l-pmsync\"", atts.buf, &out);
	ids[0] = "i-b";
	fake_transport_queue(200, NULL,
	                     "{\"data\":{\"m0\":{\"success\":true,\"attachment\":{\"id\":\"b\"}},"
	                     "\"m0d0\":{\"success\":true}}}");
	assert_int_equal(f->t->ops->set_markers(f->t, ids, &mk, 1, o), 0);
	assert_int_equal(o[0].code, 0);
	req = request_json(7);
	assert_string_equal(var_of(req, "d0_0"), "b-old");
	assert_null(json_object_get(json_object_get(req, "variables"), "d0_1"));
	json_decref(req);

	/* one already gone (a person deleted it, or a retried request did): sent again without */
	strbuf_reset(&atts);
	a = our_att("c-gone", SUBTITLE, "old-name.md", "k1", "");
	strbuf_addf(&atts, "%s,", a);
	free(a);
	a = our_att("c-old", SUBTITLE, "older-name.md", "k1", "");
	strbuf_addstr(&atts, a);
	free(a);
	read_issue(f, "i-c", "\"l-pmsync\"", atts.buf, &out);
	ids[0] = "i-c";
	fake_transport_queue(200, NULL,
	                     "{\"data\":null,\"errors\":[{\"message\":\"Entity not found: "
	                     "Attachment\",\"path\":[\"m0d0\"],\"extensions\":{\"code\":"
	                     "\"INPUT_ERROR\",\"userPresentableMessage\":\"Could not find "
	                     "referenced Attachment.\"}}]}");
	fake_transport_queue(200, NULL,
	                     "{\"data\":{\"m0\":{\"success\":true,\"attachment\":{\"id\":\"c\"}},"
	                     "\"m0d0\":{\"success\":true}}}");
	assert_int_equal(f->t->ops->set_markers(f->t, ids, &mk, 1, o), 0);
	assert_int_equal(o[0].code, 0);
	assert_null(o[0].message);
	assert_int_equal(fake_transport_count(), 11);
	req = request_json(9);
	assert_string_equal(var_of(req, "d0_0"), "c-gone");
	assert_string_equal(var_of(req, "d0_1"), "c-old");
	json_decref(req);
	req = request_json(10);
	assert_string_equal(var_of(req, "d0_0"), "c-old");
	assert_null(json_object_get(json_object_get(req, "variables"), "d0_1"));
	json_decref(req);

	/* an update that rewrites the marker replaces the old one as well */
	a = our_att("d-old", SUBTITLE, "old-name.md", "k1", "");
	read_issue(f, "i-d", "\"l-pmsync\"", a, &out);
	free(a);
	fields_set(&fl, "New title", NULL);
	u.id = "i-d";
	u.mask = TF_TITLE;
	u.fields = &fl;
	u.marker = &mk;
	fake_transport_queue(200, NULL,
	                     "{\"data\":{\"u0\":{\"success\":true,\"issue\":{\"id\":\"i-d\"}},"
	                     "\"m0\":{\"success\":true,\"attachment\":{\"id\":\"d\"}},"
	                     "\"m0d0\":{\"success\":true}}}");
	assert_int_equal(f->t->ops->update(f->t, &u, 1, o), 0);
	assert_int_equal(o[0].code, 0);
	assert_true(doc_pos(12, "m0: attachmentCreate(input: $m0)") <
	            doc_pos(12, "m0d0: attachmentDelete(id: $d0_0)"));
	req = request_json(12);
	assert_string_equal(var_of(req, "d0_0"), "d-old");
	json_decref(req);

	/* a delete that fails otherwise fails its element */
	a = our_att("e-old", SUBTITLE, "old-name.md", "k1", "");
	read_issue(f, "i-e", "\"l-pmsync\"", a, &out);
	free(a);
	ids[0] = "i-e";
	fake_transport_queue(200, NULL,
	                     "{\"data\":null,\"errors\":[{\"message\":\"Forbidden\",\"path\":["
	                     "\"m0d0\"],\"extensions\":{\"code\":\"FORBIDDEN\",\"type\":"
	                     "\"forbidden\"}}]}");
	assert_int_equal(f->t->ops->set_markers(f->t, ids, &mk, 1, o), 0);
	assert_int_equal(o[0].code, PM_EAUTH);
	assert_string_equal(o[0].message, "linear: AttachmentMarkers: issue 'i-e': Forbidden");
	assert_int_equal(fake_transport_count(), 15);

	tracker_outcome_release(&o[0]);
	tracker_fields_release(&fl);
	tracker_marker_release(&mk);
	tracker_tickets_release(&out);
	strbuf_release(&atts);
}

static void test_alias_parse(void **state)
{
	static const struct {
		const char *alias;
		long index, sub;
	} cases[] = {
	        {"u3", 3, -1},   {"m12d0", 12, 0}, {"m3d10", 3, 10}, {"c0", 0, -1},
	        {"m3d", -1, -1}, {"3", -1, -1},    {"m3x", -1, -1},  {"m3d1x2", -1, -1},
	        {"", -1, -1},    {"m", -1, -1},    {"m-1", -1, -1},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		long sub, index = linear_alias_parse(cases[i].alias, &sub);
		if (index != cases[i].index || (index >= 0 && sub != cases[i].sub))
			fail_msg("'%s': %ld/%ld, expected %ld/%ld", cases[i].alias, index, sub,
			         cases[i].index, cases[i].sub);
	}
	assert_int_equal(linear_alias_parse(NULL, &(long){0}), -1);
}

static void test_dry_run_mutations(void **state)
{
	struct fixture *f = *state;
	const char *ids[] = {"i-0"};
	struct tracker_fields fl;
	struct tracker_marker mk;
	struct tracker_update u;
	struct tracker_outcome out[1];
	struct tracker_tickets created = {NULL, 0, 0};

	tracker_free(f->t);
	open_tracker(f, true);
	prepare_ok(f);
	create_one(f, 1, &created, out, PM_EREFUSED);
	assert_string_equal(out[0].message, "dry run: refused to send mutation 'IssueBatchCreate'");
	tracker_outcome_release(&out[0]);

	marker_set(&mk, "k0");
	assert_int_equal(f->t->ops->set_markers(f->t, ids, &mk, 1, out), PM_EREFUSED);
	assert_string_equal(out[0].message,
	                    "dry run: refused to send mutation 'AttachmentMarkers'");
	tracker_outcome_release(&out[0]);

	fields_set(&fl, "T", NULL);
	u.id = "i-0";
	u.mask = TF_TITLE;
	u.fields = &fl;
	u.marker = &mk;
	assert_int_equal(f->t->ops->update(f->t, &u, 1, out), PM_EREFUSED);
	assert_string_equal(out[0].message, "dry run: refused to send mutation 'IssueUpdates'");
	tracker_outcome_release(&out[0]);

	pm_strlist_add(&fl.labels, "lever:brand-new");
	u.mask = TF_LABELS;
	assert_int_equal(f->t->ops->update(f->t, &u, 1, out), PM_EREFUSED);
	assert_string_equal(out[0].message, "dry run: refused to send mutation 'LabelCreate'");
	tracker_outcome_release(&out[0]);

	assert_int_equal(f->t->ops->cancel(f->t, ids, 1, out), PM_EREFUSED);
	assert_string_equal(out[0].message, "dry run: refused to send mutation 'IssueCancel'");
	tracker_outcome_release(&out[0]);

	assert_int_equal(fake_transport_count(), 3); /* the three reads of prepare */
	assert_int_equal(created.nr, 0);
	tracker_fields_release(&fl);
	tracker_marker_release(&mk);
}

static void test_users(void **state)
{
	struct fixture *f = *state;
	const char *emails[] = {"Alice@Example.com",
	                        "carol@example.com",
	                        "nobody@example.com",
	                        "",
	                        NULL,
	                        "alice@example.com",
	                        "u-bob"};
	const char *ids[7];
	json_t *req, * or ;

	fake_transport_queue(
	        200, NULL,
	        "{\"data\":{\"users\":{\"nodes\":["
	        "{\"id\":\"u-alice\",\"name\":\"Alice\",\"email\":\"alice@example.com\",\"active\":"
	        "true},{\"id\":\"u-carol\",\"name\":\"Carol\",\"email\":\"carol@example.com\","
	        "\"active\":false},{\"id\":\"u-bob\",\"name\":\"Bob\",\"email\":\"bob@example."
	        "com\","
	        "\"active\":true}]}}}");
	assert_int_equal(f->t->ops->resolve_users(f->t, emails, 7, ids), 0);
	assert_string_equal(ids[0], "u-alice");
	assert_null(ids[1]); /* deactivated */
	assert_null(ids[2]);
	assert_null(ids[3]);
	assert_null(ids[4]);
	assert_string_equal(ids[5], "u-alice");
	assert_string_equal(ids[6], "u-bob");
	req = request_json(0);
	or = json_object_get(json_object_get(json_object_get(req, "variables"), "filter"), "or");
	assert_int_equal(json_array_size(or), 4);
	assert_string_equal(
	        json_string_value(json_object_get(json_object_get(json_array_get(or, 0), "email"),
	                                          "eqIgnoreCase")),
	        "Alice@Example.com");
	assert_string_equal(json_string_value(json_object_get(
	                            json_object_get(json_array_get(or, 3), "id"), "eq")),
	                    "u-bob");
	json_decref(req);
	/* cached */
	assert_int_equal(f->t->ops->resolve_users(f->t, emails, 3, ids), 0);
	assert_int_equal(fake_transport_count(), 1);
}

static void add_owner(struct pm_config *cfg, const char *handle, const char *email, int line)
{
	struct pm_owner *o;

	ALLOC_GROW(cfg->owners, cfg->owners_nr + 1, cfg->owners_alloc);
	o = &cfg->owners[cfg->owners_nr++];
	memset(o, 0, sizeof(*o));
	o->handle = xstrdup(handle);
	o->email = xstrdup_or_null(email);
	o->line = line;
}

static const struct tracker_finding *finding(const struct tracker_findings *fs, const char *check)
{
	size_t i;

	for (i = 0; i < fs->nr; i++)
		if (!strcmp(fs->v[i].check, check))
			return &fs->v[i];
	fail_msg("no finding '%s'", check);
	return NULL;
}

static void test_doctor(void **state)
{
	struct fixture *f = *state;
	struct tracker_findings fs = {NULL, 0, 0};
	const struct tracker_finding *x;

	f->cfg.removed = PM_REMOVED_CANCEL;
	add_owner(&f->cfg, "alice", "alice@example.com", 12);
	add_owner(&f->cfg, "carol", "carol@example.com", 15);
	add_owner(&f->cfg, "dave", NULL, 18);
	queue_prepare();
	fake_transport_queue(
	        200, NULL,
	        "{\"data\":{\"users\":{\"nodes\":["
	        "{\"id\":\"u-alice\",\"name\":\"Alice\",\"email\":\"alice@example.com\",\"active\":"
	        "true},{\"id\":\"u-carol\",\"name\":\"Carol\",\"email\":\"carol@example.com\","
	        "\"active\":false}]}}}");
	assert_int_equal(f->t->ops->doctor(f->t, &f->cfg, &fs), 0);
	x = finding(&fs, "token");
	assert_true(x->ok);
	assert_string_equal(
	        x->message,
	        "LINEAR_API_KEY works: Alice Example in workspace 'acme', sent to api.linear.app");
	assert_true(finding(&fs, "team ENG")->ok);
	x = finding(&fs, "label pmsync");
	assert_true(x->ok);
	x = finding(&fs, "label lever:test");
	assert_true(x->ok);
	assert_string_equal(x->message, "label 'Lever:Test' exists (team label)");
	x = finding(&fs, "label lever:alert");
	assert_true(x->ok);
	assert_string_equal(x->message,
	                    "label 'lever:alert' does not exist: the first sync creates it in "
	                    "team ENG");
	assert_true(finding(&fs, "canceled state")->ok);
	assert_true(finding(&fs, "owner alice")->ok);
	x = finding(&fs, "owner carol");
	assert_false(x->ok);
	assert_string_equal(x->message, "user carol@example.com is deactivated: update "
	                                "[owner \"carol\"] in .pmsync.conf (line 15)");
	assert_false(finding(&fs, "owner dave")->ok);
	assert_int_equal(fake_transport_count(), 4); /* reads only */
	tracker_findings_release(&fs);
	harvest();

	/* a rejected token ends the checks */
	fake_transport_queue(401, NULL, unauthenticated);
	assert_int_equal(f->t->ops->doctor(f->t, &f->cfg, &fs), 0);
	assert_int_equal(fs.nr, 1);
	assert_false(fs.v[0].ok);
	assert_string_equal(
	        fs.v[0].message,
	        "token rejected: check LINEAR_API_KEY (Settings > "
	        "Security & access > Personal API keys); it was sent to api.linear.app");
	tracker_findings_release(&fs);
	harvest();

	/* an unknown team names the ones there are */
	fake_transport_queue(200, NULL, viewer_ok);
	fake_transport_queue(200, NULL, team_missing);
	fake_transport_queue(200, NULL, "{\"data\":{\"users\":{\"nodes\":[]}}}");
	assert_int_equal(f->t->ops->doctor(f->t, &f->cfg, &fs), 0);
	x = finding(&fs, "team ENG");
	assert_false(x->ok);
	assert_string_equal(x->message, "team 'ENG' not found: set linear.team in .pmsync.conf to "
	                                "one of: OPS, SRE");
	tracker_findings_release(&fs);
}

static void test_owns_ref(void **state)
{
	struct fixture *f = *state;
	struct tracker *t = f->t;

	assert_true(t->ops->owns_ref(t, "ENG-12"));
	assert_true(t->ops->owns_ref(t, "eng-12"));
	assert_false(t->ops->owns_ref(t, "OPS-3"));
	assert_true(t->ops->owns_ref(t, "https://linear.app/acme/issue/OPS-3/some-title"));
	assert_false(t->ops->owns_ref(t, "https://github.com/acme/x/issues/3"));
	assert_false(t->ops->owns_ref(t, "#123"));
	assert_false(t->ops->owns_ref(t, "ENG-"));
	prepare_ok(f);
	assert_true(t->ops->owns_ref(t, "OPS-3")); /* a team of the workspace */
	assert_false(t->ops->owns_ref(t, "JIRA-3"));
}

static void test_ref_parse(void **state)
{
	static const struct {
		const char *ref;
		const char *key;
		long number;
	} cases[] = {
	        {"ENG-12", "ENG", 12},
	        {" eng-12 ", "ENG", 12},
	        {"A1_B-7", "A1_B", 7},
	        {"https://linear.app/acme/issue/ENG-12/fix-the-thing", "ENG", 12},
	        {"https://linear.app/acme/issue/ENG-12", "ENG", 12},
	        {"linear.app/acme/issue/ENG-12?x=1", "ENG", 12},
	        {"https://linear.app/acme/project/foo-12", NULL, 0},
	        {"https://example.com/acme/issue/ENG-12", NULL, 0},
	        {"ENG-0", NULL, 0},
	        {"ENG-12a", NULL, 0},
	        {"1ENG-12", NULL, 0},
	        {"-12", NULL, 0},
	        {"ENG-99999999999", NULL, 0},
	        {"", NULL, 0},
	};
	struct strbuf key = STRBUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		long n = -1;
		bool ok = linear_ref_parse(cases[i].ref, &key, &n);
		if (ok != (cases[i].key != NULL) ||
		    (ok && (strcmp(key.buf, cases[i].key) || n != cases[i].number)))
			fail_msg("'%s': ok=%d key='%s' n=%ld", cases[i].ref, ok, key.buf, n);
	}
	strbuf_release(&key);
}

static void test_written_roundtrip(void **state)
{
	struct tracker_fields a, b;
	struct strbuf sb = STRBUF_INIT;
	json_t *s;

	(void)state;
	fields_set(&a, "T\xff bad utf-8", "lever:test");
	free(a.assignee_id);
	a.assignee_id = NULL;
	a.priority = -1;
	linear_written_json(&sb, &a);
	assert_string_equal(sb.buf, "{\"title\":\"T\xef\xbf\xbd bad utf-8\",\"description\":"
	                            "\"Runbook: *restart* {the} \\\"db\\\"\",\"assigneeId\":null,"
	                            "\"dueDate\":\"2024-06-30\",\"labels\":[\"pmsync\","
	                            "\"lever:test\"]}");
	s = json_string(sb.buf);
	assert_true(linear_written_read(&b, s));
	assert_string_equal(b.title, "T\xef\xbf\xbd bad utf-8");
	assert_null(b.assignee_id);
	assert_int_equal(b.priority, -1);
	assert_int_equal(b.labels.nr, 2);
	assert_int_equal(tracker_fields_diff(&a, &b, TF_ALL & ~TF_TITLE), 0);
	tracker_fields_release(&b);
	json_decref(s);
	s = json_string("{\"title\":3}");
	assert_false(linear_written_read(&b, s));
	json_decref(s);
	s = json_string("not json");
	assert_false(linear_written_read(&b, s));
	json_decref(s);
	tracker_fields_release(&a);
	strbuf_release(&sb);
}

static void test_max_batches(void **state)
{
	struct fixture *f = *state;
	enum { N = 60 };
	const char *ids[N];
	char idbuf[N][16];
	struct tracker_marker mk[N];
	struct tracker_fields fl;
	struct tracker_update u[N];
	struct tracker_outcome out[N];
	char *body;
	size_t i;

	prepare_ok(f);
	fields_set(&fl, "T", "lever:test");
	for (i = 0; i < N; i++) {
		snprintf(idbuf[i], sizeof(idbuf[i]), "i-%zu", i);
		ids[i] = idbuf[i];
		marker_set(&mk[i], idbuf[i]);
		u[i].id = ids[i];
		u[i].mask = TF_ALL;
		u[i].fields = &fl;
		u[i].marker = &mk[i];
	}
	/* markers: 50 + 10 */
	body = success_json("m", 50, "\"attachment\":{\"id\":\"a\"}");
	fake_transport_queue(200, NULL, body);
	free(body);
	body = success_json("m", 10, "\"attachment\":{\"id\":\"a\"}");
	fake_transport_queue(200, NULL, body);
	free(body);
	assert_int_equal(f->t->ops->set_markers(f->t, ids, mk, N, out), 0);
	assert_int_equal(fake_transport_count_op("AttachmentMarkers"), 2);
	for (i = 0; i < N; i++)
		assert_int_equal(out[i].code, 0);
	/* updates: 25 + 25 + 10 */
	for (i = 0; i < 3; i++) {
		size_t k = i < 2 ? 25 : 10;
		struct strbuf sb = STRBUF_INIT;
		size_t j;
		strbuf_addstr(&sb, "{\"data\":{");
		for (j = 0; j < k; j++)
			strbuf_addf(&sb,
			            "%s\"u%zu\":{\"success\":true,\"issue\":{\"id\":\"x\"}},"
			            "\"m%zu\":{\"success\":true,\"attachment\":{\"id\":\"a\"}}",
			            j ? "," : "", j, j);
		strbuf_addstr(&sb, "}}");
		fake_transport_queue(200, NULL, sb.buf);
		strbuf_release(&sb);
	}
	assert_int_equal(f->t->ops->update(f->t, u, N, out), 0);
	assert_int_equal(fake_transport_count_op("IssueUpdates"), 3);
	for (i = 0; i < N; i++)
		assert_int_equal(out[i].code, 0);
	/* cancels: 25 + 25 + 10 */
	body = success_json("c", 25, "\"issue\":{\"id\":\"x\"}");
	fake_transport_queue(200, NULL, body);
	fake_transport_queue(200, NULL, body);
	free(body);
	body = success_json("c", 10, "\"issue\":{\"id\":\"x\"}");
	fake_transport_queue(200, NULL, body);
	free(body);
	assert_int_equal(f->t->ops->cancel(f->t, ids, N, out), 0);
	assert_int_equal(fake_transport_count_op("IssueCancel"), 3);
	for (i = 0; i < N; i++)
		tracker_marker_release(&mk[i]);
	tracker_fields_release(&fl);
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
	pm_strlist_clear(&seen_docs);
	pm_strlist_clear(&seen_bodies);
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

/* What a body says to the retry policy: by extensions.code or .type, a rate limit first. */
static void test_body_reason(void **unused)
{
	static const struct {
		const char *body;
		enum retry_reason want;
	} cases[] = {
	        {"{\"errors\":[{\"extensions\":{\"code\":\"RATELIMITED\"}}]}", RETRY_RATELIMIT},
	        {"{\"errors\":[{\"extensions\":{\"type\":\"ratelimited\"}}]}", RETRY_RATELIMIT},
	        {"{\"errors\":[{\"extensions\":{\"type\":\"invalid input\"}},"
	         "{\"extensions\":{\"type\":\"Ratelimited\"}}]}",
	         RETRY_RATELIMIT},
	        {"{\"errors\":[{\"extensions\":{\"type\":\"authentication error\"}}]}", RETRY_AUTH},
	        {"{\"errors\":[{\"extensions\":{\"type\":\"forbidden\"}}]}", RETRY_AUTH},
	        {"{\"errors\":[{\"extensions\":{\"type\":\"usage limit exceeded\"}}]}",
	         RETRY_USAGE},
	        {"{\"errors\":[{\"extensions\":{\"code\":\"INPUT_ERROR\",\"type\":"
	         "\"invalid input\"}}]}",
	         RETRY_INVALID},
	        {"{\"errors\":[{\"extensions\":{\"userError\":true}}]}", RETRY_INVALID},
	        /* Linear's own failures: the status decides, a create is never blindly retried */
	        {"{\"errors\":[{\"extensions\":{\"type\":\"internal error\"}}]}", RETRY_NONE},
	        {"{\"errors\":[{\"extensions\":{\"code\":\"SOMETHING\"}}]}", RETRY_NONE},
	        {"{\"data\":{}}", RETRY_NONE},
	        {"<html>bad gateway</html>", RETRY_NONE},
	};
	size_t i;

	(void)unused;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct http_response res = HTTP_RESPONSE_INIT;
		int got;
		res.status = 400;
		strbuf_addstr(&res.body, cases[i].body);
		got = linear_body_reason(&res);
		if (got != (int)cases[i].want)
			fail_msg("%s: got %s", cases[i].body,
			         retry_reason_name((enum retry_reason)got));
		http_response_release(&res);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_prepare, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_prepare_creates_nothing, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_prepare_dry_run, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_team_not_found, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_auth, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_list_pages, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_answers, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_path_in_message, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_body_over_cap, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_retried_then_success, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_get_by_ids_and_refs, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_create, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_create_failures, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_update_partial, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_cancel, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_own_labels, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_marker_replaced, setup, teardown),
	        cmocka_unit_test(test_alias_parse),
	        cmocka_unit_test(test_body_reason),
	        cmocka_unit_test_setup_teardown(test_dry_run_mutations, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_users, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_doctor, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_owns_ref, setup, teardown),
	        cmocka_unit_test(test_ref_parse),
	        cmocka_unit_test(test_written_roundtrip),
	        cmocka_unit_test_setup_teardown(test_max_batches, setup, teardown),
	        cmocka_unit_test(test_complexity),
	        cmocka_unit_test(test_contract),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
