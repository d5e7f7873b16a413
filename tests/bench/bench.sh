#!/bin/sh
# `make bench`: builds a repository with history holding 10,000 generated
# postmortems (50,000 action items), then prints the time and peak memory of
# `pmsync items --format json` on it beside the time cmark-gfm alone takes to
# parse the same files one by one. Goal: within 1.5x of that floor, under
# 100 MB. Then one generated postmortem of 30,000 rows and one of 5,000
# (tests/bench/limits-bench.sh). Then, when the fake Linear can run, the
# request counts of syncing 1,000 items (see tests/bench/sync-bench.sh).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
out="$top/bench-out"
repo="$out/repo"
N=${BENCH_POSTMORTEMS:-10000}
cc=${CC:-cc}

mkdir -p "$out"
$cc -O2 -o "$out/rusage" "$top/tests/bench/rusage.c"
$cc -O2 -o "$out/cmark_floor" "$top/tests/bench/cmark_floor.c" \
	$(pkg-config --cflags --libs libcmark-gfm) -lcmark-gfm-extensions

if [ ! -f "$repo/.bench-done-$N" ]; then
	rm -rf "$repo"
	mkdir -p "$repo/docs/postmortems"
	git -C "$repo" init -q -b main
	gen() { # FIRST LAST VARIANT: writes postmortems FIRST..LAST
		awk -v first="$1" -v last="$2" -v variant="$3" -v dir="$repo/docs/postmortems" '
		BEGIN {
			split("test runbook alert code prompt eval", lever, " ")
			for (i = first; i <= last; i++) {
				d = sprintf("2025-%02d-%02d", 1 + i % 12, 1 + i % 28)
				f = sprintf("%s/%s-incident-%05d.md", dir, d, i)
				printf "---\ntitle: Incident %d\ndate: %s\nseverity: SEV%d\n" \
					"detection_chain_minutes: %d\n---\n\n# Incident %d\n\n", \
					i, d, 1 + i % 3, i % 90, i > f
				printf "## Summary & impact\n\nService %d was degraded for %d minutes.\n\n", \
					i % 97, i % 60 >> f
				printf "## Timeline\n\n- 10:00 alert fires\n- 10:%02d mitigated\n\n", \
					i % 60 >> f
				printf "## Detection chain\n\ndetection_chain_minutes: %d\n\n", i % 90 >> f
				printf "## Root cause\n\nA configuration change in component %d.\n\n", \
					i % 50 >> f
				printf "## What went well\n\n- Rollback was quick.\n\n" >> f
				printf "## What went wrong\n\n- No alert on the symptom.\n\n" >> f
				printf "## Action items\n\n| Action | Owner | Due | Lever |\n" \
					"|---|---|---|---|\n" >> f
				for (j = 1; j <= 5; j++)
					printf "| %s item %d of incident %d for service %d | @owner%d | " \
						"2026-%02d-%02d | %s |\n", \
						(variant && j == 2) ? "Reworded" : "Fix", j, i, i % 97, \
						j, 1 + j, 1 + i % 28, lever[1 + (i + j) % 6] >> f
				printf "\n## Blameless lessons\n\nSmall changes, tested.\n" >> f
				close(f)
			}
		}'
	}
	commit() { git -C "$repo" add -A && git -C "$repo" -c user.name=Bench \
		-c user.email=bench@example.com commit -q -m "$1"; }
	half=$((N / 2))
	gen 1 "$half" 0
	commit "First half"
	gen $((half + 1)) "$N" 0
	commit "Second half"
	gen 1 $((N / 20)) 1
	commit "Reword one item in 5% of the postmortems"
	i=1
	while [ $i -le 100 ]; do
		f=$(cd "$repo/docs/postmortems" && ls | sed -n "${i}p")
		git -C "$repo" mv "docs/postmortems/$f" "docs/postmortems/renamed-$f"
		i=$((i + 1))
	done
	commit "Rename 100 postmortems"
	touch "$repo/.bench-done-$N"
fi

files=$(cd "$repo" && git ls-files 'docs/postmortems/*.md' | wc -l)
echo "repository: $files postmortems, $(git -C "$repo" rev-list --count HEAD) commits"

# Warm the page cache, then measure each twice and keep the better.
(cd "$repo" && git ls-files 'docs/postmortems/*.md' | sed "s|^|$repo/|") > "$out/files.txt"
"$out/cmark_floor" < "$out/files.txt" > /dev/null
best() { # LABEL CMD...: prints the better of two runs
	label=$1
	shift
	r1=$("$out/rusage" "$out/$label.out" "$@" 2>&1 >/dev/null | tail -n 1)
	r2=$("$out/rusage" "$out/$label.out" "$@" 2>&1 >/dev/null | tail -n 1)
	s1=${r1#seconds=}; s1=${s1%% *}
	s2=${r2#seconds=}; s2=${s2%% *}
	if awk "BEGIN { exit !($s1 <= $s2) }"; then echo "$r1"; else echo "$r2"; fi
}
floor=$(sh -c "\"$out/rusage\" \"$out/floor.out\" \"$out/cmark_floor\" < \"$out/files.txt\"" 2>&1 | tail -n 1)
floor2=$(sh -c "\"$out/rusage\" \"$out/floor.out\" \"$out/cmark_floor\" < \"$out/files.txt\"" 2>&1 | tail -n 1)
fs1=${floor#seconds=}; fs1=${fs1%% *}
fs2=${floor2#seconds=}; fs2=${fs2%% *}
awk "BEGIN { exit !($fs2 < $fs1) }" && floor=$floor2
items=$(best items "$top/pmsync" -C "$repo" items --format json)
count=$(grep -o '"key":' "$out/items.out" | wc -l)

fsec=${floor#seconds=}; fsec=${fsec%% *}
isec=${items#seconds=}; isec=${isec%% *}
ikb=${items##*maxrss_kb=}
echo "cmark-gfm alone, file by file:   ${fsec} s"
echo "pmsync items --format json:      ${isec} s, peak ${ikb} KiB, $count items"
awk -v i="$isec" -v f="$fsec" -v kb="$ikb" 'BEGIN {
	ratio = i / f
	printf "ratio to the floor: %.2fx (goal <= 1.5x): %s\n", ratio, ratio <= 1.5 ? "met" : "NOT MET"
	printf "peak memory: %.1f MB (goal < 100 MB): %s\n", kb / 1024, kb < 102400 ? "met" : "NOT MET"
}'

# The completion report over the same repository and history (closure dates
# come from the history walk), beside items.
report=$(best report "$top/pmsync" -C "$repo" report --as-of 2026-12-31 --format html)
rsec=${report#seconds=}; rsec=${rsec%% *}
rkb=${report##*maxrss_kb=}
echo "pmsync report --format html:     ${rsec} s, peak ${rkb} KiB, $(wc -c <"$out/report.out") bytes"
awk -v r="$rsec" -v i="$isec" 'BEGIN { printf "report beside items: %.2fx the time\n", r / i }'

sh "$top/tests/bench/limits-bench.sh"

if [ -x "$top/tests/bench/sync-bench.sh" ]; then
	for tracker in linear jira jira-dc; do
		TRACKER=$tracker sh "$top/tests/bench/sync-bench.sh"
	done
fi
