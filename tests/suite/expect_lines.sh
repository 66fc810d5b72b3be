#!/usr/bin/env bash
# expect_lines.sh CODE REGEX... -- CMD...: run CMD; pass iff it exits with CODE and every extended
# regular expression REGEX matches a line of its combined output.
set -u
code=$1; shift
regexes=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do regexes+=("$1"); shift; done
shift
out=$("$@" 2>&1); got=$?
if [ "$got" -ne "$code" ]; then
  printf 'expected exit %s, got %s; output:\n%s\n' "$code" "$got" "$out"; exit 1
fi
for regex in "${regexes[@]}"; do
  if ! printf '%s\n' "$out" | grep -Eq -- "$regex"; then
    printf 'no line of the output matches /%s/:\n%s\n' "$regex" "$out"; exit 1
  fi
done
