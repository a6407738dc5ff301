#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Fetch Debian's Mesa 25.0.7 orig tarball (= the upstream release) and unpack
# it into a pristine tree under .cache/.  Idempotent: a second run only
# re-checks the stamp file and exits.
#
# The stamp records the tarball's sha256 and a manifest (path and size of
# every file); if files went missing from the tree since (something swept
# it), the tree is unpacked again.
#
# The backports .dsc and .debian.tar.xz 404 on our mirror, so `apt-get source`
# exits non-zero; we only need the orig tarball, which downloads fine.  Its
# sha256 is taken from apt's bookworm-backports Sources index and must also
# match the value measured when this script was written.
#
# Environment: AGX_CACHE (default: <repo>/.cache)
# Prints the pristine source directory on stdout as its last line.

set -eu

MESA_VERSION=25.0.7
TARBALL=mesa_${MESA_VERSION}.orig.tar.xz
KNOWN_SHA256=592272df3cf01e85e7db300c449df5061092574d099da275d19e97ef0510f8a6

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
cache=${AGX_CACHE:-$repo/.cache}
dl=$cache/mesa-dl
pristine=$cache/mesa-$MESA_VERSION-pristine
stamp=$pristine/.agx-pristine-stamp

log() { echo "fetch.sh: $*" >&2; }

# Paths and sizes of all files in a tree, hashed (0.04 s for Mesa).
manifest() {
   (cd "$1" && find . -type f ! -name '.agx-*' -printf '%P %s\n') |
      LC_ALL=C sort | sha256sum | cut -d' ' -f1
}

if [ -f "$stamp" ]; then
   if [ "$(cat "$stamp")" = "$KNOWN_SHA256 $(manifest "$pristine")" ]; then
      log "pristine tree up to date: $pristine"
      echo "$pristine"
      exit 0
   fi
   log "WARNING: $pristine was modified since it was unpacked; unpacking again"
fi

# The sha256 apt expects, from the bookworm-backports Sources index.
index_sha256() {
   for f in /var/lib/apt/lists/*bookworm-backports*Sources*; do
      [ -e "$f" ] || continue
      /usr/lib/apt/apt-helper cat-file "$f" 2>/dev/null
   done | awk -v tb="$TARBALL" '
      /^Package: / { pkg = $2 }
      /^Checksums-Sha256:/ { in_sums = (pkg == "mesa"); next }
      /^[^ ]/ { in_sums = 0 }
      in_sums && $3 == tb { print $1; exit }'
}

mkdir -p "$dl"
expected=$(index_sha256)
if [ -z "$expected" ]; then
   log "ERROR: $TARBALL not found in apt's bookworm-backports Sources index"
   log "       (is deb-src for bookworm-backports configured? run apt-get update)"
   exit 1
fi
if [ "$expected" != "$KNOWN_SHA256" ]; then
   log "ERROR: Sources index sha256 $expected differs from known $KNOWN_SHA256"
   exit 1
fi

if [ ! -f "$dl/$TARBALL" ] ||
   ! echo "$expected  $dl/$TARBALL" | sha256sum -c --status; then
   log "downloading $TARBALL"
   rm -f "$dl/$TARBALL"
   # The .dsc 404s on this mirror; apt-get still leaves the orig tarball.
   (cd "$dl" && apt-get source --download-only -t bookworm-backports \
      mesa >"$dl/apt-get-source.log" 2>&1) || true
fi

if ! echo "$expected  $dl/$TARBALL" | sha256sum -c --status; then
   log "ERROR: $dl/$TARBALL missing or sha256 mismatch (see $dl/apt-get-source.log)"
   exit 1
fi
log "sha256 OK ($expected)"

log "unpacking into $pristine"
rm -rf "$pristine" "$pristine.tmp"
mkdir -p "$pristine.tmp"
tar -xJf "$dl/$TARBALL" -C "$pristine.tmp" --strip-components=1
if [ "$(cat "$pristine.tmp/VERSION")" != "$MESA_VERSION" ]; then
   log "ERROR: unpacked tree is not Mesa $MESA_VERSION"
   exit 1
fi
echo "$expected $(manifest "$pristine.tmp")" >"$pristine.tmp/.agx-pristine-stamp"
mv "$pristine.tmp" "$pristine"
echo "$pristine"
