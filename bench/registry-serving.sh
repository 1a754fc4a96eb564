#!/usr/bin/env bash
# Serving one ~150 MB target to 16 concurrent downloads: warder-registry against nginx (sendfile
# on) serving the same file. Rounds interleaved (warder, nginx, warder, ...); median aggregate
# throughput of each and the ratio warder/nginx are printed, with the registry's heap (it runs
# with a small one, -Xmx96m unless WARDER_REGISTRY_JAVA_OPTS says otherwise) before, at its peak
# during the downloads and after: serving must not buffer per download.
# Usage: bench/registry-serving.sh [ROUNDS [CLIENTS]]   (default 3 rounds of 16 clients)
# WARDER_REGISTRY_BIN=other/bin/warder-registry serves with another build (to compare builds).
set -euo pipefail
. "$(dirname "$(readlink -f "$0")")/lib.sh"

rounds=${1:-3}
clients=${2:-16}
need_jars
need_tools curl:curl xz:xz-utils tar:tar shuf:coreutils nginx:nginx jcmd:openjdk-17-jdk-headless \
  jstat:openjdk-17-jdk-headless
make_release
export WARDER_REGISTRY_JAVA_OPTS=${WARDER_REGISTRY_JAVA_OPTS:--Xmx96m}

ngx="$work/nginx"
ngx_pid=
sampler=
cleanup() {
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null
  if [ -n "$ngx_pid" ]; then
    kill "$ngx_pid" 2>/dev/null || true
    wait "$ngx_pid" 2>/dev/null || true
  fi
  stop_registry
}
trap cleanup EXIT
start_registry
size=$(stat -c %s "$blob")

# nginx: its own config, the blob hardlinked at the same URL path, on another loopback port.
rm -rf "$ngx"
mkdir -p "$ngx/root/$(dirname "$target_path")" "$ngx/tmp"
ln "$blob" "$ngx/root/$target_path" 2>/dev/null || cp "$blob" "$ngx/root/$target_path"
ngx_port=$(free_port)
cat >"$ngx/nginx.conf" <<EOF
user root;
daemon off;
worker_processes auto;
pid $ngx/nginx.pid;
error_log $ngx/error.log;
events { worker_connections 1024; }
http {
  sendfile on;
  tcp_nopush on;
  access_log $ngx/access.log;
  default_type application/octet-stream;
  client_body_temp_path $ngx/tmp/body;
  proxy_temp_path $ngx/tmp/proxy;
  fastcgi_temp_path $ngx/tmp/fastcgi;
  uwsgi_temp_path $ngx/tmp/uwsgi;
  scgi_temp_path $ngx/tmp/scgi;
  server {
    listen 127.0.0.1:$ngx_port;
    root $ngx/root;
  }
}
EOF
nginx -c "$ngx/nginx.conf" -e "$ngx/error.log" >"$ngx/stdout.log" 2>&1 &
ngx_pid=$!
ngx_url="http://127.0.0.1:$ngx_port/$target_path"
wait_http "$ngx_url" "$ngx_pid" "$ngx/error.log"

# used heap in KiB (survivors + eden + old) of the registry JVM
heap_kib() { jstat -gc "$reg_pid" | awk 'NR == 2 { printf "%d", $3 + $4 + $6 + $8 }'; }
# live heap: after a full collection
live_kib() { jcmd "$reg_pid" GC.run >/dev/null; heap_kib; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# CPU ticks (user + system) used so far by the given processes and their children's threads
ticks() { local p; for p in "$@"; do awk '{ print $14 + $15 }' "/proc/$p/stat"; done | awk '{ s += $1 } END { print s }'; }
server_pids() { if [ "$1" = warder ]; then echo "$reg_pid"; else echo "$ngx_pid $(pgrep -P "$ngx_pid" | tr '\n' ' ')"; fi; }
hz=$(getconf CLK_TCK)

# N concurrent downloads of URL; prints the aggregate MB/s (10^6 bytes per second)
burst() {
  local url=$1 server=$2 t pids=() i c0
  c0=$(ticks $(server_pids "$server"))
  t=$(now)
  for i in $(seq "$clients"); do
    curl -fsS -o /dev/null "$url" &
    pids+=($!)
  done
  for i in "${pids[@]}"; do
    wait "$i" || die "a download of $url failed"
  done
  local d c1
  d=$(elapsed "$t")
  c1=$(ticks $(server_pids "$server"))
  # MB/s, and the server's CPU seconds per GB sent
  awk -v n="$clients" -v s="$size" -v d="$d" -v c="$((c1 - c0))" -v hz="$hz" \
    'BEGIN { printf "%.0f %.2f", n * s / d / 1e6, c / hz / (n * s / 1e9) }'
}

say "warder-registry: $reg_url (pid $reg_pid, $WARDER_REGISTRY_JAVA_OPTS), nginx: http://127.0.0.1:$ngx_port/"
# One burst on each outside the rounds: page cache, and the JIT of a server that runs for days.
burst "$target_url" warder >/dev/null
burst "$ngx_url" nginx >/dev/null
before=$(live_kib)
jstat -gc "$reg_pid" 100 | awk 'NR > 1 { printf "%d\n", $3 + $4 + $6 + $8; fflush() }' >"$work/heap.samples" &
sampler=$!
tw=() tn=() cw=() cn=()
for i in $(seq "$rounds"); do
  read -r x c <<<"$(burst "$target_url" warder)"; tw+=("$x"); cw+=("$c")
  read -r x c <<<"$(burst "$ngx_url" nginx)"; tn+=("$x"); cn+=("$c")
  say "round $i: warder ${tw[-1]} MB/s (server cpu ${cw[-1]} s/GB), nginx ${tn[-1]} MB/s (${cn[-1]} s/GB)" \
    "(load $(cut -d' ' -f1 /proc/loadavg))"
done
kill "$sampler" 2>/dev/null || true
sampler=
peak=$(sort -n "$work/heap.samples" | tail -1)
after_used=$(heap_kib)
after=$(live_kib)
max_heap=$(jcmd "$reg_pid" VM.flags | tr ' ' '\n' | awk -F= '/^-XX:MaxHeapSize=/ { printf "%d", $2 / 1024 }')

mw=$(median "${tw[@]}") mn=$(median "${tn[@]}")
echo
echo "registry-serving: $size bytes, $clients concurrent downloads, $rounds rounds, $(nproc) CPUs, median aggregate MB/s"
printf '  warder-registry  %6s MB/s  (%s); server CPU %s s per GB sent\n' "$mw" "${tw[*]}" "$(median "${cw[@]}")"
printf '  nginx (sendfile) %6s MB/s  (%s); server CPU %s s per GB sent\n' "$mn" "${tn[*]}" "$(median "${cn[@]}")"
echo "  warder/nginx = $(ratio "$mw" "$mn")   (target >= 0.9)"
echo "  registry heap (max $(mib "$max_heap") MiB): live before $(mib "$before") MiB, peak used $(mib "$peak") MiB" \
  "(sampled every 100 ms), used after $(mib "$after_used") MiB, live after $(mib "$after") MiB;" \
  "$((rounds * clients * size / 1048576)) MiB served"
