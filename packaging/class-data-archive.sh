#!/bin/sh
# class-data-archive.sh client|registry DIR [JAVA]
#
# Writes DIR/warder.jsa (client) or DIR/warder-registry.jsa (registry): an application class-data
# sharing (AppCDS) archive of the classes the executable's start path loads, so that the JVM maps
# them instead of loading and verifying them from the jars. DIR holds the jar and its lib/; JAVA is
# the java the launcher runs (default: java on the PATH), since an archive only serves the JVM
# build that wrote it. Run by `mvn package` (client and registry-server modules) and by the FreeBSD
# port when the package is installed. The launchers use the archive only when it is newer than the
# jar; the JVM itself ignores, silently, one written by another JVM build or for other jars.
#
# Training: the class lists of a few offline runs (--version, --help and commands that need no
# network, on a throw-away root; for the client also a TUF trust set-up, a refresh, a repository
# added and a release looked up, against a registry served on loopback for those runs), merged in
# order of first use, then dumped with -Xshare:dump.
set -eu

usage() { echo "usage: $0 client|registry DIR [JAVA]" >&2; exit 2; }
[ $# -ge 2 ] || usage
kind=$1
dir=$(cd "$2" && pwd)
java=${3:-java}
case "$kind" in
  client) name=warder ;;
  registry) name=warder-registry ;;
  *) usage ;;
esac
jar="$dir/$name.jar"
[ -f "$jar" ] || { echo "$0: $jar is missing; build it first (mvn package)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/class-data-archive.XXXXXX")
server=
trap '[ -z "$server" ] || kill "$server" 2>/dev/null; rm -rf "$work"' EXIT INT TERM
runs=0

# train ARGS...: one run of the executable, its loaded classes listed; its exit status does not
# matter (a refusal walks the same start path), only that it ends offline and at once.
train() {
  runs=$((runs + 1))
  WARDER_ROOT="$work/root" WARDER_KEYS="$work/keys" HOME="$work" \
    "$java" -XX:DumpLoadedClassList="$work/$runs.classes" -jar "$jar" "$@" \
    </dev/null >"$work/$runs.out" 2>&1 || true
}

# a passphrase file as the commands accept one: the owner's only
printf 'training-passphrase\n' >"$work/pass"
chmod 600 "$work/pass"

train --version
train --help
if [ "$kind" = client ]; then
  train --root "$work/root" list
  train --root "$work/root" repo list
  train --root "$work/root" fetch -P none --dry-run
  train --root "$work/root" list -r
  train --root "$work/root" list -P
  # The metadata path (JSON, signatures, HTTP) against a registry, when the registry's jar is
  # beside (the build's registry-server/target, the port's DATADIR/registry): a registry made
  # offline, trust set up from its root metadata, then a refresh from it served on a free loopback
  # port for the time of that run (the classes of a request that succeeds, which `tuf refresh` and
  # every command that reads a registry load); a refresh that fails at once on a closed port when
  # the registry cannot be served here.
  for registry in "$dir/../../registry-server/target/warder-registry.jar" "$dir/../registry/warder-registry.jar"; do
    [ -f "$registry" ] || continue
    "$java" -jar "$registry" init --data "$work/data" --passphrase-file "$work/pass" >"$work/init.out" 2>&1 || { cat "$work/init.out" >&2; break; }
    train --root "$work/root" tuf --metadata-dir "$work/md" init "$work/data/repository/metadata/1.root.json"
    : >"$work/serve.out"
    "$java" -jar "$registry" serve --data "$work/data" --listen 127.0.0.1:0 --no-access-log \
      </dev/null >>"$work/serve.out" 2>&1 &
    server=$!
    url=http://127.0.0.1:1/
    tries=0
    while [ $tries -lt 300 ] && kill -0 "$server" 2>/dev/null; do
      served=$(sed -n 's|^warder-registry serving .* at \(http://127\.0\.0\.1:[0-9]*/\)$|\1|p' "$work/serve.out")
      if [ -n "$served" ]; then url=$served; break; fi
      tries=$((tries + 1))
      sleep 0.1
    done
    train --root "$work/root" tuf --metadata-dir "$work/md" --metadata-url "${url}metadata" refresh
    # What every command that reads a registry goes through first: the repository recorded
    # (repo.json, the state files' JSON binding), read back, and a release looked up after a
    # refresh (none is published: refused).
    root_sha=$(sed -n 's/^ *sha256 of 1\.root\.json: *\([0-9a-f]\{64\}\)$/\1/p' "$work/init.out")
    train --root "$work/root" repo add training "$url" --root-sha256 "$root_sha"
    train --root "$work/root" repo list
    train --root "$work/root" fetch -r 14.2-RELEASE --repo training --no-update
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    server=
    break
  done
else
  train init --data "$work/data" --passphrase-file "$work/pass"
  train token create --publisher training --role training --data "$work/data"
  train gc --data "$work/data"
fi

# Each class once, in the order the runs first loaded it.
i=1
while [ $i -le $runs ]; do
  [ -f "$work/$i.classes" ] && cat "$work/$i.classes"
  i=$((i + 1))
done | awk '!seen[$0]++' >"$work/classes"
[ -s "$work/classes" ] || { echo "$0: the training runs of $jar listed no class" >&2; exit 1; }

# Written beside the final name, then renamed: a launcher never maps a half-written archive.
if ! "$java" -Xshare:dump -XX:SharedClassListFile="$work/classes" \
  -XX:SharedArchiveFile="$dir/.$name.jsa.tmp" -cp "$jar" >"$work/dump.log" 2>&1; then
  rm -f "$dir/.$name.jsa.tmp"
  cat "$work/dump.log" >&2
  echo "$0: $java could not write the class-data archive of $jar (log above)" >&2
  exit 1
fi
mv -f "$dir/.$name.jsa.tmp" "$dir/$name.jsa"
echo "$dir/$name.jsa: $(awk 'END { print NR }' "$work/classes") classes from $runs training runs"
