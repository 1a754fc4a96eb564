package org.warder.client.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.exec.Command;
import org.warder.client.exec.CommandResult;
import org.warder.client.exec.ProcessCommandRunner;
import org.warder.client.progress.Reporter;
import org.warder.client.runtime.HostNetns;
import org.warder.client.testing.BusyboxRoot;
import org.warder.client.testing.PkgSigningKey;
import org.warder.client.testing.PkgSite;
import org.warder.client.testing.RealPkg;
import org.warder.client.testing.TestNetwork;
import org.warder.client.testing.TestNetwork.Namespace;
import org.warder.signing.testing.CliRun;

/**
 * Plugins with a network of their own, installed for real through {@code warder fetch -P} in the
 * bubblewrap sandbox, with {@code WARDER_NETNS} naming the "host" namespace of a {@link
 * TestNetwork}: a {@code dhcp=1} plugin leased by dnsmasq on a LAN behind {@code bridge0}, and a
 * {@code nat=1} plugin behind warder's NAT whose admin page is served through its port forward. In
 * both the package site (busybox httpd; packages made with {@code pkg create}, its catalogue signed
 * with a test key, {@link PkgSite}) lives in another namespace, so FreeBSD's real pkg in the jail
 * ({@link RealPkg}) and post_install reach it only over the jail's own network. The machine's own
 * namespace is never touched.
 */
class PluginNetworkTest {
  static final String REL = "13.4-RELEASE";

  /** Where busybox httpd serves {@code tmp/site}, repository netrepo at {@code netrepo/}. */
  static final String LAN_SITE = "http://10.66.0.1:8080/netrepo/";

  static final String REMOTE_SITE = "http://10.77.0.2:8080/netrepo/";
  static final Path SAMPLES =
      Path.of(System.getProperty("basedir", "."))
          .resolve("../plugin-index/src/test/resources/iocage-samples")
          .normalize();
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path tmp;
  static PublishedPlugins plugins;
  static PkgSite site;
  static PkgSigningKey key;
  @TempDir Path netDir;
  TestNetwork net;
  Path root;
  String jail;
  String rootForwarding;

  @BeforeAll
  static void publish() throws Exception {
    BusyboxRoot.requireSandbox();
    plugins = new PublishedPlugins(tmp);
    RealPkg pkg = RealPkg.require();
    plugins.publishRealPkgRelease(tmp, REL, pkg, Map.of());
    key = PkgSigningKey.generate(tmp.resolve("pkg-keys"), "netrepo");
    site = PkgSite.serve(pkg, tmp.resolve("site"));
    List<PkgSite.TestPackage> packages = new ArrayList<>();
    for (String name : List.of("netpkg", "transmission-daemon", "transmission-web")) {
      packages.add(
          new PkgSite.TestPackage(
              name, "1.0", Map.of("/usr/local/bin/" + name, "#!/bin/sh\necho up\n")));
    }
    site.publish("netrepo", key, packages);
    Files.writeString(tmp.resolve("site/netrepo/motd.txt"), "from the package site\n");

    String postInstall =
        """
        echo "post_install: IP=$IOCAGE_PLUGIN_IP"
        site=$(sed -n 's/^ *url: "\\(http:[^$]*\\).*/\\1/p' /usr/local/etc/pkg/repos/*.conf | head -1)
        echo "post_install: fetched $(wget -q -O - "${site}motd.txt")"
        mkdir -p /www
        echo "admin page of $IOCAGE_PLUGIN_IP" > /www/index.html
        busybox httpd -p 80 -h /www
        busybox httpd -p 9091 -h /www
        """;
    Path repo = tmp.resolve("src/iocage-plugin-netapp");
    String commit = PluginInstallTest.artifact(repo, postInstall, "http://%%IP%%/");
    publish("dhcpapp", repo, commit, manifest("dhcpapp", LAN_SITE, "{\"dhcp\": 1}"));
    publish(
        "natapp",
        repo,
        commit,
        manifest("natapp", REMOTE_SITE, "{\"nat\": 1, \"nat_forwards\": \"tcp(80:8282)\"}"));
    Path transmission = tmp.resolve("src/iocage-plugin-transmission");
    String transmissionCommit =
        PluginInstallTest.artifact(transmission, postInstall, "http://%%IP%%:9091/");
    ObjectNode sample =
        (ObjectNode)
            JSON.readTree(
                SAMPLES
                    .resolve("ix-plugin-hub__iocage-plugin-index__master__transmission.json")
                    .toFile());
    // the one release published here; pkg.FreeBSD.org stands in the remote namespace, its
    // catalogue signed with the test key under the sample's repository name
    sample.put("release", REL).put("packagesite", REMOTE_SITE + "${ABI}/latest");
    sample
        .putObject("fingerprints")
        .putArray("iocage-plugins")
        .addObject()
        .put("function", "sha256")
        .put("fingerprint", key.fingerprint());
    publish("transmission", transmission, transmissionCommit, sample);
  }

  /** A manifest of the netapp artifact with package netpkg from {@code site}. */
  static ObjectNode manifest(String id, String site, String properties) throws Exception {
    return (ObjectNode)
        JSON.readTree(
            """
            {"name": "Net %s", "release": "%s", "artifact": "https://git.example.org/netapp.git",
             "pkgs": ["netpkg"], "packagesite": "%s${ABI}/latest",
             "fingerprints": {"netrepo": [{"function": "sha256", "fingerprint": "%s"}]},
             "properties": %s, "official": false, "revision": 1}
            """
                .formatted(id, REL, site, key.fingerprint(), properties));
  }

  static void publish(String id, Path repo, String commit, ObjectNode manifest) throws Exception {
    Path file = Files.createDirectories(tmp.resolve("manifests")).resolve(id + ".json");
    JSON.writeValue(file.toFile(), manifest);
    plugins.publishPlugin(file, id, repo, commit);
  }

  @AfterAll
  static void close() throws Exception {
    if (site != null) {
      site.close();
    }
    if (plugins != null) {
      plugins.close();
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    rootForwarding = Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward"));
    net = TestNetwork.create(netDir);
    plugins.env.put(HostNetns.VARIABLE, net.host().name());
  }

  @AfterEach
  void tearDown() throws Exception {
    try {
      if (jail != null) {
        plugins.warder(root, "stop", jail);
      }
    } finally {
      plugins.env.remove(HostNetns.VARIABLE);
      if (net != null) {
        net.close();
      }
    }
    // the machine's own namespace was never touched
    assertThat(Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")))
        .isEqualTo(rootForwarding);
    CommandResult links =
        new ProcessCommandRunner(Reporter.silent(), false).run(Command.of("ip", "-o", "link"));
    assertThat(links.stdout()).doesNotContain("vnet0.", "bridge0");
  }

  @Test
  void testDhcpPlugin_leasedOnTheLanFetchesItsPackagesThere() throws Exception {
    Namespace lan = net.namespace("lan");
    net.link(net.host(), "lan1", lan, "eth0");
    net.address(lan, "eth0", "10.66.0.1/24");
    net.bridge(net.host(), "bridge0", "lan1");
    TestNetwork.DhcpServer dhcp =
        net.dhcpServer(lan, "eth0", "10.66.0.100", "10.66.0.150", "10.66.0.1");
    net.httpServer(lan, "10.66.0.1", 8080, tmp.resolve("site"));

    CliRun run = install("netdhcp", "dhcpapp");

    String lease = dhcp.leases().get(0).address();
    assertThat(dhcp.leases())
        .singleElement()
        .extracting(TestNetwork.Lease::hostname)
        .isEqualTo("netdhcp");
    assertThat(lease).startsWith("10.66.0.1");
    assertInstalled(run, lease, "http://" + lease + "/", "netrepo", "netpkg");
    assertAdminPage(lan, "http://" + lease + "/", lease);
  }

  @Test
  void testNatPlugin_reachesTheRemoteSiteAndServesItsAdminPageThroughTheForward() throws Exception {
    String address = installBehindNat("netnat", "natapp", 8282, "netrepo", "netpkg");

    String table = net.exec(net.host(), "nft", "list", "table", "ip", "warder").stdout();
    assertThat(table).contains("tcp dport 8282 dnat to " + address + ":80");
    plugins.ok(root, "stop", jail);
    jail = null;
    assertThat(net.exec(net.host(), "nft", "list", "tables").stdout()).doesNotContain("warder");
  }

  @Test
  void testSampleTransmission_natPluginInstallsFromTheRemotePackageSite() throws Exception {
    installBehindNat(
        "nettransmission",
        "transmission",
        9091,
        "iocage-plugins",
        "transmission-daemon",
        "transmission-web");
  }

  /**
   * Installs {@code plugin} as jail {@code name} behind NAT with the package site in the remote
   * namespace; checks what the install printed (its {@code packages} from pkg repository {@code
   * repo}), and that the admin page answers the remote on the host's {@code hostPort}. Returns the
   * jail's own address.
   */
  private String installBehindNat(
      String name, String plugin, int hostPort, String repo, String... packages) throws Exception {
    Namespace remote = remote();
    CliRun run = install(name, plugin);
    String address = natAddress();
    assertInstalled(run, address, "http://127.0.0.1:" + hostPort + "/", repo, packages);
    assertAdminPage(remote, "http://10.77.0.1:" + hostPort + "/", address);
    return address;
  }

  /**
   * The install's output: post_install saw {@code ip} and fetched from the package site, pkg
   * updated the catalogue of {@code repo} and installed {@code packages}, the admin portal is
   * {@code portal}.
   */
  private static void assertInstalled(
      CliRun run, String ip, String portal, String repo, String... packages) {
    assertThat(run.out())
        .contains("post_install: IP=" + ip + "\n")
        .contains("post_install: fetched from the package site")
        .contains("Admin Portal: " + portal + "\n")
        .contains(repo + " repository update completed.");
    for (String pkg : packages) {
      assertThat(run.out()).contains("Installing " + pkg + "-1.0...");
    }
  }

  /** The admin page the plugin serves for {@code ip}, fetched from {@code from} at {@code url}. */
  private void assertAdminPage(Namespace from, String url, String ip) throws Exception {
    CommandResult page = net.exec(from, "busybox", "timeout", "10", "wget", "-q", "-O", "-", url);
    assertThat(page.stdout())
        .as(url + ": " + page.stderr())
        .isEqualTo("admin page of " + ip + "\n");
  }

  /**
   * The "remote" namespace behind the host's wan0 (the host's default route) with the package site
   * on 10.77.0.2:8080.
   */
  private Namespace remote() throws Exception {
    Namespace remote = net.namespace("remote");
    net.link(net.host(), "wan0", remote, "eth0");
    net.address(net.host(), "wan0", "10.77.0.1/24");
    net.address(remote, "eth0", "10.77.0.2/24");
    net.ip(net.host(), "route", "add", "default", "via", "10.77.0.2");
    net.httpServer(remote, "10.77.0.2", 8080, tmp.resolve("site"));
    return remote;
  }

  /** The NAT jail's own address, as warder allocated and stored it (ip4_addr=vnet0|ADDR/30). */
  private String natAddress() {
    String ip = plugins.ok(root, "get", "ip4_addr", jail).out().strip();
    assertThat(ip).matches("vnet0\\|172\\.16\\.\\d+\\.\\d+/30");
    return ip.substring("vnet0|".length(), ip.indexOf('/'));
  }

  private CliRun install(String name, String plugin) throws Exception {
    root = tmp.resolve("host-" + name);
    plugins.addRepo(root);
    jail = name;
    long began = System.nanoTime();
    CliRun run = plugins.ok(root, "fetch", "-P", "acme/" + plugin, "-n", name);
    System.out.printf(
        "PluginNetworkTest %s: installed in %.1f s; warder's output:%n%s%s%n",
        plugin, (System.nanoTime() - began) / 1e9, run.out(), run.err());
    assertThat(plugins.ok(root, "list", "-h").out()).contains("\t" + name + "\tup\t" + REL);
    return run;
  }
}
