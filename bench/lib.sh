# Shared by the benchmark scripts in bench/: sourced, never run. Builds nothing; checks the jars,
# installs missing Debian tools, makes (once) the test release, starts and stops a registry.
# Work files live under bench/.work (git-ignored).

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work="$top/bench/.work"
release=14.2-RELEASE
arch=amd64
mkdir -p "$work"

say() { printf '==> %s\n' "$*" >&2; }
die() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; exit 1; }

need_jars() {
  local jar
  for jar in "$top/client/target/warder.jar" "$top/registry-server/target/warder-registry.jar"; do
    [ -f "$jar" ] || die "$jar is missing; build first: (cd $top && mvn -q package -DskipTests)"
  done
}

# need_tools CMD:PACKAGE ...: installs the Debian packages of the commands that are missing.
need_tools() {
  local missing=() pair
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "missing packages ${missing[*]}; install them (apt-get install ${missing[*]}) or run as root"
  say "installing ${missing[*]} (apt-get)"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# start_zfs_fuse: the zfs-fuse daemon, when it is not running yet (Linux; needs root).
start_zfs_fuse() {
  if ! pgrep -x zfs-fuse >/dev/null; then
    say "starting zfs-fuse"
    zfs-fuse
    for _ in $(seq 1 50); do zpool list >/dev/null 2>&1 && break; sleep 0.2; done
  fi
}

# destroy_pool POOL: unmounts its datasets deepest first (zfs-fuse wants that) and destroys it.
destroy_pool() {
  if zpool list -H -o name "$1" >/dev/null 2>&1; then
    local ds
    for ds in $(zfs list -H -o name -r "$1" | sort -r); do zfs unmount -f "$ds" >/dev/null 2>&1 || true; done
    zpool destroy -f "$1" || say "could not destroy pool $1; run: zpool destroy -f $1"
  fi
}

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

free_port() {
  local p
  for p in $(shuf -i 20000-60000 -n 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
  done
  die "no free port found"
}

wait_http() { # URL PID LOG
  local i=0
  until curl -fsS -o /dev/null "$1" 2>/dev/null; do
    i=$((i + 1))
    if [ $i -gt 240 ] || ! kill -0 "$2" 2>/dev/null; then
      cat "$3" >&2
      die "$1 did not come up"
    fi
    sleep 0.25
  done
}

# The test release: bench/.work/dist/{base.txz,MANIFEST}, about 150 MB of multi-block xz made
# from a pax tar of system files. Reuses /tmp/xzbench/base.txz when present; built once.
make_release() {
  local dist="$work/dist"
  if [ -s "$dist/base.txz" ] && [ -s "$dist/MANIFEST" ]; then
    return 0
  fi
  rm -rf "$dist" "$work/dist.tmp"
  mkdir -p "$work/dist.tmp"
  local members
  if [ -s /tmp/xzbench/base.txz ] && xz -l /tmp/xzbench/base.txz >/dev/null 2>&1; then
    say "reusing /tmp/xzbench/base.txz"
    cp /tmp/xzbench/base.txz "$work/dist.tmp/base.txz"
    members=$(xz -T0 -dc "$work/dist.tmp/base.txz" | tar -tf - | wc -l)
  else
    # About 700 MB of /usr/lib and /usr/share (regular files, directories, symlinks), in tree order;
    # awk reads find's whole output (an early exit would kill find by SIGPIPE under pipefail).
    say "building base.txz from /usr/lib and /usr/share (about 700 MB of pax tar, xz -6 -T0; once, a few minutes)"
    (cd / && find usr/lib usr/share -xdev \( -type d -o -type f -o -type l \) -printf '%s\t%p\n') |
      awk -F'\t' '{ total += $1; if (total <= 700 * 1024 * 1024) print $2 }' >"$work/dist.tmp/list"
    members=$(wc -l <"$work/dist.tmp/list")
    tar --format=pax --no-recursion -C / -cf - -T "$work/dist.tmp/list" | xz -6 -T0 >"$work/dist.tmp/base.txz"
  fi
  local blocks
  blocks=$(xz -lv "$work/dist.tmp/base.txz" | awk '/^  *Blocks:/ { print $2; exit }')
  [ "${blocks:-1}" -gt 1 ] || die "base.txz has one xz block; multi-threaded decompression needs several"
  printf 'base.txz\t%s\t%s\tbase\t"Base system (MANDATORY)"\ton\n' \
    "$(sha256sum "$work/dist.tmp/base.txz" | cut -d' ' -f1)" "$members" >"$work/dist.tmp/MANIFEST"
  mv "$work/dist.tmp" "$dist"
}

# serve_registry ROLE PATTERN: a fresh registry in bench/.work/registry serving on a free port,
# with role ROLE (paths PATTERN) delegated to a new publisher key "pub" and a token for it
# (reg_token); the host bench/.work/registry/publisher trusts it as "main". Sets reg_pid,
# reg_url, reg_port, root_sha, reg_data, reg_token; exports WARDER_KEYS. The server is
# $WARDER_REGISTRY_BIN when set (another build's bin/warder-registry, to compare builds).
# WARDER_REGISTRY_JAVA_OPTS applies to the server only (the offline commands need their default heap).
# It listens on $reg_host (default 127.0.0.1).
serve_registry() {
  local role=$1 pattern=$2 reg="$work/registry" serve_opts=${WARDER_REGISTRY_JAVA_OPTS:-}
  local WARDER_REGISTRY_JAVA_OPTS=
  rm -rf "$reg"
  mkdir -p "$reg"
  printf 'bench-offline-passphrase\n' >"$reg/pass"
  printf 'bench-publisher-passphrase\n' >"$reg/pass2"
  chmod 600 "$reg/pass" "$reg/pass2"
  reg_data="$reg/data"
  "$top/bin/warder-registry" init --data "$reg_data" --passphrase-file "$reg/pass" >"$reg/init.log"
  export WARDER_KEYS="$reg/keys"
  "$top/bin/warder" --root "$reg/publisher" key generate --name pub --passphrase-file "$reg/pass2" >"$reg/key.log"
  "$top/bin/warder-registry" delegate "$role" --key "$WARDER_KEYS/pub.pub.json" --paths "$pattern" \
    --data "$reg_data" --passphrase-file "$reg/pass" >"$reg/delegate.log"
  reg_token=$("$top/bin/warder-registry" token create --publisher bench --role "$role" --data "$reg_data")
  reg_port=$(free_port)
  reg_url="http://${reg_host:-127.0.0.1}:$reg_port/"
  WARDER_REGISTRY_JAVA_OPTS=$serve_opts "${WARDER_REGISTRY_BIN:-$top/bin/warder-registry}" serve --data "$reg_data" --listen "${reg_host:-127.0.0.1}:$reg_port" \
    --access-log "$reg/access.log" >"$reg/serve.log" 2>&1 &
  reg_pid=$!
  wait_http "${reg_url}healthz" "$reg_pid" "$reg/serve.log"
  root_sha=$(sha256sum "$reg_data/repository/metadata/1.root.json" | cut -d' ' -f1)
  "$top/bin/warder" --root "$reg/publisher" repo add main "$reg_url" --root-sha256 "$root_sha" >"$reg/repo-add.log"
}

# start_registry: serve_registry with the release published as role "releases".
# Sets, besides serve_registry's, target_url, target_path, blob.
start_registry() {
  local reg="$work/registry"
  serve_registry releases 'releases/*/*/*'
  say "publishing $release ($(du -h "$work/dist/base.txz" | cut -f1) base.txz) to the registry on port $reg_port"
  WARDER_TOKEN="$reg_token" CI=1 "$top/bin/warder" --root "$reg/publisher" publish release "$release" "$work/dist" \
    --repo main --key pub --passphrase-file "$reg/pass2" --arch "$arch" >"$reg/publish.log" 2>&1 ||
    { cat "$reg/publish.log" >&2; die "publishing failed"; }
  local sha
  sha=$(cut -f2 "$work/dist/MANIFEST")
  target_path="targets/releases/$release/$arch/$sha.base.txz"
  target_url="$reg_url$target_path"
  blob="$reg_data/blobs/sha256/${sha:0:2}/$sha"
  [ -f "$blob" ] || die "the registry holds no blob $blob"
  curl -fsS -o /dev/null "$target_url" || die "$target_url is not served"
}

stop_registry() {
  if [ -n "${reg_pid:-}" ]; then
    kill "$reg_pid" 2>/dev/null || true
    wait "$reg_pid" 2>/dev/null || true
    reg_pid=
  fi
}

# The JVM heap of one warder run, from its GC log (serial collector lines such as
# "GC(3) Pause Young (Allocation Failure) 17M->3M(61M) 2.1ms") and GNU time's report.
# gc_summary LOG: the number of GCs, the peak heap used after a GC and before one (MiB).
gc_summary() {
  awk 'function mib(v, u) { return u == "K" ? v / 1024 : u == "G" ? v * 1024 : v + 0 }
    match($0, /[0-9]+[KMG]->[0-9]+[KMG]\(/) {
      s = substr($0, RSTART, RLENGTH - 1); split(s, p, "->")
      b = mib(substr(p[1], 1, length(p[1]) - 1), substr(p[1], length(p[1])))
      a = mib(substr(p[2], 1, length(p[2]) - 1), substr(p[2], length(p[2])))
      n++; if (a > after) after = a; if (b > before) before = b }
    END { printf "%d %.1f %.1f", n, after, before }' "$1"
}
rss_mib() { awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$1"; } # TIME-V-OUTPUT

# heap_probe BASE OPTS CMD...: runs CMD (a warder launcher and its arguments, perhaps behind a
# prefix such as `ip netns exec NS`) with WARDER_JAVA_OPTS="OPTS -Xlog:gc:file=BASE.gc" and CI=1
# under /usr/bin/time -v (report in BASE.time), its output in BASE.out; dies showing both when CMD
# fails. Sets probe=(WALL GCS PEAK_AFTER PEAK_BEFORE MAX_RSS): seconds, a count, MiB.
heap_probe() {
  local base=$1 opts=$2 t
  shift 2
  rm -f "$base.gc"
  t=$(now)
  WARDER_JAVA_OPTS="${opts:+$opts }-Xlog:gc:file=$base.gc" CI=1 /usr/bin/time -v -o "$base.time" "$@" >"$base.out" 2>&1 ||
    { cat "$base.out" "$base.time" >&2; die "$* (WARDER_JAVA_OPTS $opts) failed"; }
  local wall
  wall=$(elapsed "$t")
  # shellcheck disable=SC2207 # gc_summary prints three numbers
  probe=("$wall" $(gc_summary "$base.gc") "$(rss_mib "$base.time")")
}

# A jail of about SIZE_MB megabytes: 90% system files (usr/share, usr/bin, usr/lib, compressible
# as a real jail's, about 2:1 with zstd), 10% random data in 8 MiB files.
# jail_files LIST SIZE_MB: writes to LIST the files (paths relative to /) of the 90%.
jail_files() {
  (cd / && find usr/share usr/bin usr/lib -xdev \( -type f -o -type l \) -printf '%s\t%p\n' 2>/dev/null) |
    awk -F'\t' -v max="$2" 'total + $1 <= max * 0.9 * 1048576 { total += $1; print $2 }' >"$1"
}
# fill_jail_root DIR LIST SIZE_MB EVERY: copies every EVERYth file of LIST into DIR (modes and
# owners kept) and adds the random 10% (of SIZE_MB / EVERY) under DIR/var/db/random.
fill_jail_root() {
  local dir=$1 list=$2 n=$(( $3 * 1048576 / 10 / 8388608 / $4 )) i
  awk -v every="$4" 'NR % every == 1 || every == 1' "$list" | tar -C / -cf - --no-recursion -T - | tar -C "$dir" -xpf -
  mkdir -p "$dir/var/db/random"
  for i in $(seq "$n"); do head -c 8388608 /dev/urandom >"$dir/var/db/random/blob$i"; done
}
# tree_sum DIR: a short hash of DIR's listing (type, path, mode, owner, link target, size of
# files), to compare copies of a tree.
tree_sum() { (cd "$1" && find . -printf '%y %p %m %U %G %l %s\n' | awk '$1 == "d" { $NF = "" } 1' | sort | sha256sum | cut -c1-16); }

# heap_record BUILD CAP: keeps the last heap_probe's figures for heap_table, as the run of BUILD
# ("now" for this build or WARDER_BIN's, "before" for WARDER_BIN_BEFORE's) with heap cap CAP.
heap_rows=()
heap_record() { heap_rows+=("$1 $2 ${probe[*]}"); }
# heap_table: the recorded runs, then per cap the ratios now/before of the peaks, RSS and wall time.
heap_table() {
  printf '  %-7s %-8s %7s %5s %11s %12s %9s\n' build cap "wall s" GCs "peak after" "peak before" "max RSS"
  printf '%s\n' "${heap_rows[@]}" | awk '
    function r(a, b) { return b > 0 ? sprintf("%.2f", a / b) : "-" }
    { printf "  %-7s %-8s %7s %5s %11s %12s %9s\n", $1, $2, $3, $4, $5, $6, $7
      k = $2; caps[k] = 1
      for (i = 3; i <= 7; i++) v[$1, k, i] = $i }
    END { for (k in caps) if ((("now", k, 3) in v) && (("before", k, 3) in v))
      printf "  now/before, cap %s: peak after GC %s, peak before GC %s, max RSS %s, wall %s\n", k,
        r(v["now", k, 5], v["before", k, 5]), r(v["now", k, 6], v["before", k, 6]),
        r(v["now", k, 7], v["before", k, 7]), r(v["now", k, 3], v["before", k, 3]) }'
}
