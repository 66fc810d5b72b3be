#!/usr/bin/env bash
# check_results_page.sh ENTROPIC PAGE [VERIFY ARGS...]: the committed results page PAGE is exactly
# what `entropic verify VERIFY ARGS --format markdown` prints (no arguments: the default seed, case
# count and catalog, docs/results.md), and every claim on it behaves as the catalog says.
set -u
entropic=$1; page=$2; shift 2
tmp=$(mktemp); trap 'rm -f "$tmp"' EXIT
# Exit 1 (a claim not as expected) is reported below; anything else but 0 is a failed run.
"$entropic" verify "$@" --format markdown --output "$tmp"; status=$?
if [ "$status" -gt 1 ]; then echo "entropic verify $* exited $status"; exit 1; fi
if ! diff -u "$page" "$tmp"; then
  echo "the results page is stale: regenerate it with"
  echo "  entropic verify $* --format markdown --output docs/$(basename "$page")"
  exit 1
fi
if ! grep -Eq '([0-9]+) of \1 claims behave as the catalog says' "$tmp"; then
  echo "$page: not every claim behaves as the catalog says"
  exit 1
fi
