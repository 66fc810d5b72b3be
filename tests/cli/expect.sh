#!/usr/bin/env bash
# expect.sh CODE REGEX CMD...: run CMD; pass iff it exits with CODE and its combined output matches
# the extended regular expression REGEX.
set -u
code=$1; regex=$2; shift 2
out=$("$@" 2>&1); got=$?
if [ "$got" -ne "$code" ]; then
  printf 'expected exit %s, got %s; output:\n%s\n' "$code" "$got" "$out"; exit 1
fi
if ! printf '%s' "$out" | grep -Eq -- "$regex"; then
  printf 'output does not match /%s/:\n%s\n' "$regex" "$out"; exit 1
fi
