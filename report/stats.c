/*
 * The report's metrics. Every list comes out in a fixed order (counts
 * largest first, then by name; periods and classes by name), and every
 * number is computed in integers or exact halves, so that a report diffs
 * cleanly from one night to the next.
 */
#include "util/compat.h"

#include "report/stats.h"

#include "util/xalloc.h"

long report_day_number(const char *date)
{
	/* days from civil (Howard Hinnant's algorithm), valid for any Gregorian date */
	long y = strtol(date, NULL, 10), m = strtol(date + 5, NULL, 10),
	     d = strtol(date + 8, NULL, 10);
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void count_add(struct report_counts *c, const char *name)
{
	for (size_t i = 0; i < c->nr; i++) {
		if (!strcmp(c->v[i].name, name)) {
			c->v[i].n++;
			return;
		}
	}
	ALLOC_GROW(c->v, c->nr + 1, c->alloc);
	c->v[c->nr].name = xstrdup(name);
	c->v[c->nr++].n = 1;
}

static int cmp_count(const void *pa, const void *pb)
{
	const struct report_count *a = pa, *b = pb;

	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	return strcmp(a->name, b->name);
}

static struct report_period *period_get(struct report_periods *p, const char *name)
{
	for (size_t i = 0; i < p->nr; i++)
		if (!strcmp(p->v[i].name, name))
			return &p->v[i];
	ALLOC_GROW(p->v, p->nr + 1, p->alloc);
	memset(&p->v[p->nr], 0, sizeof(p->v[p->nr]));
	snprintf(p->v[p->nr].name, sizeof(p->v[p->nr].name), "%s", name);
	return &p->v[p->nr++];
}

static int cmp_period(const void *pa, const void *pb)
{
	return strcmp(((const struct report_period *)pa)->name,
	              ((const struct report_period *)pb)->name);
}

static void period_names(char month[8], char quarter[8], const char *date)
{
	long m = strtol(date + 5, NULL, 10);

	memcpy(month, date, 7);
	month[7] = '\0';
	memcpy(quarter, date, 4);
	quarter[4] = '-';
	quarter[5] = 'Q';
	quarter[6] = (char)('1' + (m >= 1 && m <= 12 ? (m - 1) / 3 : 0));
	quarter[7] = '\0';
}

static void period_add(struct report_period *p, enum report_window w)
{
	p->items++;
	p->hits += w == REPORT_HIT;
	p->misses += w == REPORT_MISS;
	p->pending += w == REPORT_PENDING;
	p->unknown += w == REPORT_UNKNOWN;
}

static enum report_window window_of(const struct report_item *ri, long window, long today)
{
	long deadline;

	if (ri->status == PM_ITEM_CANCELED)
		return REPORT_NA;
	if (!ri->pm->date)
		return REPORT_UNKNOWN;
	deadline = report_day_number(ri->pm->date) + window;
	if (ri->status == PM_ITEM_DONE) {
		if (!ri->closed[0])
			return REPORT_UNKNOWN;
		return report_day_number(ri->closed) <= deadline ? REPORT_HIT : REPORT_MISS;
	}
	return today > deadline ? REPORT_MISS : REPORT_PENDING;
}

static int cmp_long(const void *pa, const void *pb)
{
	long a = *(const long *)pa, b = *(const long *)pb;

	return (a > b) - (a < b);
}

/* The median of v[0..n) (sorted in place); n > 0. */
static double median(long *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_long);
	if (n % 2)
		return (double)v[n / 2];
	return ((double)v[n / 2 - 1] + (double)v[n / 2]) / 2;
}

static void item_stats(struct report *r)
{
	long today = report_day_number(r->opts.as_of);
	size_t p = 0;

	for (size_t i = 0; i < r->items_nr; i++) {
		struct report_item *ri = &r->items[i];
		struct report_pm *rp;
		char month[8], quarter[8];

		while (r->pms[p].pm != ri->pm)
			p++;
		rp = &r->pms[p];
		ri->window = window_of(ri, r->opts.window, today);
		r->total++;
		r->inferred += ri->item->inferred;
		rp->items++;
		r->open += ri->status == PM_ITEM_OPEN;
		rp->open += ri->status == PM_ITEM_OPEN;
		r->done += ri->status == PM_ITEM_DONE;
		rp->done += ri->status == PM_ITEM_DONE;
		r->canceled += ri->status == PM_ITEM_CANCELED;
		rp->canceled += ri->status == PM_ITEM_CANCELED;
		r->hits += ri->window == REPORT_HIT;
		rp->hits += ri->window == REPORT_HIT;
		r->misses += ri->window == REPORT_MISS;
		rp->misses += ri->window == REPORT_MISS;
		r->pending += ri->window == REPORT_PENDING;
		rp->pending += ri->window == REPORT_PENDING;
		r->unknown += ri->window == REPORT_UNKNOWN;
		rp->unknown += ri->window == REPORT_UNKNOWN;
		r->undated += !ri->pm->date;
		if (ri->overdue) {
			r->overdue++;
			count_add(&r->overdue_by_owner,
			          ri->item->owner ? ri->item->owner : "(no owner)");
		}
		if (ri->status == PM_ITEM_OPEN)
			count_add(&r->open_by_lever, ri->item->lever ? ri->item->lever : "(none)");
		if (!ri->pm->date || ri->window == REPORT_NA)
			continue;
		period_names(month, quarter, ri->pm->date);
		period_add(period_get(&r->months, month), ri->window);
		period_add(period_get(&r->quarters, quarter), ri->window);
	}
}

static int cmp_pm_date(const void *pa, const void *pb)
{
	const struct postmortem *a = *(const struct postmortem *const *)pa;
	const struct postmortem *b = *(const struct postmortem *const *)pb;
	int c = strcmp(a->date, b->date);

	return c ? c : strcmp(a->path, b->path);
}

static void detection_stats(struct report *r)
{
	const struct postmortem **v = xcalloc(r->pms_nr ? r->pms_nr : 1, sizeof(*v));
	long *mins = xcalloc(r->pms_nr ? r->pms_nr : 1, sizeof(*mins));
	size_t n = 0, half;

	for (size_t i = 0; i < r->pms_nr; i++)
		if (r->pms[i].pm->date && r->pms[i].pm->detection_chain_minutes >= 0)
			v[n++] = r->pms[i].pm;
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_pm_date);
	r->detection_nr = n;
	half = n / 2;
	r->older_nr = r->newer_nr = half;
	if (half) {
		for (size_t i = 0; i < half; i++)
			mins[i] = v[i]->detection_chain_minutes;
		r->older_median = median(mins, half);
		for (size_t i = 0; i < half; i++)
			mins[i] = v[n - half + i]->detection_chain_minutes;
		r->newer_median = median(mins, half);
	}
	for (size_t q = 0; q < r->quarters.nr; q++) {
		struct report_period *p = &r->quarters.v[q];
		size_t k = 0;

		for (size_t i = 0; i < n; i++) {
			char month[8], quarter[8];

			period_names(month, quarter, v[i]->date);
			if (!strcmp(quarter, p->name))
				mins[k++] = v[i]->detection_chain_minutes;
		}
		p->detection_nr = k;
		if (k)
			p->detection_median = median(mins, k);
	}
	for (size_t i = 0; i < n; i++)
		mins[i] = v[i]->detection_chain_minutes;
	if (n)
		r->detection_median = median(mins, n);
	free(mins);
	free(v);
}

/* Adds each comma-separated value of s, lower-cased, once per postmortem. */
static void class_values(struct strlist *out, const char *s)
{
	while (s && *s) {
		size_t len = strcspn(s, ",");
		const char *b = s, *e = s + len;
		char *v;

		while (b < e && (*b == ' ' || *b == '\t'))
			b++;
		while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (e > b) {
			v = xstrndup(b, (size_t)(e - b));
			for (char *c = v; *c; c++)
				if (*c >= 'A' && *c <= 'Z')
					*c = (char)(*c - 'A' + 'a');
			if (!strlist_has_ci(out, v))
				strlist_add(out, v);
			free(v);
		}
		s += len;
		if (*s)
			s++;
	}
}

static int cmp_class(const void *pa, const void *pb)
{
	const struct report_class *a = pa, *b = pb;

	if (a->paths.nr != b->paths.nr)
		return a->paths.nr > b->paths.nr ? -1 : 1;
	return strcmp(a->name, b->name);
}

static void class_stats(struct report *r)
{
	size_t alloc = 0;

	for (size_t i = 0; i < r->pms_nr; i++) {
		const struct postmortem *pm = r->pms[i].pm;
		struct strlist vals = {0};

		class_values(&vals, postmortem_meta(pm, "class"));
		class_values(&vals, postmortem_meta(pm, "tags"));
		for (size_t k = 0; k < vals.nr; k++) {
			size_t c;

			for (c = 0; c < r->classes_nr && strcmp(r->classes[c].name, vals.v[k]); c++)
				;
			if (c == r->classes_nr) {
				ALLOC_GROW(r->classes, r->classes_nr + 1, alloc);
				memset(&r->classes[c], 0, sizeof(r->classes[c]));
				r->classes[c].name = xstrdup(vals.v[k]);
				r->classes_nr++;
			}
			strlist_add(&r->classes[c].paths, pm->path);
		}
		strlist_clear(&vals);
	}
	/* only the repeated ones stay */
	for (size_t i = 0, k = 0; i < r->classes_nr; i++) {
		if (r->classes[i].paths.nr > 1) {
			r->classes[k++] = r->classes[i];
		} else {
			free(r->classes[i].name);
			strlist_clear(&r->classes[i].paths);
		}
		if (i + 1 == r->classes_nr) {
			r->classes_nr = k;
			break;
		}
	}
	if (r->classes_nr > 1)
		qsort(r->classes, r->classes_nr, sizeof(*r->classes), cmp_class);
}

void report_stats_compute(struct report *r)
{
	item_stats(r);
	if (r->overdue_by_owner.nr > 1)
		qsort(r->overdue_by_owner.v, r->overdue_by_owner.nr, sizeof(struct report_count),
		      cmp_count);
	if (r->open_by_lever.nr > 1)
		qsort(r->open_by_lever.v, r->open_by_lever.nr, sizeof(struct report_count),
		      cmp_count);
	if (r->months.nr > 1)
		qsort(r->months.v, r->months.nr, sizeof(struct report_period), cmp_period);
	if (r->quarters.nr > 1)
		qsort(r->quarters.v, r->quarters.nr, sizeof(struct report_period), cmp_period);
	detection_stats(r);
	class_stats(r);
}

static void drift_add(struct report *r, const struct report_item *ri, const char *field,
                      const char *pm_value, const char *tracker_value)
{
	struct report_drift *d;

	ALLOC_GROW(r->drift, r->drift_nr + 1, r->drift_alloc);
	d = &r->drift[r->drift_nr++];
	d->pm = ri->pm;
	d->item = ri->item;
	d->ticket_ref = ri->ticket_ref;
	d->field = field;
	d->postmortem = pm_value ? xstrdup(pm_value) : NULL;
	d->tracker = tracker_value ? xstrdup(tracker_value) : NULL;
}

void report_stats_drift(struct report *r, const struct report_item *ri, const struct sync_change *c,
                        report_user_fn user_name, void *user_data)
{
	const struct tracker_fields *now = &c->ticket.fields;
	unsigned mask = c->drift_mask | c->conflict_mask;

	if (ri->status != ri->item->status)
		drift_add(r, ri, "status", action_item_status_name(ri->item->status),
		          action_item_status_name(ri->status));
	if (mask & TF_TITLE)
		drift_add(r, ri, "title", c->desired.title, now->title);
	if (mask & TF_ASSIGNEE) {
		const char *who = now->assignee_id && user_name
		                          ? user_name(user_data, now->assignee_id)
		                          : NULL;
		drift_add(r, ri, "assignee", ri->item->owner,
		          who                ? who
		          : now->assignee_id ? "another user"
		                             : NULL);
	}
	if (mask & TF_DUE)
		drift_add(r, ri, "due", c->desired.due, now->due);
}
