# SPDX-License-Identifier: MIT
#
# TAP helpers shared by the mesa/tests/check-*.sh scripts (sourced, not run):
# numbered points and the splicing of a test program's TAP into the
# script's own stream. The sourcing script sets n=0 and failed=0.

ok() { n=$((n + 1)); echo "ok $n $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n $1"; }

# merge NAME COUNT FILE: renumber COUNT TAP results of FILE into ours; any
# missing result is a failure. When the program printed no result or
# exited non-zero ("# exit status N" appended by the caller), its other
# output becomes diagnostics.
merge() {
   got=0
   while IFS= read -r line; do
      case "$line" in
      "ok "*|"not ok "*)
         got=$((got + 1))
         [ "$got" -gt "$2" ] && continue
         desc=$(echo "$line" | sed -E 's/^(not )?ok [0-9]+ ?//')
         case "$line" in
         ok*) ok "$1: $desc" ;;
         *) not_ok "$1: $desc" ;;
         esac
         ;;
      "#"*) echo "$line" ;;
      esac
   done <"$3"
   while [ "$got" -lt "$2" ]; do
      got=$((got + 1))
      not_ok "$1: result $got missing"
   done
   if [ "$got" -eq 0 ] || grep -q "exit status [^0]" "$3"; then
      grep -v '^\(not \)\?ok ' "$3" | grep -v '^#' | sed 's/^/  # /' | tail -n 20
   fi
}
