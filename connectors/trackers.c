/*
 * The table of tracker kinds, one entry per connector, and what is read from
 * it: tracker_kind_of(), the secrets and token shapes of every kind, and
 * tracker_open(), which opens the connector that the configuration names.
 * It sits above the connectors, which know only connectors/tracker.h.
 */
#include "util/compat.h"

#include "connectors/tracker.h"

#include <stdlib.h>

#include "connectors/jira/jira.h"
#include "connectors/linear/linear.h"
#include "util/error.h"

static const struct tracker_kind *const kinds[] = {&linear_tracker_kind, &jira_tracker_kind};
#define N_KINDS (ARRAY_SIZE(kinds))

const struct tracker_kind *tracker_kind_of(enum pm_tracker_kind k)
{
	size_t i;

	for (i = 0; i < N_KINDS; i++)
		if (kinds[i]->kind == k)
			return kinds[i];
	return NULL;
}

bool tracker_kind_has_token(const struct tracker_kind *k)
{
	const char *const *v;

	for (v = k->token_vars; v && *v; v++) {
		const char *value = getenv(*v);
		if (value && *value)
			return true;
	}
	return false;
}

/* The NULL-ended union of one list of every kind (its prefixes or not); built once. */
static const char *const *gather(bool prefixes, const char **out, size_t cap)
{
	size_t i, n = 0;

	if (out[0])
		return out;
	for (i = 0; i < N_KINDS; i++) {
		const char *const *v = prefixes ? kinds[i]->token_prefixes : kinds[i]->token_vars;
		for (; v && *v && n + 1 < cap; v++)
			out[n++] = *v;
	}
	out[n] = NULL;
	return out;
}

const char *const *tracker_secret_vars(void)
{
	static const char *all[16];

	return gather(false, all, ARRAY_SIZE(all));
}

const char *const *tracker_token_prefixes(void)
{
	static const char *all[16];

	return gather(true, all, ARRAY_SIZE(all));
}

int tracker_open(struct tracker **out, const struct config *cfg, const struct tracker_options *opts)
{
	const struct tracker_kind *k = tracker_kind_of(cfg->tracker);

	if (!k)
		return pm_error(PM_ECONFIG, "no tracker is configured in '%s'",
		                cfg->source ? cfg->source : ".pmsync.conf");
	if (!k->open)
		return pm_error(PM_ECONFIG, "tracker '%s' is not supported by this build yet",
		                k->name);
	return k->open(out, cfg, opts);
}
