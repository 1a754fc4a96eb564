#!/usr/bin/env bash
# Fetching and extracting a ~150 MB multi-block base.txz from a local warder-registry, three ways:
#   (a) what iocage and Bastille do: curl -o FILE URL; sha256sum FILE; tar -xJf FILE -C DIR
#   (b) the fastest unverified pipeline: curl URL | xz -T0 -d | tar -x -C DIR
#   (w) warder fetch -r REL into a fresh root (signed metadata, verified download, extraction)
#   (d) the download alone: curl -o /dev/null URL
#   (x) the decode alone: xz -T0 -dc BLOB >/dev/null, from the registry's own copy (no download, no
#       check, no extraction): the floor of any way that decodes with xz; x/a is the least w/a
#       could be on this machine even if the JVM, the checks and the extraction cost nothing
# Rounds interleaved (d, a, b, w, d, a, b, w, ...); medians and the ratios w/a, w/b, w/d are printed.
# With MBIT, the clients run in a network namespace of their own whose only link to the registry
# is a veth pair limited to MBIT Mbit/s each way (tc tbf), as over a real network (root).
# Usage: bench/release-fetch.sh [ROUNDS [MBIT]]   (default 3 rounds, no limit)
# Then the heap (not timed): one more (w) with a GC log, and one capped at -Xmx64m (which must
# succeed): peak heap after and before GC, max RSS; with WARDER_BIN_BEFORE=other/bin/warder the
# same for that build, and the ratios now/before.
# WARDER_BIN=other/bin/warder measures another build's client (publishing always uses this one's).
set -euo pipefail
. "$(dirname "$(readlink -f "$0")")/lib.sh"

rounds=${1:-3}
mbit=${2:-}
warder=${WARDER_BIN:-$top/bin/warder} # another build's bin/warder, to compare builds
need_jars
need_tools curl:curl xz:xz-utils tar:tar sha256sum:coreutils shuf:coreutils /usr/bin/time:time
make_release
# bsdtar-made archives carry LIBARCHIVE.* pax keywords that GNU tar warns about.
export TAR_OPTIONS=--warning=no-unknown-keyword

# The clients' side: nothing, or the network namespace behind the limited link.
client=()
ns= host_if=
cleanup() {
  stop_registry
  if [ -n "$ns" ]; then
    ip link del "$host_if" 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
  fi
}
trap cleanup EXIT
if [ -n "$mbit" ]; then
  [[ $mbit =~ ^[1-9][0-9]*$ ]] || die "MBIT must be a whole number of Mbit/s, not '$mbit'"
  [ "$(id -u)" -eq 0 ] || die "a bandwidth limit needs root (a network namespace and tc)"
  need_tools ip:iproute2 tc:iproute2
  ns=warder-bench-$$ host_if=wbh$$
  ip netns add "$ns"
  ip link add "$host_if" type veth peer name wbn$$
  ip link set wbn$$ netns "$ns"
  ip addr add 10.213.77.1/30 dev "$host_if"
  ip link set "$host_if" up
  ip netns exec "$ns" ip addr add 10.213.77.2/30 dev wbn$$
  ip netns exec "$ns" ip link set wbn$$ up
  ip netns exec "$ns" ip link set lo up
  # Each direction's egress is shaped: the registry's answers (host side) and the requests.
  tc qdisc add dev "$host_if" root tbf rate "${mbit}mbit" burst 256kb latency 100ms
  ip netns exec "$ns" tc qdisc add dev wbn$$ root tbf rate "${mbit}mbit" burst 256kb latency 100ms
  reg_host=10.213.77.1
  client=(ip netns exec "$ns")
  say "clients in network namespace $ns, $mbit Mbit/s to the registry at $reg_host"
fi
start_registry

run="$work/fetch"
rm -rf "$run"
mkdir -p "$run"
say "target: $target_url ($(stat -c %s "$blob") bytes, $(xz -l "$blob" | awk 'NR == 2 { print $2 }') xz blocks)"

# Each way starts from an empty directory, with earlier writes flushed (outside the timing).
# CPU seconds (user + system) of the processes a shell waited for, from the output of bash's
# `times` (which must run in that shell itself, not in a command substitution).
cpu_of() { awk 'NR == 2 { for (i = 1; i <= 2; i++) { split($i, t, /[ms]/); s += t[1] * 60 + t[2] } printf "%.2f", s }' "$1"; }

fresh() { rm -rf "${@/#/$run/}"; mkdir -p "$run/a/x" "$run/b/x"; sync; }

time_a() {
  local t
  t=$(now)
  "${client[@]}" curl -fsS -o "$run/a/base.txz" "$target_url"
  sha256sum "$run/a/base.txz" >/dev/null
  tar -xJf "$run/a/base.txz" -C "$run/a/x"
  times >"$run/times"
  echo "$(elapsed "$t") $(cpu_of "$run/times")"
}

time_b() {
  local t
  t=$(now)
  "${client[@]}" curl -fsS "$target_url" | xz -T0 -d | tar -x -C "$run/b/x"
  times >"$run/times"
  echo "$(elapsed "$t") $(cpu_of "$run/times")"
}

time_d() {
  local t
  t=$(now)
  "${client[@]}" curl -fsS -o /dev/null "$target_url"
  times >"$run/times"
  echo "$(elapsed "$t") $(cpu_of "$run/times")"
}

time_x() {
  local t
  t=$(now)
  xz -T0 -dc "$blob" >/dev/null
  times >"$run/times"
  echo "$(elapsed "$t") $(cpu_of "$run/times")"
}

time_w() {
  "${client[@]}" "$warder" --root "$run/w" repo add main "$reg_url" --root-sha256 "$root_sha" >/dev/null
  local t
  times >"$run/times0"
  t=$(now)
  CI=1 "${client[@]}" /usr/bin/time -f %M -o "$run/w.rss" "$warder" --root "$run/w" fetch -r "$release" --repo main --arch "$arch" -F base.txz --no-update \
    >"$run/w.log" 2>&1 || { cat "$run/w.log" >&2; die "warder fetch failed"; }
  local wall
  wall=$(elapsed "$t")
  times >"$run/times"
  echo "$wall $(awk -v a="$(cpu_of "$run/times")" -v b="$(cpu_of "$run/times0")" 'BEGIN { printf "%.2f", a - b }') $(tail -n 1 "$run/w.rss")"
}

ta=() tb=() tw=() td=() tx=() ca=() cb=() cw=() cd=() cx=() rw=()
for i in $(seq "$rounds"); do
  read -r x c <<<"$(time_d)"; td+=("$x"); cd+=("$c")
  read -r x c <<<"$(time_x)"; tx+=("$x"); cx+=("$c")
  fresh a; read -r x c <<<"$(time_a)"; ta+=("$x"); ca+=("$c")
  fresh b; read -r x c <<<"$(time_b)"; tb+=("$x"); cb+=("$c")
  fresh w; read -r x c r <<<"$(time_w)"; tw+=("$x"); cw+=("$c"); rw+=("$r")
  say "round $i: d ${td[-1]} s, x ${tx[-1]} s, a ${ta[-1]} s (cpu ${ca[-1]}), b ${tb[-1]} s (cpu ${cb[-1]}), w ${tw[-1]} s (cpu ${cw[-1]})" \
    "(load $(cut -d' ' -f1 /proc/loadavg))"
done
# The trees must agree: same members as the unverified pipeline extracted.
na=$(find "$run/a/x" | wc -l) nb=$(find "$run/b/x" | wc -l) nw=$(find "$run/w/releases/$release/root" | wc -l)
[ "$na" = "$nb" ] && [ "$nb" = "$nw" ] || die "extracted trees differ: a $na, b $nb, w $nw entries"
fresh a b w

# The heap: one fetch per build and cap into a fresh root, not timed.
heap_fetch() { # BUILD LAUNCHER CAP
  local dir="$run/h-$1"
  rm -rf "$dir"
  "${client[@]}" "$2" --root "$dir" repo add main "$reg_url" --root-sha256 "$root_sha" >/dev/null
  heap_probe "$run/heap-$1-$3" "$([ "$3" = none ] || echo "-Xmx$3")" "${client[@]}" "$2" --root "$dir" \
    fetch -r "$release" --repo main --arch "$arch" -F base.txz --no-update
  heap_record "$1" "$3"
  rm -rf "$dir"
}
builds=("now:$warder")
[ -z "${WARDER_BIN_BEFORE:-}" ] || builds+=("before:$WARDER_BIN_BEFORE")
for cap in none 64m; do # the builds take turns
  for b in "${builds[@]}"; do
    say "heap: ${b%%:*} ($(dirname "$(dirname "${b#*:}")")), cap $cap"
    heap_fetch "${b%%:*}" "${b#*:}" "$cap"
  done
done

ma=$(median "${ta[@]}") mb=$(median "${tb[@]}") mw=$(median "${tw[@]}") md=$(median "${td[@]}")
mx=$(median "${tx[@]}")
echo
echo "release-fetch: $(stat -c %s "$blob") bytes base.txz, $rounds rounds, $(nproc) CPUs, medians in seconds," \
  "$(if [ -n "$mbit" ]; then echo "$mbit Mbit/s link"; else echo loopback; fi)"
echo "  (wall: the targets; cpu: user + system of every process involved, steadier on a busy machine)"
printf '  (a) curl -o; sha256sum; tar -xJf         wall %6.2f  cpu %6.2f   (wall %s)\n' "$ma" "$(median "${ca[@]}")" "${ta[*]}"
printf '  (b) curl | xz -T0 -d | tar -x (no check) wall %6.2f  cpu %6.2f   (wall %s)\n' "$mb" "$(median "${cb[@]}")" "${tb[*]}"
printf '  (w) warder fetch -r                     wall %6.2f  cpu %6.2f   (wall %s)\n' "$mw" "$(median "${cw[@]}")" "${tw[*]}"
printf '  (d) curl -o /dev/null (download alone)   wall %6.2f  cpu %6.2f   (wall %s)\n' "$md" "$(median "${cd[@]}")" "${td[*]}"
printf '  (x) xz -T0 -dc >/dev/null (decode alone) wall %6.2f  cpu %6.2f   (wall %s)\n' "$mx" "$(median "${cx[@]}")" "${tx[*]}"
echo "  (w) peak RSS of the warder process: $(( $(median "${rw[@]}") / 1024 )) MiB (median; the JVM with its heap)"
echo "  w/a = $(ratio "$mw" "$ma")   (target <= 0.5)"
echo "  w/b = $(ratio "$mw" "$mb")   (target <= 1.1)"
echo "  w/d = $(ratio "$mw" "$md")   (target <= 1.1 behind a bandwidth limit)"
echo "  x/a = $(ratio "$mx" "$ma"), b/a = $(ratio "$mb" "$ma")   (the decode alone, and the fastest unchecked way: the least w/a could be)"
echo
echo "heap of (w), one run each, not timed (MiB; WARDER_JAVA_OPTS=\"[-XmxCAP] -Xlog:gc:file=...\"; peak after: the"
echo "  live heap after a GC; peak before: the most used when a GC began; max RSS from GNU time)"
heap_table
