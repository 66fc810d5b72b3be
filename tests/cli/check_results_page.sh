#!/usr/bin/env bash
# check_results_page.sh ENTROPIC PAGE: the committed results page PAGE is exactly what
# `entropic verify --format markdown` prints with its default seed and case count.
set -u
entropic=$1; page=$2
tmp=$(mktemp); trap 'rm -f "$tmp"' EXIT
"$entropic" verify --format markdown --output "$tmp"
if diff -u "$page" "$tmp"; then exit 0; fi
echo "the results page is stale: regenerate it with"
echo "  entropic verify --format markdown --output docs/results.md"
exit 1
