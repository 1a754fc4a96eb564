#!/usr/bin/env bash
# The JVM heap of 'warder pull' of a jail of about SIZE_MB (default 1024) on directory storage:
# a jail of system files (90%, compressible) and random data (10%), as export-import.sh makes, is
# pushed to a fresh registry (role team-bench) as a tar bundle by this build; then each build pulls
# it into a fresh root twice: with a GC log, then also capped at -Xmx64m (which must succeed).
# Prints per run the wall time, GCs, peak heap after and before GC and max RSS, and with
# WARDER_BIN_BEFORE=other/bin/warder the ratios now/before. The first pull of each build is checked
# against the jail: the same listing (types, modes, owners, links, sizes) and file contents.
# Usage: bench/pull.sh [SIZE_MB]   (root: the jail's files keep their owners)
# WARDER_BIN=other/bin/warder measures another build's client (pushing always uses this one's).
set -euo pipefail
. "$(dirname "$(readlink -f "$0")")/lib.sh"

size_mb=${1:-1024}
[[ $size_mb =~ ^[1-9][0-9]*$ ]] || die "SIZE_MB must be a whole number of megabytes, not '$size_mb'"
warder=${WARDER_BIN:-$top/bin/warder}
need_jars
[ "$(id -u)" -eq 0 ] || die "needs root: the jail's files keep their owners"
need_tools curl:curl tar:tar zstd:zstd sha256sum:coreutils shuf:coreutils /usr/bin/time:time

run="$work/pull"
cleanup() {
  stop_registry
  rm -rf "$run"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
rm -rf "$run"
gc="$work/pull-gc" # GC logs and GNU time reports, kept
rm -rf "$gc"
mkdir -p "$run" "$gc"

serve_registry team-bench 'jails/bench/*/*'
export WARDER_PASSPHRASE_FILE="$work/registry/pass2"

src="$run/src"
say "filling jail big (about $size_mb MB) from /usr and /dev/urandom"
"$top/bin/warder" --root "$src" repo add main "$reg_url" --root-sha256 "$root_sha" >/dev/null
"$top/bin/warder" --root "$src" create -e -n big >/dev/null
jail_files "$run/files.list" "$size_mb"
fill_jail_root "$src/jails/big/root" "$run/files.list" "$size_mb" 1
# The contents too: every file's sha256, sorted by path.
content_sum() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16); }
jroot="$src/jails/big/root"
want="$(tree_sum "$jroot") $(content_sum "$jroot")"
data_bytes=$(du -sb "$jroot" | cut -f1)
entries=$(find "$jroot" | wc -l)

say "pushing big as bench/big"
t=$(now)
WARDER_TOKEN="$reg_token" CI=1 "$top/bin/warder" --root "$src" push big --repo main --as bench/big --key pub \
  >"$run/push.log" 2>&1 || { cat "$run/push.log" >&2; die "push failed"; }
push_s=$(elapsed "$t")
bundle_bytes=$(find "$reg_data/blobs" -type f -printf '%s %p\n' | sort -n | tail -n 1 | cut -d' ' -f1)
sync

builds=("now:$warder")
[ -z "${WARDER_BIN_BEFORE:-}" ] || builds+=("before:$WARDER_BIN_BEFORE")
# The builds take turns (now, before, now capped, before capped): successive pulls of 1 GB can
# slow down (the system time of one grew run after run on a busy machine, capped or not).
for cap in none 64m; do
  for b in "${builds[@]}"; do
    name=${b%%:*} launcher=${b#*:}
    host="$run/host-$name"
    rm -rf "$host"
    "$launcher" --root "$host" repo add main "$reg_url" --root-sha256 "$root_sha" >/dev/null
    sync
    say "pull: $name ($(dirname "$(dirname "$launcher")")), cap $cap"
    heap_probe "$gc/$name-$cap" "$([ "$cap" = none ] || echo "-Xmx$cap")" "$launcher" --root "$host" pull bench/big --repo main -n copy
    heap_record "$name" "$cap"
    if [ "$cap" = none ]; then
      got="$(tree_sum "$host/jails/copy/root") $(content_sum "$host/jails/copy/root")"
      [ "$got" = "$want" ] || die "$name: the pulled jail differs from the pushed one ($got, expected $want)"
    fi
    rm -rf "$host"
  done
done

mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
echo
echo "pull: jail of $(mb "$data_bytes") MB ($entries entries) on directory storage, bundle of $(mb "$bundle_bytes") MB" \
  "(tar, zstd; pushed in $push_s s), loopback, $(nproc) CPUs, load $(cut -d' ' -f2 /proc/loadavg) (5 min)"
echo "  one run each (MiB; WARDER_JAVA_OPTS=\"[-XmxCAP] -Xlog:gc:file=...\"; peak after: the live heap after a GC;"
echo "  peak before: the most used when a GC began; max RSS from GNU time); the pulled jail matched the pushed one"
heap_table
