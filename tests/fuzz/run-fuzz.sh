#!/bin/sh
# `make fuzz`: links each tests/fuzz/fuzz_*.c with libFuzzer against the
# library built with coverage (build/fuzz), runs it for SECONDS on a copy of
# its corpus (seeded, for the postmortem reader, with the shared corpus of
# real postmortems when it is beside the repository), and prints the
# coverage reached. New inputs stay in build/fuzz/corpus/NAME; copy the
# interesting ones into tests/fuzz/corpus/NAME to keep them.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-30}
libs="$(pkg-config --libs libgit2 jansson libcurl libcmark-gfm) -lcmark-gfm-extensions"
cd "$top"
for src in tests/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	name=${name#fuzz_}
	bin="build/fuzz/fuzz_$name"
	work="build/fuzz/corpus/$name"
	mkdir -p "$work"
	cp tests/fuzz/corpus/"$name"/* "$work"/ 2>/dev/null || true
	if [ "$name" = postmortem ] && [ -d ../shared/corpus/files ]; then
		cp ../shared/corpus/files/*.md "$work"/
	fi
	clang -g -O1 -std=c11 -D_POSIX_C_SOURCE=200809L -I. \
		$(pkg-config --cflags libgit2 jansson libcurl libcmark-gfm) \
		-fsanitize=fuzzer,address,undefined -o "$bin" "$src" build/fuzz/libpmsync.a $libs
	echo "fuzzing $name for ${seconds}s"
	"$bin" -max_total_time="$seconds" -max_len=65536 -print_final_stats=1 "$work" \
		>"build/fuzz/$name.log" 2>&1 || { tail -n 30 "build/fuzz/$name.log"; exit 1; }
	cov=$(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE).*cov:' "build/fuzz/$name.log" | tail -n 1 |
		sed -E 's/.*cov: ([0-9]+) ft: ([0-9]+).*/\1 edges, \2 features/')
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "build/fuzz/$name.log")
	echo "  $name: coverage $cov after $runs runs; corpus $(ls "$work" | wc -l) inputs"
done
