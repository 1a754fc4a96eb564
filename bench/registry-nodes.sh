#!/usr/bin/env bash
# CLIENTS concurrent clients (default 200) each refresh (GET timestamp.json, then the snapshot it
# names) and download one MB-megabyte target (default 50), against (1) one warder-registry node on
# the file system and (2) three nodes over one S3 bucket (S3Proxy from the Maven repository) and one
# PostgreSQL database (Debian's postgresql 15), behind nginx. Prints, side by side, the p50/p99 of
# the metadata reads, the wall time of the whole burst, the errors (must be 0) and the ratios.
# Usage: bench/registry-nodes.sh [CLIENTS [MB]]
# Needs: the jars (mvn -q package -DskipTests), Maven offline for S3Proxy's classpath, root (the
# PostgreSQL server runs as the postgres user).
set -euo pipefail
. "$(dirname "$(readlink -f "$0")")/lib.sh"

clients=${1:-200}
mb=${2:-50}
need_jars
need_tools curl:curl nginx:nginx mvn:maven runuser:util-linux
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$pgbin/initdb" ] || die "PostgreSQL is missing: apt-get install postgresql"

nodes="$work/nodes"
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  [ -d "$nodes/pg" ] && runuser -u postgres -- "$pgbin/pg_ctl" -D "$nodes/pg" -m immediate stop >/dev/null 2>&1 || true
  stop_registry
}
trap cleanup EXIT
rm -rf "$nodes"
mkdir -p "$nodes"

# The target: MB megabytes of random bytes published as a release's base.txz (a release publisher's
# path: warder publish release) on one file-system node.
mkdir -p "$nodes/dist"
head -c "$((mb * 1024 * 1024))" /dev/urandom >"$nodes/dist/base.txz"
sha=$(sha256sum "$nodes/dist/base.txz" | cut -d' ' -f1)
printf 'base.txz\t%s\t1\tbase\t"Base system (MANDATORY)"\ton\n' "$sha" >"$nodes/dist/MANIFEST"
serve_registry releases 'releases/*/*/*'
WARDER_TOKEN="$reg_token" CI=1 "$top/bin/warder" --root "$work/registry/publisher" publish release \
  "$release" "$nodes/dist" --repo main --key pub --passphrase-file "$work/registry/pass2" \
  --arch "$arch" >"$nodes/publish.log" 2>&1 || { cat "$nodes/publish.log" >&2; die "publishing failed"; }
target="targets/releases/$release/$arch/$sha.base.txz"
size=$((mb * 1024 * 1024))

# burst BASE_URL NAME: CLIENTS clients at once; each line of $nodes/NAME.lat is one metadata read's
# seconds; $nodes/NAME.err counts failed clients; prints the burst's wall seconds.
burst() {
  local base=$1 name=$2 t i
  : >"$nodes/$name.lat"
  : >"$nodes/$name.err"
  t=$(now)
  for i in $(seq "$clients"); do
    (
      set +e
      ts=$(curl -fsS -w '\n%{time_total}' "${base}metadata/timestamp.json") || { echo timestamp >>"$nodes/$name.err"; exit; }
      echo "${ts##*$'\n'}" >>"$nodes/$name.lat"
      # canonical JSON: the snapshot's version (in "meta") comes before the timestamp's own
      v=$(printf '%s' "${ts%$'\n'*}" | grep -o '"version":[0-9]*' | head -1 | cut -d: -f2)
      s=$(curl -fsS -o /dev/null -w '%{time_total}' "${base}metadata/$v.snapshot.json") || { echo snapshot >>"$nodes/$name.err"; exit; }
      echo "$s" >>"$nodes/$name.lat"
      got=$(curl -fsS -o /dev/null -w '%{size_download}' "$base$target") || { echo target >>"$nodes/$name.err"; exit; }
      [ "$got" = "$size" ] || echo "target $got bytes" >>"$nodes/$name.err"
    ) &
  done
  wait
  elapsed "$t"
}
pct() { sort -g "$1" | awk -v p="$2" '{ v[NR] = $1 } END { i = int(NR * p / 100); if (i < NR * p / 100) i++; if (i < 1) i = 1; printf "%.3f", v[i] }'; }

say "one node on the file system: $clients clients"
fs_wall=$(burst "$reg_url" fs)
stop_registry

# The bucket: S3Proxy over a directory, run from the registry's test classpath.
(cd "$top" && mvn -B -q -o -pl registry-server dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$nodes/s3proxy.cp") >"$nodes/mvn.log" 2>&1 || { cat "$nodes/mvn.log" >&2; die "no S3Proxy classpath"; }
s3_port=$(free_port)
mkdir -p "$nodes/s3/registry"
cat >"$nodes/s3proxy.conf" <<EOF
s3proxy.endpoint=http://127.0.0.1:$s3_port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=bench
s3proxy.credential=bench-secret
jclouds.provider=filesystem
jclouds.filesystem.basedir=$nodes/s3
EOF
java -cp "$(cat "$nodes/s3proxy.cp")" org.gaul.s3proxy.Main --properties "$nodes/s3proxy.conf" >"$nodes/s3proxy.log" 2>&1 &
pids+=($!)
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-secret
for _ in $(seq 120); do curl -s -o /dev/null "http://127.0.0.1:$s3_port/" && break; sleep 0.25; done
cat >"$nodes/registry.conf" <<EOF
storage.backend = s3
storage.bucket = registry
storage.endpoint = http://127.0.0.1:$s3_port
storage.path-style = true
EOF
"$top/bin/warder-registry" migrate --from "$reg_data" --to s3://registry --config "$nodes/registry.conf" >"$nodes/migrate.log" 2>&1 ||
  { cat "$nodes/migrate.log" >&2; die "migrate failed"; }

# The database: a private PostgreSQL cluster (trust on loopback: a benchmark's throwaway).
pg_port=$(free_port)
mkdir -p "$nodes/pg" "$nodes/pgsock"
chown postgres "$nodes/pg" "$nodes/pgsock"
runuser -u postgres -- "$pgbin/initdb" -D "$nodes/pg" -U warder --auth=trust >"$nodes/initdb.log" 2>&1
runuser -u postgres -- "$pgbin/pg_ctl" -D "$nodes/pg" -l "$nodes/pg/log" -w \
  -o "-p $pg_port -k $nodes/pgsock -c listen_addresses=127.0.0.1 -c max_connections=400" start >/dev/null
runuser -u postgres -- "$pgbin/createdb" -h 127.0.0.1 -p "$pg_port" -U warder registry
printf 'unused\n' >"$nodes/db.password"
chmod 600 "$nodes/db.password"

# Three nodes, each with its own data directory (a copy of the keys), then nginx round robin.
upstreams=
for n in a b c; do
  cp -a "$reg_data" "$nodes/data-$n"
  port=$(free_port)
  "$top/bin/warder-registry" serve --data "$nodes/data-$n" --listen "127.0.0.1:$port" --no-access-log \
    --config "$nodes/registry.conf" --database-url "jdbc:postgresql://127.0.0.1:$pg_port/registry" \
    --database-user warder --database-password-file "$nodes/db.password" >"$nodes/serve-$n.log" 2>&1 &
  pids+=($!)
  wait_http "http://127.0.0.1:$port/healthz" "${pids[-1]}" "$nodes/serve-$n.log"
  upstreams="$upstreams    server 127.0.0.1:$port max_fails=1 fail_timeout=3s;"$'\n'
done
ngx_port=$(free_port)
mkdir -p "$nodes/nginx/tmp"
cat >"$nodes/nginx/nginx.conf" <<EOF
user root;
daemon off;
worker_processes auto;
pid $nodes/nginx/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $nodes/nginx/tmp/body;
  proxy_temp_path $nodes/nginx/tmp/proxy;
  fastcgi_temp_path $nodes/nginx/tmp/fastcgi;
  uwsgi_temp_path $nodes/nginx/tmp/uwsgi;
  scgi_temp_path $nodes/nginx/tmp/scgi;
  upstream registry {
$upstreams    keepalive 64;
  }
  server {
    listen 127.0.0.1:$ngx_port;
    location / {
      proxy_pass http://registry;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$http_host;
      proxy_buffering off;
      proxy_next_upstream error timeout http_502 http_503 http_504;
    }
  }
}
EOF
nginx -c "$nodes/nginx/nginx.conf" -e "$nodes/nginx/error.log" >"$nodes/nginx/stdout.log" 2>&1 &
pids+=($!)
lb="http://127.0.0.1:$ngx_port/"
wait_http "${lb}healthz" "${pids[-1]}" "$nodes/nginx/error.log"

say "three nodes (S3Proxy + PostgreSQL) behind nginx: $clients clients"
n3_wall=$(burst "$lb" n3)

fs_err=$(wc -l <"$nodes/fs.err") n3_err=$(wc -l <"$nodes/n3.err")
fs_p99=$(pct "$nodes/fs.lat" 99) n3_p99=$(pct "$nodes/n3.lat" 99)
echo
echo "registry-nodes: $clients clients, each timestamp + snapshot + a $mb MB target; $(nproc) CPUs; seconds"
printf '  %-40s metadata p50 %6s  p99 %6s  burst %7s  errors %s\n' \
  "one node, file system" "$(pct "$nodes/fs.lat" 50)" "$fs_p99" "$fs_wall" "$fs_err" \
  "three nodes, S3Proxy + PostgreSQL, nginx" "$(pct "$nodes/n3.lat" 50)" "$n3_p99" "$n3_wall" "$n3_err"
echo "  p99 three/one = $(ratio "$n3_p99" "$fs_p99")   burst three/one = $(ratio "$n3_wall" "$fs_wall")"
[ "$fs_err" -eq 0 ] && [ "$n3_err" -eq 0 ] || die "errors: $(sort "$nodes"/*.err | uniq -c | tr '\n' ' ')"
