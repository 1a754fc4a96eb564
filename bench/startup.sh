#!/usr/bin/env bash
# Start-up of both executables with and without their class-data archive (client/target/warder.jsa,
# registry-server/target/warder-registry.jsa, written by `mvn package`): `warder --version`,
# `warder list` and `warder list -P` on a warm host, `warder fetch -P` of a plugin the registry does
# not publish (start-up, the metadata refresh from a registry on loopback, the refusal), and
# `warder-registry --version`. "before" is the same launcher and jar with the JDK's default archive
# instead of warder's (-XX:SharedArchiveFile in WARDER_JAVA_OPTS comes last and wins): what the
# launchers ran before the archive existed. Rounds are interleaved, the order of before and after
# alternating; prints the median wall and CPU time of each and the ratios after/before (target:
# <= 0.65, i.e. at least 35% faster).
# With WARDER_BEFORE=DIR (another checkout whose jars and archives are built, e.g. main's), "before"
# is DIR's launchers and jars with the JDK's archive, and a third mode "previous" runs DIR's
# launchers with DIR's own archives: this build against the other one, in the same rounds.
# Usage: [WARDER_BEFORE=DIR] bench/startup.sh [ROUNDS]   (default 7)
set -euo pipefail
. "$(dirname "$(readlink -f "$0")")/lib.sh"

rounds=${1:-7}
need_jars
need_tools /usr/bin/time:time
for archive in "$top/client/target/warder.jsa" "$top/registry-server/target/warder-registry.jsa"; do
  [ "$archive" -nt "${archive%.jsa}.jar" ] ||
    die "$archive is missing or older than its jar; build first: (cd $top && mvn -q package -DskipTests)"
done
before_top=${WARDER_BEFORE:-$top}
modes=(before after)
if [ -n "${WARDER_BEFORE:-}" ]; then
  before_top=$(cd "$WARDER_BEFORE" && pwd)
  for archive in "$before_top/client/target/warder.jsa" "$before_top/registry-server/target/warder-registry.jsa"; do
    [ "$archive" -nt "${archive%.jsa}.jar" ] || die "WARDER_BEFORE: $archive is missing or older than its jar"
  done
  modes=(before previous after)
fi
java_home=$(java -XshowSettings:properties -version 2>&1 | awk -F' = ' '/^ *java.home = / { print $2 }')
jdk_archive="$java_home/lib/server/classes.jsa"
[ -f "$jdk_archive" ] || die "the JDK's default class-data archive $jdk_archive is missing (java -Xshare:dump writes it)"

say "a registry on loopback for fetch -P (bench/.work/registry)"
trap stop_registry EXIT
serve_registry plugins 'plugins/*'
host="$work/registry/publisher"
"$top/bin/warder" --root "$host" list >/dev/null # the host's directories exist: a warm host

names=("warder --version" "warder list" "warder list -P" "warder fetch -P (refused)" "warder-registry --version")
# run_case I: the I-th command, run by the launchers in $bin, its output discarded; fetch -P of an
# unpublished plugin fails.
run_case() {
  case "$1" in
    0) "$bin/warder" --version ;;
    1) "$bin/warder" --root "$host" list ;;
    2) "$bin/warder" --root "$host" list -P ;;
    3) ! "$bin/warder" --root "$host" fetch -P bench/absent --dry-run ;;
    4) "$bin/warder-registry" --version ;;
  esac >/dev/null 2>&1
}
# timed MODE I: "WALL CPU" seconds of one run (CPU: user + system of the command and its
# children, which on a busy machine varies less than the wall time); MODE before swaps in the
# JDK's archive; before and previous run $before_top's launchers.
timed() {
  local opts= bin="$top/bin"
  [ "$1" = before ] && opts="-XX:SharedArchiveFile=$jdk_archive"
  [ "$1" = after ] || bin="$before_top/bin"
  WARDER_JAVA_OPTS=$opts WARDER_REGISTRY_JAVA_OPTS=$opts /usr/bin/time -f '%e %U %S' -o "$work/startup.time" \
    bash -c "$(declare -f run_case); bin='$bin' host='$host' run_case $2" || die "${names[$2]} ($1) failed"
  awk '{ printf "%.3f %.3f", $1, $2 + $3 }' "$work/startup.time"
}

declare -A times cpus
for i in "${!names[@]}"; do # warm the page cache
  for bin in "$top/bin" "$before_top/bin"; do run_case "$i" || die "${names[$i]} ($bin) failed"; done
done
say "$rounds interleaved rounds of ${#names[@]} commands: ${modes[*]}"
for r in $(seq 1 "$rounds"); do
  for i in "${!names[@]}"; do
    if [ $((r % 2)) -eq 1 ]; then order="${modes[*]}"; else order=$(printf '%s\n' "${modes[@]}" | tac | xargs); fi
    for mode in $order; do
      read -r wall cpu <<<"$(timed "$mode" "$i")"
      times[$mode.$i]="${times[$mode.$i]:-} $wall"
      cpus[$mode.$i]="${cpus[$mode.$i]:-} $cpu"
    done
  done
done

# report KIND ARRAY: one line per command, the median of each mode and the ratios of after to the others.
report() {
  local -n of=$2
  printf '%-28s' "command ($1)"
  for mode in "${modes[@]}"; do printf ' %9s' "$mode"; done
  for mode in "${modes[@]}"; do [ "$mode" = after ] || printf ' %8s' "a/${mode:0:4}"; done
  printf '\n'
  for i in "${!names[@]}"; do
    declare -A med=()
    # shellcheck disable=SC2086 # the lists of times split into arguments
    for mode in "${modes[@]}"; do med[$mode]=$(median ${of[$mode.$i]}); done
    printf '%-28s' "${names[$i]}"
    for mode in "${modes[@]}"; do printf ' %9.3f' "${med[$mode]}"; done
    for mode in "${modes[@]}"; do [ "$mode" = after ] || printf ' %8s' "$(ratio "${med[after]}" "${med[$mode]}")"; done
    printf '\n'
  done
}
report wall times
report cpu cpus
printf '(medians of %s rounds, seconds; %s cores, load average %s)\n' "$rounds" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
