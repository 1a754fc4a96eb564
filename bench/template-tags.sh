#!/usr/bin/env bash
# Tag 2 of a template with 1% of its files changed: how many bytes 'warder push' uploads for it,
# against the full bundle of tag 1 (target: at most 5%), on ZFS (a zfs send -i stream; zfs-fuse
# on Linux, a file-backed pool) and on directory storage (--format tar: the changed files and the
# removed paths, found by each tag's file index). Also the wall time of both pushes and of a
# second host's 'create -t' for tag 1 and then tag 2 (which fetches only the difference).
# Usage: bench/template-tags.sh [MB [FILES]]   (default a 200 MB template of 4000 files)
# Needs root for the pool; starts zfs-fuse when it is not running. WARDER_BIN as in lib.sh.
set -euo pipefail
. "$(dirname "$(readlink -f "$0")")/lib.sh"

mb=${1:-200}
files=${2:-4000}
warder=${WARDER_BIN:-$top/bin/warder}
need_jars
[ "$(id -u)" -eq 0 ] || die "needs root: zpool create on a file-backed vdev"
need_tools zpool:zfs-fuse bsdtar:libarchive-tools curl:curl
start_zfs_fuse

run="$work/template-tags"
pool="wbench$(printf '%04x' $$)"
cleanup() {
  stop_registry
  destroy_pool "$pool"
  rm -rf "$run"
}
trap cleanup EXIT
rm -rf "$run"
mkdir -p "$run"

serve_registry team-bench 'templates/bench/*/*'
export WARDER_TOKEN="$reg_token" WARDER_PASSPHRASE_FILE="$work/registry/pass2" CI=1
truncate -s "$(( mb * 6 + 1024 ))M" "$run/pool.img"
zpool create -m none "$pool" "$run/pool.img"

# fill DIR: FILES files of about MB megabytes in all, from /usr/share and /usr/lib (real data)
fill() {
  local dir=$1 per=$(( mb * 1048576 / files )) i=0
  mkdir -p "$dir/usr/share/data"
  [ -f "$run/sources" ] || (cd / && find usr/share usr/lib -xdev -type f -size +4k -printf '%p\n' >"$run/sources")
  while read -r f; do
    head -c "$per" "/$f" >"$dir/usr/share/data/f$i" 2>/dev/null || true
    i=$((i + 1))
    [ "$i" -lt "$files" ] || break
  done <"$run/sources"
}

# bench STORAGE FORMAT: sets full_b, delta_b, push1_s, push2_s, pull1_s, pull2_s
bench() {
  local storage=$1 format=$2 a="$run/$1-a" b="$run/$1-b" W
  if [ "$storage" = zfs ]; then
    "$warder" --root "$a" activate "$pool/a" >/dev/null
    "$warder" --root "$b" activate "$pool/b" >/dev/null
  fi
  for h in "$a" "$b"; do
    "$warder" --root "$h" repo add main "$reg_url" --root-sha256 "$root_sha" >/dev/null
  done
  "$warder" --root "$a" create -e -n tmpl >/dev/null
  fill "$a/jails/tmpl/root"
  "$warder" --root "$a" set template=yes tmpl >/dev/null
  local t
  t=$(now)
  "$warder" --root "$a" push tmpl --repo main --as "bench/$storage" --key pub --format "$format" >"$run/push1.log" 2>&1 ||
    { cat "$run/push1.log" >&2; die "push of tag 1 failed"; }
  push1_s=$(elapsed "$t")
  t=$(now)
  "$warder" --root "$b" create -t "main:bench/$storage" -n web1 >"$run/pull1.log" 2>&1 ||
    { cat "$run/pull1.log" >&2; die "create -t of tag 1 failed"; }
  pull1_s=$(elapsed "$t")
  # tag 2: 1% of the files get new content of the same size
  "$warder" --root "$a" set template=no tmpl >/dev/null
  local n=$(( files / 100 )) i
  for i in $(seq 0 $(( n - 1 ))); do
    local f="$a/jails/tmpl/root/usr/share/data/f$(( i * 100 ))"
    head -c "$(stat -c %s "$f")" /dev/urandom >"$f"
  done
  "$warder" --root "$a" set template=yes tmpl >/dev/null
  t=$(now)
  "$warder" --root "$a" push tmpl --repo main --key pub >"$run/push2.log" 2>&1 ||
    { cat "$run/push2.log" >&2; die "push of tag 2 failed"; }
  push2_s=$(elapsed "$t")
  t=$(now)
  "$warder" --root "$b" create -t "main:bench/$storage" -n web2 >"$run/pull2.log" 2>&1 ||
    { cat "$run/pull2.log" >&2; die "create -t of tag 2 failed"; }
  pull2_s=$(elapsed "$t")
  grep -q "the difference since tag 1" "$run/pull2.log" || die "host B did not fetch only the difference"
  full_b=$("$warder" --root "$b" list -t --repo main -h | awk -F'\t' -v n="bench/$storage" '$1 == n && $2 == "1" { print $6 }')
  delta_b=$("$warder" --root "$b" list -t --repo main -h | awk -F'\t' -v n="bench/$storage" '$1 == n && $2 == "2" { print $6 }')
  [ -n "$full_b" ] && [ -n "$delta_b" ] || die "the registry does not list both tags"
}

printf '%-10s %-6s %12s %12s %8s %8s %8s %8s %8s\n' storage format "tag1 bytes" "tag2 bytes" "tag2/1" push1 push2 pull1 pull2
for spec in zfs:zfs dir:tar; do
  say "storage ${spec%%:*}: a ${mb} MB template of ${files} files, tag 2 with 1% of them changed"
  bench "${spec%%:*}" "${spec##*:}"
  printf '%-10s %-6s %12s %12s %7.2f%% %7ss %7ss %7ss %7ss\n' "${spec%%:*}" "${spec##*:}" "$full_b" "$delta_b" \
    "$(awk -v a="$delta_b" -v b="$full_b" 'BEGIN { print 100 * a / b }')" "$push1_s" "$push2_s" "$pull1_s" "$pull2_s"
done
say "target: tag 2 uploads at most 5% of the full bundle"
