/**
 * A jail's network as iocage configures it at start: vnet interfaces on host bridges, addresses and
 * default routes inside the jail, DHCP and router advertisements, and NAT with port forwards. This
 * package holds the values, resolved from a jail's properties without touching the host; the jail
 * runtimes carry them out with their host's tools (ifconfig, route, ipfw and pf on FreeBSD; ip and
 * nft on Linux).
 */
package org.warder.client.net;
