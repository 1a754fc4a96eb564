#!/usr/bin/env bash
# Creating jails on ZFS (zfs-fuse on Linux, a file-backed pool): COUNT thin jails (warder create:
# a clone of the release's snapshot) against COUNT thick jails (warder create -T: zfs send |
# zfs receive, a full copy: the baseline), each from a small and from a large release.
# Reports the median time per jail and the space each jail uses (zfs "used"), and the ratios
# large/small: a thin jail's time and space must not grow with the release, a thick one's do.
# Usage: bench/jails.sh [COUNT [SMALL_MB LARGE_MB]]   (default 20 jails, releases of 20 and 200 MB)
# Needs root (zpool create); starts zfs-fuse when it is not running. WARDER_BIN as in lib.sh.
set -euo pipefail
. "$(dirname "$(readlink -f "$0")")/lib.sh"

count=${1:-20}
small_mb=${2:-20}
large_mb=${3:-200}
warder=${WARDER_BIN:-$top/bin/warder}
need_jars
[ "$(id -u)" -eq 0 ] || die "needs root: zpool create on a file-backed vdev"
need_tools xz:xz-utils tar:tar python3:python3 zpool:zfs-fuse curl:curl
start_zfs_fuse

run="$work/jails"
pool="wbench$(printf '%04x' $$)"
mirror_pid=
cleanup() {
  [ -n "$mirror_pid" ] && kill "$mirror_pid" 2>/dev/null || true
  destroy_pool "$pool"
  rm -rf "$run"
}
trap cleanup EXIT
rm -rf "$run"
mkdir -p "$run/www/releases/$arch"

# A release of about MB megabytes of files from /usr/lib and /usr/share, as a FreeBSD mirror
# serves it: releases/ARCH/REL/{base.txz,MANIFEST}.
make_mirror_release() { # REL MB
  local dir="$run/www/releases/$arch/$1" list="$run/$1.list"
  mkdir -p "$dir"
  (cd / && find usr/lib usr/share -xdev -type f -printf '%s\t%p\n') |
    awk -F"\t" -v max="$2" 'total + $1 <= max * 1048576 { total += $1; print $2 }' >"$list"
  tar --format=pax -C / -cf - -T "$list" | xz -0 -T0 >"$dir/base.txz"
  printf 'base.txz\t%s\t%s\tbase\t"Base system (MANDATORY)"\ton\n' \
    "$(sha256sum "$dir/base.txz" | cut -d' ' -f1)" "$(wc -l <"$list")" >"$dir/MANIFEST"
}

small=13.5-RELEASE large=14.2-RELEASE
say "building a ${small_mb} MB release ($small) and a ${large_mb} MB one ($large)"
make_mirror_release "$small" "$small_mb"
make_mirror_release "$large" "$large_mb"
port=$(free_port)
(cd "$run/www" && exec python3 -m http.server --bind 127.0.0.1 "$port" >"$run/http.log" 2>&1) &
mirror_pid=$!
wait_http "http://127.0.0.1:$port/releases/$arch/$small/MANIFEST" "$mirror_pid" "$run/http.log"

# Pool big enough for COUNT thick copies of the large release (sparse file).
truncate -s "$(( (count + 4) * large_mb * 2 + 2048 ))M" "$run/pool.img"
zpool create -m none "$pool" "$run/pool.img"
root="$run/root"
W() { CI=1 "$warder" --root "$root" "$@"; }
W activate "$pool/warder" >/dev/null
for rel in "$small" "$large"; do
  W fetch -r "$rel" --arch "$arch" --mirror "http://127.0.0.1:$port/releases/" -NU \
    --manifest-sha256 "$(sha256sum "$run/www/releases/$arch/$rel/MANIFEST" | cut -d' ' -f1)" >"$run/fetch-$rel.log" 2>&1 ||
    { cat "$run/fetch-$rel.log" >&2; die "fetching $rel failed"; }
done
sync

used() { zfs get -Hp -o value used "$pool/warder/jails/$1"; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }

# create_jails KIND REL FLAGS...: COUNT jails; sets med_time (s) and med_used (bytes).
create_jails() {
  local kind=$1 rel=$2 times=() sizes=() t i name
  shift 2
  for i in $(seq "$count"); do
    name="$kind-${rel%%.*}-$i"
    t=$(now)
    W create -n "$name" -r "$rel" "$@" >"$run/create.log" 2>&1 || { cat "$run/create.log" >&2; die "create $name failed"; }
    times+=("$(elapsed "$t")")
  done
  sync
  sleep 1 # zfs-fuse settles its space accounting after the last transaction group
  for i in $(seq "$count"); do sizes+=("$(used "$kind-${rel%%.*}-$i")"); done
  med_time=$(median "${times[@]}")
  med_used=$(median "${sizes[@]}")
  say "$count $kind jails from $rel: median ${med_time} s, $(mb "$med_used") MB each (times ${times[*]})"
}

declare -A T U
for rel in "$small" "$large"; do
  create_jails thin "$rel"; T[thin-$rel]=$med_time U[thin-$rel]=$med_used
  create_jails thick "$rel" -T; T[thick-$rel]=$med_time U[thick-$rel]=$med_used
done
rel_mb() { mb "$(zfs get -Hp -o value used "$pool/warder/releases/$1")"; }

echo
echo "jails: $count jails of each kind on zfs-fuse, $(nproc) CPUs; releases $small ($(rel_mb "$small") MB)" \
  "and $large ($(rel_mb "$large") MB); medians per jail"
printf '  %-22s %10s %10s %12s %12s %14s %14s\n' kind "s ($small)" "s ($large)" "MB ($small)" "MB ($large)" \
  "time large/sm" "space large/sm"
for kind in thin thick; do
  printf '  %-22s %10s %10s %12s %12s %14s %14s\n' "$kind$([ $kind = thick ] && echo ' -T (baseline)')" \
    "${T[$kind-$small]}" "${T[$kind-$large]}" "$(mb "${U[$kind-$small]}")" "$(mb "${U[$kind-$large]}")" \
    "$(ratio "${T[$kind-$large]}" "${T[$kind-$small]}")" "$(ratio "${U[$kind-$large]}" "${U[$kind-$small]}")"
done
echo "  thin/thick on $large: time $(ratio "${T[thin-$large]}" "${T[thick-$large]}"), space $(ratio "${U[thin-$large]}" "${U[thick-$large]}")"
