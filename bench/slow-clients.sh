#!/usr/bin/env bash
# Reads under slow clients: the latency of GET /healthz, /metadata/timestamp.json and a target,
# first on an idle registry, then while CONNECTIONS clients send request bodies one byte every
# INTERVAL seconds (half without a valid token, half with one of 25 valid tokens; uploads and
# metadata submissions, 1 MiB declared each). Prints median, 90th percentile and maximum per
# path and phase, and how the slow clients were answered. The target: every read under 1 s.
# Usage: bench/slow-clients.sh [CONNECTIONS [INTERVAL [SECONDS]]]   (default 500 clients, a byte
# every 10 s, 30 s of reads). WARDER_REGISTRY_BIN=other/bin/warder-registry serves another build.
set -euo pipefail
. "$(dirname "$(readlink -f "$0")")/lib.sh"

connections=${1:-500}
interval=${2:-10}
seconds=${3:-30}
need_jars
need_tools curl:curl python3:python3 shuf:coreutils
trap stop_registry EXIT
serve_registry releases 'releases/*/*/*'
tokens=("$reg_token")
for i in $(seq 2 25); do
  tokens+=("$("$top/bin/warder-registry" token create --publisher "bench$i" --role releases --data "$reg_data" 2>/dev/null)")
done

# A small target to read, published as a release (only blobs that signed metadata names are served).
mkdir -p "$work/tiny/dist"
printf 'a target\n' >"$work/tiny/readme"
tar -C "$work/tiny" -cf - readme | xz >"$work/tiny/dist/base.txz"
sha=$(sha256sum "$work/tiny/dist/base.txz" | cut -d' ' -f1)
printf 'base.txz\t%s\t1\tbase\t"Base system (MANDATORY)"\ton\n' "$sha" >"$work/tiny/dist/MANIFEST"
WARDER_TOKEN="$reg_token" CI=1 "$top/bin/warder" --root "$work/registry/publisher" publish release 14.2-RELEASE \
  "$work/tiny/dist" --repo main --key pub --passphrase-file "$work/registry/pass2" --arch amd64 \
  >"$work/registry/publish.log" 2>&1 || { cat "$work/registry/publish.log" >&2; die "publishing failed"; }
target="/targets/releases/14.2-RELEASE/amd64/$sha.base.txz"

say "$connections slow clients, a byte every $interval s, $seconds s of reads, registry on port $reg_port"
python3 - "$reg_port" "$connections" "$interval" "$seconds" "$target" "${tokens[@]}" <<'PY'
import http.client, resource, socket, statistics, sys, threading, time, uuid

port, count, interval, seconds, target = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
tokens = sys.argv[6:]
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 4 * count + 256)), hard))
paths = ["/healthz", "/metadata/timestamp.json", target]
body = 1 << 20

def request(method, path, token=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    c.request(method, path, headers={"Authorization": "Bearer " + token} if token else {})
    r = c.getresponse()
    data = r.read()
    c.close()
    return r, data

def reads(label):
    times = {p: [] for p in paths}
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for p in paths:
            start = time.monotonic()
            r, _ = request("GET", p)
            times[p].append((time.monotonic() - start) * 1000)
            if r.status != 200:
                sys.exit("GET %s answered %d" % (p, r.status))
        time.sleep(0.05)
    for p, t in times.items():
        t.sort()
        print("%-24s %-32s reads %4d  median %7.1f ms  p90 %7.1f ms  max %7.1f ms"
              % (label, p, len(t), statistics.median(t), t[len(t) * 9 // 10], t[-1]))
    return max(max(t) for t in times.values())

reads("idle")

# Upload sessions for the authenticated uploads, made before the slow clients arrive.
sessions = {}
for i in range(1, count, 4):
    r, data = request("POST", "/api/v1/uploads", tokens[i % len(tokens)])
    sessions[i] = r.getheader("Location")

slow = []
for i in range(count):
    authenticated = i % 2 == 1
    token = tokens[i % len(tokens)]
    if i % 4 < 2:
        path = sessions[i] if authenticated else "/api/v1/uploads/" + str(uuid.uuid4())
        extra = "Content-Range: bytes 0-%d/*\r\n" % (body - 1)
        method = "PATCH"
    else:
        path, extra, method = "/api/v1/metadata/releases", "", "PUT"
    auth = ("Authorization: Bearer %s\r\n" % token) if authenticated else \
        ["", "Authorization: Bearer wrd_000000000000_%s\r\n" % ("0" * 64), "Authorization: Basic YWNtZTphY21l\r\n"][i % 3]
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(("%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: %d\r\n%s%s\r\nx"
               % (method, path, body, extra, auth)).encode())
    slow.append([s, authenticated, True])

stop = threading.Event()
def trickle():
    while not stop.wait(interval):
        for entry in slow:
            if entry[2]:
                try:
                    entry[0].send(b"x")
                except OSError:
                    entry[2] = False
threading.Thread(target=trickle, daemon=True).start()
worst = reads("%d slow clients" % count)
stop.set()

answers = {}
for s, authenticated, _ in slow:
    s.settimeout(1)
    try:
        status = s.recv(12).decode(errors="replace")[9:12] or "closed"
    except OSError as e:
        status = "none"
    key = ("token " if authenticated else "anonymous ") + status
    answers[key] = answers.get(key, 0) + 1
    s.close()
print("slow clients answered: " + ", ".join("%s: %d" % kv for kv in sorted(answers.items())))
print("slowest read under load: %.1f ms (target: under 1000 ms)" % worst)
PY
