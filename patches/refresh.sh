#!/bin/bash
# Regenerates every patch in the series from the edited tree: each patch
# keeps its header (subject, message, Signed-off-by) and gets fresh diffs of
# the files it already touches, taken between the pristine Linux tarball
# and TREE.  Usage: patches/refresh.sh TREE   (e.g. build/i386/linux)
set -euo pipefail
tree=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
tarball=${LINUX_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
pristine=$(mktemp -d)
trap 'rm -rf "$pristine"' EXIT

touched() { sed -n 's|^diff --git a/\(.*\) b/.*|\1|p' "$1"; }

# One pass over the tarball for every file the series touches.
wanted=$(for patch in $(cat "$here/series"); do touched "$here/$patch"; done |
	sed 's|^|*/|')
# shellcheck disable=SC2086
tar -xf "$tarball" -C "$pristine" --strip-components=1 --wildcards $wanted \
	2>/dev/null || true

for patch in $(cat "$here/series"); do
	file=$here/$patch
	files=$(touched "$file")
	header=$(sed '/^diff --git /,$d' "$file")
	{
		printf '%s\n' "$header"
		for f in $files; do
			old=$pristine/$f
			label_old=a/$f
			if [ ! -e "$old" ]; then
				old=/dev/null
				label_old=/dev/null
			fi
			echo "diff --git a/$f b/$f"
			[ "$old" = /dev/null ] && echo "new file mode 100644"
			diff -u --label "$label_old" --label "b/$f" "$old" "$tree/$f" || true
		done
	} >"$file.new"
	mv "$file.new" "$file"
done
