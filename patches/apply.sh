#!/bin/bash
# Brings an unpacked Linux tree to the pristine tarball plus the series.
# The files the previous series (TREE/.patched-files) and this one touch are
# patched afresh in a scratch copy taken from the tarball; only those whose
# result differs from the tree's are replaced (so they get the current time
# and kbuild rebuilds what they feed), and a file the series no longer
# creates is removed.  Every other file keeps its time: only what changed
# is rebuilt.  Usage: patches/apply.sh TREE TARBALL
set -euo pipefail
tree=$1 tarball=$2
here=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

touched() {
	for patch in $(cat "$here/series"); do
		sed -n 's|^diff --git a/\(.*\) b/.*|\1|p' "$here/$patch"
	done
}

files=$({ cat "$tree/.patched-files" 2>/dev/null || true; touched; } | sort -u)
# A file the series creates is not in the tarball: tar says so, patch makes it.
# shellcheck disable=SC2046
tar -xf "$tarball" -C "$scratch" --strip-components=1 --wildcards \
	$(for f in $files; do echo "*/$f"; done) 2>/dev/null || true
for patch in $(cat "$here/series"); do
	patch -d "$scratch" -p1 --fuzz=0 --no-backup-if-mismatch -s <"$here/$patch"
done
for f in $files; do
	if [ ! -e "$scratch/$f" ]; then
		rm -f "$tree/$f"
	elif ! cmp -s "$scratch/$f" "$tree/$f"; then
		install -D -m 644 "$scratch/$f" "$tree/$f"
	fi
done
touched | sort -u >"$tree/.patched-files"
