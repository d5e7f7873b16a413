/*
 * Diagnostics about input files. Readers and the linter append them while
 * they work; the command layer sorts and prints them once at the end, so
 * messages about one file come out together and in line order whatever
 * order they were found in.
 */
#include "util/compat.h"

#include "postmortems/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

void diags_add(struct diags *d, enum diag_level level, const char *path, int line, int col,
               const char *rule, const char *fmt, ...)
{
	struct strbuf msg = STRBUF_INIT;
	struct diag *diag;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	ALLOC_GROW(d->v, d->nr + 1, d->alloc);
	diag = &d->v[d->nr++];
	diag->path = xstrdup(path ? path : "");
	diag->line = line;
	diag->col = col;
	diag->level = level;
	diag->rule = xstrdup(rule ? rule : "");
	diag->message = strbuf_detach(&msg, NULL);
}

static int diag_cmp(const struct diag *a, const struct diag *b)
{
	int c = strcmp(a->path, b->path);

	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return 0;
}

/* A merge sort: stable, so equal positions keep the order they were found in. */
static void merge_sort(struct diag *v, struct diag *tmp, size_t n)
{
	size_t mid = n / 2, i = 0, j = mid, k = 0;

	if (n < 2)
		return;
	merge_sort(v, tmp, mid);
	merge_sort(v + mid, tmp, n - mid);
	while (i < mid && j < n)
		tmp[k++] = diag_cmp(&v[j], &v[i]) < 0 ? v[j++] : v[i++];
	while (i < mid)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, n * sizeof(*v));
}

void diags_sort(struct diags *d)
{
	struct diag *tmp;

	if (d->nr < 2)
		return;
	tmp = xmalloc(xmul_size(d->nr, sizeof(*tmp)));
	merge_sort(d->v, tmp, d->nr);
	free(tmp);
}

size_t diags_count(const struct diags *d, enum diag_level level)
{
	size_t i, n = 0;

	for (i = 0; i < d->nr; i++)
		if (d->v[i].level == level)
			n++;
	return n;
}

void diags_release(struct diags *d)
{
	size_t i;

	for (i = 0; i < d->nr; i++) {
		free(d->v[i].path);
		free(d->v[i].rule);
		free(d->v[i].message);
	}
	free(d->v);
	d->v = NULL;
	d->nr = d->alloc = 0;
}
