#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Every tracked file but LICENSE names its license in an SPDX line near its
# top (a picture: in FILE.license beside it), and kernel code is
# GPL-2.0-only (or dual-licensed). Prints TAP.
set -u
cd "$(dirname "$0")/.."
missing=() wrong=()
while IFS= read -r f; do
	[ "$f" = LICENSE ] && continue
	[ -f "$f" ] || continue
	src=$f
	# Binary files (pictures) carry their tag in a REUSE-style sidecar.
	case $f in *.png) src=$f.license ;; esac
	[ -f "$src" ] || { missing+=("$f"); continue; }
	tag=$(head -n 5 "$src" | grep -o 'SPDX-License-Identifier: [^*>]*' | head -n 1)
	if [ -z "$tag" ]; then
		missing+=("$f")
		continue
	fi
	case $f in
	kernel/*.c | kernel/*.h | kernel/Kbuild | Kbuild)
		case $tag in *GPL-2.0*) ;; *) wrong+=("$f: $tag") ;; esac ;;
	esac
done < <(git ls-files)
echo "TAP version 13"
echo "1..2"
if [ ${#missing[@]} -eq 0 ]; then echo "ok 1 every tracked file has an SPDX tag"; else
	echo "not ok 1 every tracked file has an SPDX tag"; printf '# missing: %s\n' "${missing[@]}"; fi
if [ ${#wrong[@]} -eq 0 ]; then echo "ok 2 kernel sources are GPL-2.0"; else
	echo "not ok 2 kernel sources are GPL-2.0"; printf '# %s\n' "${wrong[@]}"; fi
