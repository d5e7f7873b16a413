/*
 * Calendar dates as people write them in postmortems: ISO 2026-05-01 and
 * its sloppy cousins (2026-5-1, 2026/05/01), "May 1, 2026", "1 May 2026",
 * "7th September, 2022", "1 of May 2026", after an optional weekday. A date
 * is read into YYYY-MM-DD and checked against the calendar (2023-02-29 is
 * not a date); anything else is "not a date" and left to the caller to keep
 * as written.
 */
#include "util/compat.h"

#include "postmortems/dates.h"

#include <string.h>

#include "postmortems/text.h"

static const char *const month_names[] = {
        "january", "february", "march",     "april",   "may",      "june",
        "july",    "august",   "september", "october", "november", "december",
};

static const char *const weekdays[] = {"monday", "tuesday",  "wednesday", "thursday",
                                       "friday", "saturday", "sunday",    NULL};

/* Reads a month name (full, 3-letter or "sept", any case) at s; returns its length. */
static size_t read_month(const char *s, size_t len, int *month)
{
	size_t n = 0;
	int m;

	while (n < len && ascii_isalpha(s[n]))
		n++;
	if (n < 3)
		return 0;
	for (m = 0; m < 12; m++) {
		const char *name = month_names[m];
		size_t k;
		if (n > strlen(name))
			continue;
		for (k = 0; k < n; k++)
			if (ascii_tolower(s[k]) != name[k])
				break;
		if (k < n)
			continue;
		if (n == strlen(name) || n == 3 || (m == 8 && n == 4)) {
			*month = m + 1;
			if (n < len && s[n] == '.')
				n++;
			return n;
		}
	}
	return 0;
}

static size_t read_number(const char *s, size_t len, size_t max_digits, int *out)
{
	size_t n = 0;
	int v = 0;

	while (n < len && n < max_digits && ascii_isdigit(s[n]))
		v = v * 10 + (s[n++] - '0');
	if (!n || (n < len && ascii_isdigit(s[n])))
		return 0;
	*out = v;
	return n;
}

static size_t skip_spaces(const char *s, size_t len, size_t i, bool commas)
{
	while (i < len && (s[i] == ' ' || s[i] == '\t' || (commas && s[i] == ',')))
		i++;
	return i;
}

/* Skips an ordinal suffix (st, nd, rd, th) after a day number. */
static size_t skip_ordinal(const char *s, size_t len, size_t i)
{
	if (i + 1 < len && ascii_isalpha(s[i]) && ascii_isalpha(s[i + 1]) &&
	    (i + 2 >= len || !ascii_isalpha(s[i + 2]))) {
		int a = ascii_tolower(s[i]), b = ascii_tolower(s[i + 1]);
		if ((a == 's' && b == 't') || (a == 'n' && b == 'd') || (a == 'r' && b == 'd') ||
		    (a == 't' && b == 'h'))
			return i + 2;
	}
	return i;
}

static bool valid_date(int y, int m, int d)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int dim;

	if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1)
		return false;
	dim = days[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		dim = 29;
	return d <= dim;
}

static size_t finish_date(char out[11], int y, int m, int d, size_t consumed)
{
	if (!valid_date(y, m, d))
		return 0;
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
	return consumed;
}

size_t dates_prefix(char out[11], const char *s, size_t len)
{
	size_t i = 0, n, start;
	int y, m, d;
	const char *const *w;

	/* an optional weekday: "Wed 20th Sep 2023", "Monday, May 4, 2026" */
	for (w = weekdays; len && ascii_isalpha(s[0]) && *w; w++) {
		size_t k = 0;
		while (k < len && ascii_isalpha(s[k]) && (*w)[k] && ascii_tolower(s[k]) == (*w)[k])
			k++;
		if ((k == strlen(*w) || k == 3) && (k >= len || !ascii_isalpha(s[k]))) {
			i = skip_spaces(s, len, k + (k < len && s[k] == '.'), true);
			break;
		}
	}
	start = i;
	/* 2026-05-01, 2026-5-1, 2026/05/01 */
	if ((n = read_number(s + i, len - i, 4, &y)) == 4 && i + n < len &&
	    (s[i + n] == '-' || s[i + n] == '/')) {
		char sep = s[i + n];
		i += n + 1;
		if ((n = read_number(s + i, len - i, 2, &m)) && i + n < len && s[i + n] == sep) {
			i += n + 1;
			if ((n = read_number(s + i, len - i, 2, &d)))
				return finish_date(out, y, m, d, i + n);
		}
		return 0;
	}
	i = start;
	/* May 1, 2026 */
	if ((n = read_month(s + i, len - i, &m))) {
		i = skip_spaces(s, len, i + n, false);
		if (!(n = read_number(s + i, len - i, 2, &d)))
			return 0;
		i = skip_spaces(s, len, skip_ordinal(s, len, i + n), true);
		if ((n = read_number(s + i, len - i, 4, &y)) != 4)
			return 0;
		return finish_date(out, y, m, d, i + n);
	}
	/* 1 May 2026, 7th September, 2022, 1 of May 2026 */
	if ((n = read_number(s + i, len - i, 2, &d))) {
		i = skip_spaces(s, len, skip_ordinal(s, len, i + n), false);
		if (len - i > 3 && ascii_tolower(s[i]) == 'o' && ascii_tolower(s[i + 1]) == 'f' &&
		    s[i + 2] == ' ')
			i = skip_spaces(s, len, i + 2, false);
		if (!(n = read_month(s + i, len - i, &m)))
			return 0;
		i = skip_spaces(s, len, i + n, true);
		if ((n = read_number(s + i, len - i, 4, &y)) != 4)
			return 0;
		return finish_date(out, y, m, d, i + n);
	}
	return 0;
}

bool dates_read(char out[11], const char *s, size_t len)
{
	char tmp[11];
	size_t n;

	text_trim(&s, &len);
	if (len && s[len - 1] == '.')
		len--;
	n = dates_prefix(tmp, s, len);
	if (!n || n != len)
		return false;
	memcpy(out, tmp, sizeof(tmp));
	return true;
}
