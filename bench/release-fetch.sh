#!/usr/bin/env bash
# Fetching and extracting a ~150 MB multi-block base.txz from a local warder-registry, three ways:
#   (a) what iocage and Bastille do: curl -o FILE URL; sha256sum FILE; tar -xJf FILE -C DIR
#   (b) the fastest unverified pipeline: curl URL | xz -T0 -d | tar -x -C DIR
#   (w) warder fetch -r REL into a fresh root (signed metadata, verified download, extraction)
# Rounds interleaved (a, b, w, a, b, w, ...); medians and the ratios w/a and w/b are printed.
# Usage: bench/release-fetch.sh [ROUNDS]   (default 3)
set -euo pipefail
. "$(dirname "$(readlink -f "$0")")/lib.sh"

rounds=${1:-3}
need_jars
need_tools curl:curl xz:xz-utils tar:tar sha256sum:coreutils shuf:coreutils
make_release
# bsdtar-made archives carry LIBARCHIVE.* pax keywords that GNU tar warns about.
export TAR_OPTIONS=--warning=no-unknown-keyword
trap stop_registry EXIT
start_registry

run="$work/fetch"
rm -rf "$run"
mkdir -p "$run"
say "target: $target_url ($(stat -c %s "$blob") bytes, $(xz -l "$blob" | awk 'NR == 2 { print $2 }') xz blocks)"

# Each way starts from an empty directory, with earlier writes flushed (outside the timing).
fresh() { rm -rf "${@/#/$run/}"; mkdir -p "$run/a/x" "$run/b/x"; sync; }

time_a() {
  local t
  t=$(now)
  curl -fsS -o "$run/a/base.txz" "$target_url"
  sha256sum "$run/a/base.txz" >/dev/null
  tar -xJf "$run/a/base.txz" -C "$run/a/x"
  elapsed "$t"
}

time_b() {
  local t
  t=$(now)
  curl -fsS "$target_url" | xz -T0 -d | tar -x -C "$run/b/x"
  elapsed "$t"
}

time_w() {
  "$top/bin/warder" --root "$run/w" repo add main "$reg_url" --root-sha256 "$root_sha" >/dev/null
  local t
  t=$(now)
  CI=1 "$top/bin/warder" --root "$run/w" fetch -r "$release" --repo main --arch "$arch" -F base.txz --no-update \
    >"$run/w.log" 2>&1 || { cat "$run/w.log" >&2; die "warder fetch failed"; }
  elapsed "$t"
}

ta=() tb=() tw=()
for i in $(seq "$rounds"); do
  fresh a; ta+=("$(time_a)")
  fresh b; tb+=("$(time_b)")
  fresh w; tw+=("$(time_w)")
  say "round $i: a ${ta[-1]} s, b ${tb[-1]} s, w ${tw[-1]} s (load $(cut -d' ' -f1 /proc/loadavg))"
done
# The trees must agree: same members as the unverified pipeline extracted.
na=$(find "$run/a/x" | wc -l) nb=$(find "$run/b/x" | wc -l) nw=$(find "$run/w/releases/$release/root" | wc -l)
[ "$na" = "$nb" ] && [ "$nb" = "$nw" ] || die "extracted trees differ: a $na, b $nb, w $nw entries"
fresh a b w

ma=$(median "${ta[@]}") mb=$(median "${tb[@]}") mw=$(median "${tw[@]}")
echo
echo "release-fetch: $(stat -c %s "$blob") bytes base.txz, $rounds rounds, $(nproc) CPUs, medians in seconds"
printf '  (a) curl -o; sha256sum; tar -xJf        %6.2f   (%s)\n' "$ma" "${ta[*]}"
printf '  (b) curl | xz -T0 -d | tar -x (no check) %6.2f   (%s)\n' "$mb" "${tb[*]}"
printf '  (w) warder fetch -r                     %6.2f   (%s)\n' "$mw" "${tw[*]}"
echo "  w/a = $(ratio "$mw" "$ma")   (target <= 0.6)"
echo "  w/b = $(ratio "$mw" "$mb")   (target <= 1.1)"
