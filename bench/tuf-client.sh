#!/usr/bin/env bash
# warder's TUF client (`warder tuf`) against tuf-js (the npm client, through bench/tuf-js-client.js,
# which takes the same arguments) on the same consistent-snapshot repositories: 50 delegated roles,
# 10,000 and 100,000 targets, written once by the project's generator (TufBenchRepository, signed
# by warder's own signing code) and served by `python3 -m http.server` (HTTP/1.0: it closes the
# connection after each response). Per round, interleaved, the order of the clients alternating:
#   cold:     init, then download of one target in the first delegated role (refresh included)
#   deep:     the same, the target 30 delegated roles deep
#   warm:     refresh again, nothing changed
#   changed:  refresh after timestamp, snapshot and the top-level targets role changed
#   deep 100k: cold, the target 30 roles deep, in the repository of 100,000 targets
#   start:    `warder --version`, `node -e "require('tuf-js')"`: the start-up under every figure
# Prints the median wall time (each process's start included) and peak RSS of each, and the
# ratios warder/tuf-js (targets: cold, warm and changed <= 2, deep no worse than cold, peak RSS of
# deep 100k <= 2).
# Usage: bench/tuf-client.sh [ROUNDS]   (default 5)
# Needs the signing module's test classes (mvn -q package -DskipTests builds them) and npm's
# registry once, for tuf-js (installed into bench/.work/tufjs). WARDER_BIN: another build's
# bin/warder, to compare builds.
set -euo pipefail
. "$(dirname "$(readlink -f "$0")")/lib.sh"

rounds=${1:-5}
warder=${WARDER_BIN:-$top/bin/warder}
tufjs_version=4.1.0
need_jars
need_tools /usr/bin/time:time node:nodejs npm:npm python3:python3 curl:curl
generator="$top/signing/target/test-classes/org/warder/signing/testing/TufBenchRepository.class"
[ -f "$generator" ] || die "$generator is missing; build first: (cd $top && mvn -q package -DskipTests)"

tufjs="$work/tufjs"
if [ ! -f "$tufjs/node_modules/tuf-js/package.json" ]; then
  say "installing tuf-js $tufjs_version into $tufjs (npm)"
  mkdir -p "$tufjs"
  npm install --prefix "$tufjs" --no-audit --no-fund --silent "tuf-js@$tufjs_version" >/dev/null ||
    die "npm install tuf-js@$tufjs_version failed"
fi
export NODE_PATH="$tufjs/node_modules"

# The repositories, one per size, kept between runs (names.txt is written last).
repos="$work/tuf-repos"
for n in 10000 100000; do
  if [ ! -s "$repos/$n/names.txt" ]; then
    say "generating the repository of $n targets ($repos/$n)"
    rm -rf "$repos/$n"
    java -cp "$top/signing/target/test-classes:$top/client/target/warder.jar" \
      org.warder.signing.testing.TufBenchRepository "$repos/$n" "$n"
  fi
done
target_of() { awk -v k="$2" '$1 == k { print $2 }' "$repos/$1/names.txt"; }

port=$(free_port)
url="http://127.0.0.1:$port"
clients="$work/tuf-clients"
python3 -m http.server --bind 127.0.0.1 --directory "$repos" "$port" >"$work/tuf-http.log" 2>&1 &
http_pid=$!
trap 'kill $http_pid 2>/dev/null || true; wait $http_pid 2>/dev/null || true' EXIT
wait_http "$url/10000/names.txt" "$http_pid" "$work/tuf-http.log"

# timed CLIENT ARGS...: runs the client (w: warder, j: tuf-js) with the conformance CLI's
# arguments ARGS; adds its wall time to $took_wall and keeps the larger RSS (KiB) in $took_rss.
timed() {
  case "$1" in
    w) timed_command "$warder" tuf "${@:2}" ;;
    j) timed_command node "$top/bench/tuf-js-client.js" "${@:2}" ;;
  esac
}
timed_command() {
  local t="$work/tuf-client.time"
  /usr/bin/time -f '%e %M' -o "$t" "$@" >"$work/tuf-client.log" 2>&1 ||
    { cat "$work/tuf-client.log" >&2; die "$* failed"; }
  read -r took_wall took_rss <<<"$(awk -v w="$took_wall" -v r="$took_rss" \
    '{ printf "%.2f %d", w + $1, ($2 > r) ? $2 : r }' "$t")"
}
# scenario CLIENT NAME: one run of the scenario by the client; records its wall time and peak RSS.
declare -A walls rsss
scenario() {
  local c=$1 name=$2 n=10000 md="$clients/$1/md" out="$clients/$1/out" target
  took_wall=0 took_rss=0
  case "$name" in
    start) # the floor under every figure: the runtime starts, loads the client and exits
      if [ "$c" = w ]; then timed_command "$warder" --version; else timed_command node -e "require('tuf-js')"; fi
      ;;
    cold | deep | "deep 100k")
      [ "$name" = "deep 100k" ] && n=100000
      if [ "$name" = cold ]; then target=$(target_of $n shallow); else target=$(target_of $n deep); fi
      rm -rf "$clients/$c"
      timed "$c" --metadata-dir "$md" init "$repos/$n/root.json"
      took_rss=0 # the download's RSS only: init reads one file
      timed "$c" --metadata-dir "$md" --metadata-url "$url/$n/base/metadata/" --target-name "$target" \
        --target-base-url "$url/$n/base/targets/" --target-dir "$out" download
      # the one file the repository stores for it, under its hash-prefixed name
      cmp -s "$out/${target//\//%2F}" "$repos/$n/base/targets/$(dirname "$target")/"*".$(basename "$target")" ||
        die "$c: $name: the downloaded $target is not the repository's"
      ;;
    warm) timed "$c" --metadata-dir "$md" --metadata-url "$url/$n/base/metadata/" refresh ;;
    changed)
      timed "$c" --metadata-dir "$md" --metadata-url "$url/$n/changed/metadata/" refresh
      grep -q '"top/new.txt"' "$md/targets.json" || die "$c: changed: the new targets metadata was not stored"
      ;;
  esac
  walls[$c.$name]="${walls[$c.$name]:-} $took_wall"
  rsss[$c.$name]="${rsss[$c.$name]:-} $took_rss"
}

names=(start cold warm changed deep "deep 100k")
say "$rounds interleaved rounds: ${names[*]}; warder and tuf-js against $url (python3 http.server)"
for r in $(seq 1 "$rounds"); do
  if [ $((r % 2)) -eq 1 ]; then order="w j"; else order="j w"; fi
  for name in "${names[@]}"; do
    # warm and changed continue from the client's state after cold, so cold runs first for both.
    for c in $order; do scenario "$c" "$name"; done
  done
done
printf '%-12s %9s %9s %6s   %9s %9s %6s\n' scenario warder tuf-js ratio 'RSS w MB' 'RSS j MB' ratio
for name in "${names[@]}"; do
  # shellcheck disable=SC2086 # the lists of figures split into arguments
  ww=$(median ${walls[w.$name]}) wj=$(median ${walls[j.$name]})
  # shellcheck disable=SC2086
  rw=$(median ${rsss[w.$name]}) rj=$(median ${rsss[j.$name]})
  printf '%-12s %9.2f %9.2f %6s   %9.0f %9.0f %6s\n' "$name" "$ww" "$wj" "$(ratio "$ww" "$wj")" \
    "$(awk -v k="$rw" 'BEGIN { print k / 1024 }')" "$(awk -v k="$rj" 'BEGIN { print k / 1024 }')" "$(ratio "$rw" "$rj")"
done
printf '(medians of %s rounds; wall s, each process start included; peak RSS of the download or refresh; %s cores, load average %s)\n' \
  "$rounds" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
