#!/usr/bin/env bash
# warder export and import of a jail of about SIZE_MB of files (on a file-backed zfs-fuse pool)
# against the plain pipelines on the same data in the same run:
#   zfs format:  zfs snapshot; zfs send DS@snap | zstd -T0 > FILE      zstd -d < FILE | zfs receive DS
#   tar format:  bsdtar -c --format pax -C ROOT . | zstd -T0 > FILE     zstd -d < FILE | bsdtar -x -C DIR
# each also with a sha256sum of FILE (warder hashes every member and the whole bundle, so the
# baseline with sha256sum is the one the target is about: warder <= 1.1x). Rounds interleaved
# (baseline, warder, per step); medians of wall and CPU time, the ratios and the file sizes.
# Then the JVM heap: one export and import per format with -Xmx64m and a GC log, of the jail and
# of one 1/4 its size: the peak heap after GC and the max RSS must not grow with the jail.
# Last, one warder run of each step with -v, its host commands timestamped: where the time goes.
# Usage: bench/export-import.sh [ROUNDS [SIZE_MB]]   (default 3 rounds, a jail of 1024 MB)
# Needs root (zpool create); starts zfs-fuse when it is not running. WARDER_BIN as in lib.sh.
set -euo pipefail
shopt -s inherit_errexit # a failing step inside timed's command substitution fails the run
. "$(dirname "$(readlink -f "$0")")/lib.sh"

rounds=${1:-3}
size_mb=${2:-1024}
warder=${WARDER_BIN:-$top/bin/warder}
need_jars
[ "$(id -u)" -eq 0 ] || die "needs root: zpool create on a file-backed vdev"
need_tools zpool:zfs-fuse zstd:zstd bsdtar:libarchive-tools tar:tar sha256sum:coreutils /usr/bin/time:time
if ! pgrep -x zfs-fuse >/dev/null; then
  say "starting zfs-fuse"
  zfs-fuse
  for _ in $(seq 1 50); do zpool list >/dev/null 2>&1 && break; sleep 0.2; done
fi
zfs_pid=$(pgrep -xo zfs-fuse) || die "zfs-fuse is not running"

run="$work/export-import"
pool="wbench$(printf '%04x' $$)"
cleanup() {
  if zpool list -H -o name "$pool" >/dev/null 2>&1; then
    local ds
    for ds in $(zfs list -H -o name -r "$pool" | sort -r); do zfs unmount -f "$ds" >/dev/null 2>&1 || true; done
    zpool destroy -f "$pool" || say "could not destroy pool $pool; run: zpool destroy -f $pool"
  fi
  rm -rf "$run"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
rm -rf "$run"
mkdir -p "$run/out" "$run/gc"

# Pool: the two jails, one received copy at a time, snapshots (sparse file).
truncate -s "$(( size_mb * 5 + 2048 ))M" "$run/pool.img"
zpool create -m none "$pool" "$run/pool.img"
zfs create -o mountpoint="$run/base" "$pool/base" # where the baselines receive and extract (mounted, as warder's)
root="$run/root"
W() { CI=1 "$warder" --root "$root" "$@"; }
W activate "$pool/warder" >/dev/null

# The quarter jail takes every 4th file of big's list.
list="$run/files.list"
jail_files "$list" "$size_mb"
fill_jail() { # NAME EVERY (every Nth file of the list)
  W create -e -n "$1" >/dev/null
  fill_jail_root "$root/jails/$1/root" "$list" "$size_mb" "$2"
}
say "filling jail big (about $size_mb MB) and jail quarter (about $(( size_mb / 4 )) MB) from /usr and /dev/urandom"
fill_jail big 1
fill_jail quarter 4
sync
ds="$pool/warder/jails/big/root"
jroot="$root/jails/big/root"
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
data_bytes=$(du -sb "$jroot" | cut -f1)
files=$(find "$jroot" | wc -l)
say "big: $(mb "$data_bytes") MB in $files entries; quarter: $(mb "$(du -sb "$root/jails/quarter/root" | cut -f1)") MB"

# Page cache and zfs-fuse's ARC warmed once (caches cannot be dropped reliably on zfs-fuse).
say "warming the data once (bsdtar and zfs send of the jail root, read to /dev/null)"
bsdtar -c -f - --format pax -C "$jroot" . | cat >/dev/null
zfs snapshot "$ds@warm" && zfs send "$ds@warm" | cat >/dev/null && zfs destroy "$ds@warm"

# CPU seconds (user + system) of the processes a shell waited for, from bash's `times` output,
# plus what the zfs-fuse daemon spent meanwhile (it does the file system's and zfs send's work).
cpu_of() { awk 'NR == 2 { for (i = 1; i <= 2; i++) { split($i, t, /[ms]/); s += t[1] * 60 + t[2] } printf "%.2f", s }' "$1"; }
zfs_ticks() { awk '{ print $14 + $15 }' "/proc/$zfs_pid/stat"; }
hz=$(getconf CLK_TCK)
# timed FUNC ARGS...: prints "WALL CPU" of FUNC, run in this command substitution's shell.
timed() {
  local t z
  sync
  z=$(zfs_ticks)
  t=$(now)
  "$@"
  local wall
  wall=$(elapsed "$t")
  times >"$run/times"
  echo "$wall $(awk -v c="$(cpu_of "$run/times")" -v a="$z" -v b="$(zfs_ticks)" -v hz="$hz" \
    'BEGIN { printf "%.2f", c + (b - a) / hz }')"
}

bz="$run/out/base.zfs.zst" bt="$run/out/base.tar.zst"
wz="$run/out/w.zfs.warder.tar" wt="$run/out/w.tar.warder.tar"
b_export_zfs() { zfs snapshot "$ds@bench"; zfs send "$ds@bench" | zstd -T0 -q >"$bz"; zfs destroy "$ds@bench"; }
b_import_zfs() { zstd -d -q <"$bz" | zfs receive "$pool/base/zfs"; }
b_export_tar() { bsdtar -c -f - --format pax --numeric-owner -C "$jroot" . | zstd -T0 -q >"$bt"; }
b_import_tar() { zfs create "$pool/base/tar"; zstd -d -q <"$bt" | bsdtar -x -p --numeric-owner -f - -C "$run/base/tar"; }
b_sha() { sha256sum "$1" >/dev/null; }
w_log="$run/warder.log"
w_run() { W "$@" >"$w_log" 2>&1 || { cat "$w_log" >&2; die "warder $* failed"; }; }
w_export() { w_run export big -o "$2" --format "$1" --compress zstd; }
w_import() { w_run import "$1" -n "$2"; }

# zfs-fuse may call a dataset busy for a moment after its last user went: unmount, then retry.
destroy_ds() {
  local i
  for i in 1 2 3 4 5 6 7 8 9 10; do
    zfs unmount -f "$1" >/dev/null 2>&1 || true
    zfs destroy -r "$1" 2>"$run/destroy.err" && return 0
    sleep 0.5
  done
  cat "$run/destroy.err" >&2
  die "could not destroy $1"
}

want=$(tree_sum "$jroot")
check_tree() { # DIR WHAT
  local got
  got=$(tree_sum "$1")
  [ "$got" = "$want" ] || die "$2: the imported tree differs from the jail's ($got, expected $want)"
}

declare -A T C # T[step-round] wall, C[step-round] cpu
record() { # STEP ROUND FUNC ARGS...
  local v
  v=$(timed "${@:3}")
  read -r "T[$1-$2]" "C[$1-$2]" <<<"$v"
}
for r in $(seq "$rounds"); do
  rm -f "$run"/out/*
  record bxz "$r" b_export_zfs
  record bxz_sha "$r" b_sha "$bz"
  record wxz "$r" w_export zfs "$wz"
  record bmz_sha "$r" b_sha "$bz"
  record bmz "$r" b_import_zfs
  record wmz "$r" w_import "$wz" imp-zfs
  if [ "$r" = 1 ]; then check_tree "$run/base/zfs" "zstd -d | zfs receive"; check_tree "$root/jails/imp-zfs/root" "warder import (zfs)"; fi
  destroy_ds "$pool/base/zfs"; W destroy -f imp-zfs >/dev/null
  record bxt "$r" b_export_tar
  record bxt_sha "$r" b_sha "$bt"
  record wxt "$r" w_export tar "$wt"
  record bmt_sha "$r" b_sha "$bt"
  record bmt "$r" b_import_tar
  record wmt "$r" w_import "$wt" imp-tar
  if [ "$r" = 1 ]; then check_tree "$run/base/tar" "zstd -d | bsdtar -x"; check_tree "$root/jails/imp-tar/root" "warder import (tar)"; fi
  destroy_ds "$pool/base/tar"; W destroy -f imp-tar >/dev/null
  for s in bxz bxt bmz bmt; do # the baseline with its sha256sum
    T[${s}+-$r]=$(awk -v a="${T[$s-$r]}" -v b="${T[${s}_sha-$r]}" 'BEGIN { printf "%.2f", a + b }')
    C[${s}+-$r]=$(awk -v a="${C[$s-$r]}" -v b="${C[${s}_sha-$r]}" 'BEGIN { printf "%.2f", a + b }')
  done
  say "round $r: export zfs ${T[bxz-$r]}+${T[bxz_sha-$r]} / ${T[wxz-$r]} s, import zfs ${T[bmz-$r]}+${T[bmz_sha-$r]} / ${T[wmz-$r]} s," \
    "export tar ${T[bxt-$r]}+${T[bxt_sha-$r]} / ${T[wxt-$r]} s, import tar ${T[bmt-$r]}+${T[bmt_sha-$r]} / ${T[wmt-$r]} s" \
    "(baseline+sha256sum / warder; load $(cut -d' ' -f1 /proc/loadavg))"
done
sizes="$(stat -c %s "$bz") $(stat -c %s "$wz") $(stat -c %s "$bt") $(stat -c %s "$wt")"
rm -f "$run"/out/*
medT() { local s=$1 v=() r; for r in $(seq "$rounds"); do v+=("${T[$s-$r]}"); done; median "${v[@]}"; }
medC() { local s=$1 v=() r; for r in $(seq "$rounds"); do v+=("${C[$s-$r]}"); done; median "${v[@]}"; }
allT() { local s=$1 v=() r; for r in $(seq "$rounds"); do v+=("${T[$s-$r]}"); done; echo "${v[*]}"; }

# The heap: one export and import per format of each jail, -Xmx64m, GC log, /usr/bin/time -v.
heap_lines=()
heap_run() { # JAIL STEP ARGS...
  local jail=$1 step=$2
  shift 2
  heap_probe "$run/gc/$jail-${step/ /-}" -Xmx64m "$warder" --root "$root" "$@"
  heap_lines+=("$(printf '  %-8s %-11s %7s %6s %12s %13s %10s' "$jail" "$step" "${probe[@]}")")
}
say "heap: export and import of big and quarter with WARDER_JAVA_OPTS=\"-Xmx64m -Xlog:gc:file=...\""
for jail in big quarter; do
  for f in zfs tar; do
    heap_run "$jail" "export $f" export "$jail" -o "$run/out/h.$f" --format "$f" --compress zstd
    heap_run "$jail" "import $f" import "$run/out/h.$f" -n "h-$jail-$f"
    W destroy -f "h-$jail-$f" >/dev/null
    rm -f "$run/out/h.$f" "$run/out/h.$f.sha256"
  done
done

# Where a warder run spends its time, from `warder -v` (each host command printed as it starts,
# timestamped here). The exporter writes each member straight into the bundle file, then fills in
# bundle.json and hashes the file once.
stamp_lines() { local t0=$1 l; while IFS= read -r l; do printf '%s %s\n' "$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }')" "$l"; done; }
at() { awk -v re="$2" -v after="${3:-0}" '$1 >= after && index($0, re) { print $1; exit }' "$1"; } # LOG TEXT [AFTER]: first time
after_cmd() { awk -v after="$2" '$1 > after && $2 == "+" { print $1; exit }' "$1"; }                # LOG T: next host command
phase_lines=()
phases_export() { # FORMAT
  local log="$run/phases-x$1.log" out="$run/out/p.$1" t0
  t0=$(now)
  W -v export big -o "$out" --format "$1" --compress zstd 2>&1 | stamp_lines "$t0" >"$log" || true
  echo "$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }') exit" >>"$log"
  grep -q 'exported big' "$log" || { cat "$log" >&2; die "warder export ($1) failed"; }
  rm -f "$out" "$out.sha256"
  local snap exp root_end end
  snap=$(at "$log" "+ zfs snapshot") exp=$(at "$log" "exporting big") end=$(at "$log" " exit")
  root_end=$(after_cmd "$log" "$(at "$log" "$([ "$1" = zfs ] && echo '+ zfs send' || echo '+ bsdtar')")")
  phase_lines+=("$(awk -v f="$1" -v s="$snap" -v e="$exp" -v r="$root_end" -v x="$end" 'BEGIN {
    if (r == "") r = x
    printf "  export %s: start %.2f, files.tar %.2f, root member written %.2f, bundle.json, hash, snapshot destroyed and exit %.2f; total %.2f",
      f, s, e - s, r - e, x - r, x }')")
}
phases_import() { # FORMAT FILE
  local log="$run/phases-m$1.log" t0
  t0=$(now)
  W -v import "$2" -n "p-$1" 2>&1 | stamp_lines "$t0" >"$log" || true
  echo "$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }') exit" >>"$log"
  grep -q 'imported p-' "$log" || { cat "$log" >&2; die "warder import ($1) failed"; }
  W destroy -f "p-$1" >/dev/null
  local staging root after end
  staging=$(at "$log" "/staging/import-") end=$(at "$log" " exit")
  root=$(at "$log" "$([ "$1" = zfs ] && echo '+ zfs receive' || echo '/root')" "$staging")
  after=$(after_cmd "$log" "$root")
  phase_lines+=("$(awk -v f="$1" -v s="$staging" -v r="$root" -v a="$after" -v x="$end" 'BEGIN {
    printf "  import %s: start %.2f, files.tar %.2f, root member received %.2f, committed %.2f; total %.2f", f, s, r - s, a - r, x - a, x }')")
}
say "phases: one warder export and import per format of big, with -v"
for f in zfs tar; do
  phases_export "$f"
  w_export "$f" "$run/out/p.$f"
  phases_import "$f" "$run/out/p.$f"
  rm -f "$run/out/p.$f" "$run/out/p.$f.sha256"
done

row() { # LABEL STEP [BASELINE-STEP]
  printf '  %-48s wall %6.2f  cpu %6.2f   (wall %s)\n' "$1" "$(medT "$2")" "$(medC "$2")" "$(allT "$2")"
}
read -r s_bz s_wz s_bt s_wt <<<"$sizes"
echo
echo "export-import: jail of $(mb "$data_bytes") MB ($files entries) on zfs-fuse, $rounds rounds, $(nproc) CPUs," \
  "load $(cut -d' ' -f2 /proc/loadavg) (5 min); medians in seconds"
echo "  (data warmed once before the rounds, caches not dropped; cpu: user + system of the processes and of the"
echo "   zfs-fuse daemon meanwhile; baseline+sha256: the pipeline, then sha256sum of its file)"
row "zfs export: snapshot; send | zstd -T0 > f" bxz
row "            + sha256sum f (the baseline)" bxz+
row "            warder export --format zfs" wxz
row "zfs import: zstd -d < f | zfs receive" bmz
row "            + sha256sum f (the baseline)" bmz+
row "            warder import" wmz
row "tar export: bsdtar -c | zstd -T0 > f" bxt
row "            + sha256sum f (the baseline)" bxt+
row "            warder export --format tar" wxt
row "tar import: zfs create; zstd -d < f | bsdtar -x" bmt
row "            + sha256sum f (the baseline)" bmt+
row "            warder import" wmt
for p in "export zfs:wxz:bxz" "import zfs:wmz:bmz" "export tar:wxt:bxt" "import tar:wmt:bmt"; do
  IFS=: read -r what w b <<<"$p"
  echo "  ratio $what: $(ratio "$(medT "$w")" "$(medT "$b+")")x   (without sha256sum: $(ratio "$(medT "$w")" "$(medT "$b")")x;" \
    "cpu $(ratio "$(medC "$w")" "$(medC "$b+")")x)$([ "$what" = "import tar" ] && echo '   (no target)' || echo '   (target <= 1.1)')"
done
echo "  sizes: zfs bundle $(mb "$s_wz") MB, zfs send | zstd $(mb "$s_bz") MB ($(ratio "$s_wz" "$s_bz")x);" \
  "tar bundle $(mb "$s_wt") MB, bsdtar | zstd $(mb "$s_bt") MB ($(ratio "$s_wt" "$s_bt")x)"
echo
echo "heap (-Xmx64m): one run each; MiB"
printf '  %-8s %-11s %7s %6s %12s %13s %10s\n' jail step "wall s" GCs "peak after" "peak before" "max RSS"
printf '%s\n' "${heap_lines[@]}"
echo
echo "phases of one warder run each (s, from -v host-command times; noisy on a busy machine)"
printf '%s\n' "${phase_lines[@]}"
