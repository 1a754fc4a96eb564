#!/usr/bin/env bash
# warder fetch -P of the test plugin end to end (the fixture of PluginInstallTest: a registry over
# real HTTP, a busybox release whose pkg is the stand-in, a package site, a git artifact), the
# client run as bin/warder in the bubblewrap sandbox. Prints the median wall time and how it
# splits over the install's steps, cold (fresh host: the release is fetched too) and warm (the
# release already there), on directory storage and, when zfs-fuse runs, on ZFS.
# Usage: bench/plugin-install.sh [ROUNDS]   (default 5)
# Needs the test classes too: (cd "$top" && mvn -q install -DskipTests). WARDER_BIN as in lib.sh.
set -euo pipefail
. "$(dirname "$(readlink -f "$0")")/lib.sh"

rounds=${1:-5}
warder=${WARDER_BIN:-$top/bin/warder}
need_jars
[ -d "$top/client/target/test-classes/org/warder/client/plugin" ] ||
  die "the client's test classes are missing; build first: (cd $top && mvn -q install -DskipTests)"
need_tools bwrap:bubblewrap busybox:busybox-static git:git
if [ "$(id -u)" -eq 0 ] && command -v zfs-fuse >/dev/null; then
  start_zfs_fuse
fi

cp="$work/plugin-install.classpath"
(cd "$top/client" && mvn -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp" >/dev/null) ||
  (cd "$top/client" && mvn -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp" >/dev/null)
run="$work/plugin-install"
rm -rf "$run"
trap 'rm -rf "$run"' EXIT
# The fixture's paths (the pkg stand-in) are relative to the client module, as in its tests.
cd "$top/client"
say "fetch -P acme/testapp: $rounds rounds of a cold and a warm install per storage"
java -cp "target/test-classes:target/classes:$(cat "$cp")" org.warder.client.plugin.PluginInstallBench \
  "$warder" "$rounds" "$run"
