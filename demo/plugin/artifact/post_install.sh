#!/bin/sh
# post_install.sh of the demo plugin "hello": writes the page the service serves, enables the
# service in rc.conf (so that every start of the jail starts it) and starts it now.
set -eu
umask 022
mkdir -p /usr/local/www/hello
cat > /usr/local/www/hello/index.html <<PAGE
<!doctype html>
<title>hello</title>
<h1>Hello from warder's demo plugin</h1>
<p>Installed by 'warder fetch -P' at ${IOCAGE_PLUGIN_IP:-?}: a signed release, a package from the
plugin's package site, and this page written by post_install.sh from the pinned artifact.</p>
PAGE
grep -q '^hello_enable=' /etc/rc.conf 2>/dev/null || echo 'hello_enable="YES"' >> /etc/rc.conf
service hello start
