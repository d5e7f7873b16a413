#!/bin/sh
# Fails when a C source calls a function that util/banned.h bans.
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
names=$(sed -n 's/^#define \([a-z_]*\)(.*BANNED.*/\1/p' util/banned.h | tr '\n' '|' | sed 's/|$//')
hits=$(git ls-files '*.c' '*.h' 2>/dev/null | grep -v '^util/banned.h$' |
	xargs -r grep -nE "(^|[^a-z_>.])($names)[[:space:]]*\(" 2>/dev/null)
if [ -n "$hits" ]; then
	echo "banned functions used (see util/banned.h):"
	echo "$hits"
	exit 1
fi
echo "no banned functions"
