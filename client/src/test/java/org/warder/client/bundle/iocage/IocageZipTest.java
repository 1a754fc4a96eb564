package org.warder.client.bundle.iocage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.cli.WarderMain;
import org.warder.client.testing.BusyboxRoot;
import org.warder.client.testing.HostileStreams;
import org.warder.client.testing.TreeSnapshot;
import org.warder.client.testing.ZfsPool;
import org.warder.signing.Digests;
import org.warder.signing.PrivateFiles;
import org.warder.signing.testing.CliRun;

/**
 * iocage export zips on a real zfs-fuse pool, through the {@code warder} command line. The zips are
 * made the way iocage 1.x makes them: datasets created with {@code zfs create}, files written into
 * them, {@code zfs snapshot -r @ioc-export-DATE}, one {@code zfs send} per dataset, zipped by
 * Python's zipfile ({@code ZIP_DEFLATED, allowZip64=True}) with a bare-hex {@code .sha256}.
 */
class IocageZipTest {
  static final String DATE = "2024-05-01";
  static final String PYTHON = "/usr/bin/python3";

  /**
   * iocage's export, step 4 and 5: argv OUT METHOD (ARCNAME FILE)...; an ARCNAME with a leading '/'
   * is kept as is.
   */
  static final String ZIP =
      """
      import sys, zipfile, hashlib
      out, method = sys.argv[1], sys.argv[2]
      compression = zipfile.ZIP_DEFLATED if method == 'deflated' else zipfile.ZIP_STORED
      with zipfile.ZipFile(out, 'w', compression=compression, allowZip64=True) as z:
          for arc, f in zip(sys.argv[3::2], sys.argv[4::2]):
              if arc.startswith('/'):
                  with open(f, 'rb') as data:
                      z.writestr(zipfile.ZipInfo(arc), data.read(), compression)
              else:
                  z.write(f, arc)
      with open(out, 'rb') as f:
          digest = hashlib.sha256(f.read()).hexdigest()
      with open(out[:-len('.zip')] + '.sha256', 'w') as f:
          f.write(digest)
      """;

  /** A thin config of a vnet jail with a few iocage sets, as iocage writes it. */
  static final String WEB_CONFIG = IocageConfigReaderTest.THIN;

  static final String WEB_FSTAB =
      "/mnt/media\t/iocage/jails/web/root/media\tnullfs\trw\t0\t0\t# Added by iocage on"
          + " 2024-04-01 10:00:00\n";

  @TempDir static Path shared;
  static ZfsPool pool;

  /**
   * web's streams, dataset (relative to the jail's, "" for its directory) to file, in zfs list
   * order.
   */
  static Map<String, Path> web;

  static int roots;

  @TempDir Path tmp;
  Path root;
  String base;
  final List<String> started = new ArrayList<>();

  @BeforeAll
  static void sourcePool() throws Exception {
    PrivateFiles.writeString(shared.resolve("passphrase"), "team passphrase\n");
    pool = ZfsPool.create(shared, 384);
    run("zfs", "create", "-o", "mountpoint=" + shared.resolve("iocage"), pool.name() + "/iocage");
    run("zfs", "create", pool.name() + "/iocage/jails");
    web =
        iocageJail(
            "web",
            WEB_CONFIG,
            WEB_FSTAB,
            List.of("root", "data", "data/dir"),
            dir -> {
              Path r = dir.resolve("root");
              for (String d : List.of("etc", "usr/local/bin", "home/alice", "var/empty", "media")) {
                Files.createDirectories(r.resolve(d));
              }
              Files.writeString(r.resolve("etc/rc.conf"), "sshd_enable=\"YES\"\n");
              Files.writeString(r.resolve("usr/local/bin/tool"), "#!/bin/sh\necho tool\n");
              Files.setAttribute(r.resolve("usr/local/bin/tool"), "unix:mode", 04755);
              Files.writeString(r.resolve("home/alice/notes"), "private\n");
              Files.setPosixFilePermissions(
                  r.resolve("home/alice/notes"), PosixFilePermissions.fromString("rw-------"));
              Files.setAttribute(r.resolve("home/alice/notes"), "unix:uid", 1001);
              Files.setAttribute(r.resolve("home/alice/notes"), "unix:gid", 1002);
              Files.setAttribute(r.resolve("home/alice"), "unix:uid", 1001);
              Files.setPosixFilePermissions(
                  r.resolve("var/empty"), PosixFilePermissions.fromString("r-xr-xr-x"));
              Files.createSymbolicLink(
                  r.resolve("etc/localtime"), Path.of("/usr/share/zoneinfo/UTC"));
              Files.createLink(r.resolve("etc/rc.conf.hard"), r.resolve("etc/rc.conf"));
              Files.writeString(dir.resolve("data/hello"), "delegated\n");
              Files.writeString(dir.resolve("data/dir/deep"), "deeper\n");
            });
  }

  @AfterAll
  static void destroyPool() throws IOException {
    if (pool != null) {
      pool.close();
    }
  }

  @BeforeEach
  void activate() {
    roots++;
    root = shared.resolve("root" + roots);
    base = pool.name() + "/w" + roots;
    ok("activate", base);
  }

  @Test
  void testImport_currentMemberNames_thinConfig_childDatasets() throws Exception {
    Path zip = zip(tmp.resolve("a"), "web", "iocage/images/", web, "deflated");
    CliRun run = ok("import", zip.toString());

    assertThat(run.out())
        .isEqualTo(
            "imported web from iocage export "
                + zip
                + " ("
                + Files.size(zip)
                + " bytes, sha256 "
                + Digests.sha256Hex(zip)
                + ")\n");
    assertThat(
            run.err()
                .lines()
                .filter(l -> l.startsWith("receiving "))
                .map(l -> l.replaceAll(", \\d+ bytes\\)$", ")")))
        .containsExactly(
            "receiving iocage/images/web_2024-05-01 (the jail directory)",
            "receiving iocage/images/web_2024-05-01_data (data)",
            "receiving iocage/images/web_2024-05-01_root (root)",
            "receiving iocage/images/web_2024-05-01_data_dir (data/dir)");
    assertThat(run.err().lines().filter(l -> !l.startsWith("receiving ")))
        .containsExactly(
            "note: thin config.json: the keys it lacks take iocage's stock defaults (warder's), not the source host's"
                + " defaults.json, which an export does not carry",
            "warning: dropped from iocage's config.json: memoryuse=2G:deny: rctl resource limits are not implemented: warder runs no rctl -a at start"
                + " (iocage's way); limit the jail with rctl(8) yourself once it runs",
            "warning: dropped from iocage's config.json: owner=alice: not a property warder knows",
            "warning: dropped from iocage's config.json: cloned_release=13.2-RELEASE: the received root is a full copy,"
                + " not a clone of 13.2-RELEASE",
            "warning: dropped allow_raw_sockets=1 from iocage's config.json (weakens the jail); to keep it:"
                + " --allow-property allow_raw_sockets",
            "warning: dropped exec_prestart=/usr/local/bin/fw-open web from iocage's config.json (acts on the host);"
                + " to keep it: --allow-property exec_prestart",
            "warning: dropped ip4_addr=vnet0|192.168.0.10/24 from iocage's config.json (acts on the host); to keep it:"
                + " --allow-property ip4_addr",
            "warning: dropped vnet=1 from iocage's config.json (acts on the host); to keep it: --allow-property vnet",
            "warning: iocage's fstab names paths of the host that exported web; it was written again for this host; not"
                + " carried over, add them again if this host has their sources: /mnt/media on"
                + " /iocage/jails/web/root/media (nullfs)",
            "warning: dataset(s) data, data/dir were received under jails/web, but warder does not delegate datasets to"
                + " jails (jail_zfs): web does not see them",
            "web imported from iocage export web_2024-05-01.zip (jail, release 13.2-RELEASE-p11)");

    Path jail = root.resolve("jails/web");
    TreeSnapshot tree = TreeSnapshot.of(jail.resolve("root"));
    assertThat(tree).isEqualTo(TreeSnapshot.of(shared.resolve("iocage/jails/web/root")));
    assertThat(tree.nodes().get("usr/local/bin/tool"))
        .extracting(n -> n.mode(), n -> n.uid(), n -> n.sha256())
        .containsExactly(
            04755, 0, Digests.sha256Hex("#!/bin/sh\necho tool\n".getBytes(StandardCharsets.UTF_8)));
    assertThat(tree.nodes().get("home/alice/notes"))
        .extracting(n -> n.mode(), n -> n.uid(), n -> n.gid())
        .containsExactly(0600, 1001, 1002);
    assertThat(tree.nodes().get("var/empty").mode()).isEqualTo(0555);
    assertThat(tree.nodes().get("etc/localtime").linkTarget()).isEqualTo("/usr/share/zoneinfo/UTC");
    assertThat(tree.hardlinkGroups()).containsExactly("etc/rc.conf = etc/rc.conf.hard");
    assertThat(jail.resolve("data/dir/deep")).hasContent("deeper");
    assertThat(jail.resolve("fstab")).doesNotExist();
    assertThat(
            Files.readString(jail.resolve("config.json"))
                .replaceFirst("\"created\" : \"[0-9T:.Z-]+\"", "\"created\" : \"NOW\""))
        .isEqualTo(
            """
        {
          "boot" : 1,
          "created" : "NOW",
          "defaultrouter" : "192.168.0.1",
          "name" : "web",
          "notes" : "front end",
          "priority" : 20,
          "release" : "13.2-RELEASE-p11",
          "type" : "jail"
        }
        """);
    assertThat(ok("get", "host_hostuuid", "web").out()).isEqualTo("none\n");
    assertThat(datasets())
        .containsExactly(
            base,
            base + "/jails",
            base + "/jails/web",
            base + "/jails/web/data",
            base + "/jails/web/data/dir",
            base + "/jails/web/root",
            base + "/staging");
    assertThat(snapshots()).isEmpty();
  }

  @Test
  void testImport_bareAndTrueNasMemberNames_underNewNames() throws Exception {
    for (String prefix : List.of("", "mnt/tank/iocage/images/")) {
      String name = prefix.isEmpty() ? "web_bare" : "web_truenas";
      Path zip = zip(tmp.resolve(name), "web", prefix, web, "deflated");
      // the administrator keeps what acts on the host or weakens the jail by naming each key
      CliRun run =
          ok(
              "import",
              zip.toString(),
              "-n",
              name,
              "--allow-property",
              "allow_raw_sockets",
              "--allow-property",
              "exec_prestart",
              "--allow-property",
              "ip4_addr",
              "--allow-property",
              "vnet");
      assertThat(run.err())
          .contains("receiving " + prefix + "web_2024-05-01_data_dir (data/dir, ")
          .contains(
              name
                  + " imported from iocage export web_2024-05-01.zip (jail, release 13.2-RELEASE-p11)")
          .doesNotContain("--allow-property");
      assertThat(ok("get", "exec_prestart", name).out()).isEqualTo("/usr/local/bin/fw-open web\n");
      assertThat(ok("get", "allow_raw_sockets", name).out()).isEqualTo("1\n");
      assertThat(TreeSnapshot.of(root.resolve("jails/" + name + "/root")))
          .isEqualTo(TreeSnapshot.of(shared.resolve("iocage/jails/web/root")));
      assertThat(ok("get", "ip4_addr", name).out()).isEqualTo("vnet0|192.168.0.10/24\n");
    }
    assertThat(datasets())
        .contains(base + "/jails/web_bare/data/dir", base + "/jails/web_truenas/root");
    assertThat(snapshots()).isEmpty();
  }

  @Test
  void testImport_hostileZipsLeaveNothingBehind() throws Exception {
    Path parent = web.get("");
    Path rootStream = web.get("root");
    Path garbage =
        Files.writeString(tmp.resolve("garbage"), "not a zfs send stream\n".repeat(4000));
    Map<String, String> refused = new LinkedHashMap<>();
    refused.put(
        hostile(
            "dotdot",
            List.of("iocage/images/web_2024-05-01", parent, "../web_2024-05-01_root", rootStream)),
        "warder: member \"../web_2024-05-01_root\": expected web_2024-05-01[_DATASET] at the top of the zip or under an"
            + " iocage images/ directory (iocage/images/web_2024-05-01), found another path; the zip is not an iocage"
            + " export, or was altered; nothing was imported");
    refused.put(
        hostile(
            "absolute",
            List.of(
                "iocage/images/web_2024-05-01",
                parent,
                "/iocage/images/web_2024-05-01_root",
                rootStream)),
        "warder: member \"/iocage/images/web_2024-05-01_root\": expected web_2024-05-01[_DATASET]");
    refused.put(
        hostile(
            "elsewhere",
            List.of("iocage/images/web_2024-05-01", parent, "etc/web_2024-05-01_root", rootStream)),
        "warder: member \"etc/web_2024-05-01_root\": expected web_2024-05-01[_DATASET]");
    refused.put(
        hostile(
            "noroot",
            List.of(
                "iocage/images/web_2024-05-01",
                parent,
                "iocage/images/web_2024-05-01_data",
                web.get("data"))),
        "warder: expected a member web_2024-05-01_root (the jail's root), found only"
            + " iocage/images/web_2024-05-01, iocage/images/web_2024-05-01_data; the zip is not a whole iocage export;"
            + " nothing was imported");
    refused.put(
        hostile(
            "twoparents",
            List.of(
                "iocage/images/web_2024-05-01",
                parent,
                "web_2024-05-01",
                parent,
                "web_2024-05-01_root",
                rootStream)),
        "warder: expected one member for the jail directory web_2024-05-01, found"
            + " two: \"iocage/images/web_2024-05-01\" and \"web_2024-05-01\"; iocage writes one; the zip was altered or"
            + " assembled by hand; nothing was imported");
    refused.put(
        hostile(
            "refused",
            List.of(
                "iocage/images/web_2024-05-01",
                parent,
                "iocage/images/web_2024-05-01_root",
                garbage)),
        "warder: member iocage/images/web_2024-05-01_root is refused: expected a zfs send stream, whose begin"
            + " record holds the magic number 0x2f5bacbac, found 0x7320646e65732073; it is not a zfs send stream;"
            + " nothing was imported");
    Path headed = tmp.resolve("headed");
    try (var out = Files.newOutputStream(headed);
        var in = Files.newInputStream(rootStream)) {
      out.write(in.readNBytes(312)); // a plain stream's begin record, then no stream
      out.write(Files.readAllBytes(garbage));
    }
    refused.put(
        hostile(
            "receivefails",
            List.of(
                "iocage/images/web_2024-05-01",
                parent,
                "iocage/images/web_2024-05-01_root",
                headed)),
        "warder: member iocage/images/web_2024-05-01_root was refused by"
            + " zfs receive ('zfs receive "
            + base
            + "/staging/import-");
    Path truncated = zip(tmp.resolve("truncated"), "web", "iocage/images/", web, "deflated");
    try (FileChannel f = FileChannel.open(truncated, StandardOpenOption.WRITE)) {
      f.truncate(f.size() * 2 / 3);
    }
    Files.delete(IocageImage.sha256File(truncated)); // with it, the sha256 refuses the zip first
    refused.put(truncated.toString(), "warder: web_2024-05-01.zip is not a whole zip archive (");
    Path flipped =
        zip(tmp.resolve("flipped"), "web", "", Map.of("", parent, "root", rootStream), "stored");
    flipByteOf(flipped, "web_2024-05-01_root");
    Files.delete(IocageImage.sha256File(flipped));
    refused.put(
        flipped.toString(),
        "warder: member web_2024-05-01_root is truncated or damaged (member"
            + " web_2024-05-01_root: expected "
            + Files.size(rootStream)
            + " bytes with CRC-32 ");
    Path tampered = zip(tmp.resolve("tampered"), "web", "iocage/images/", web, "deflated");
    Files.writeString(IocageImage.sha256File(tampered), "0".repeat(64));
    refused.put(
        tampered.toString(),
        "warder: expected the bundle's sha256 to be "
            + "0".repeat(64)
            + " (its .sha256),"
            + " found "
            + Digests.sha256Hex(tampered)
            + "; the bundle was altered or damaged; nothing was imported");
    Map<String, Path> dhcp =
        iocageJail(
            "dhcp",
            "{\"ip4_addr\": \"vnet0|DHCP\", \"release\": \"13.2-RELEASE\"}",
            "",
            List.of("root"),
            dir -> {});
    refused.put(
        zip(tmp.resolve("dhcp"), "dhcp", "iocage/images/", dhcp, "deflated").toString(),
        "warder: config.json of dhcp_2024-05-01.zip has a value warder cannot represent (property ip4_addr: expected ");
    Map<String, Path> base1 =
        iocageJail(
            "base1",
            "{\"basejail\": 1, \"release\": \"13.2-RELEASE-p11\"}",
            "/iocage/releases/13.2-RELEASE/root/bin /iocage/jails/base1/root/bin nullfs ro 0 0\n",
            List.of("root"),
            dir -> {});
    refused.put(
        zip(tmp.resolve("base1"), "base1", "iocage/images/", base1, "deflated").toString(),
        "warder: base1 is a base jail: its system directories are read-only mounts of release 13.2-RELEASE, which"
            + " this host lacks; fetch it with 'warder fetch -r 13.2-RELEASE' first");

    // issue 8 item 2: the jail directory's stream carries only iocage's own regular files
    Path hostFile = Files.writeString(tmp.resolve("host-file"), "host content\n");
    Map<String, Path> linked =
        iocageJail(
            "linked",
            "{\"release\": \"13.2-RELEASE\"}",
            "",
            List.of("root"),
            dir -> Files.createSymbolicLink(dir.resolve("console.log"), hostFile));
    refused.put(
        zip(tmp.resolve("linked"), "linked", "iocage/images/", linked, "deflated").toString(),
        "warder: the jail directory of linked_2024-05-01.zip holds console.log (a symbolic link to "
            + hostFile
            + "); expected only regular files and directories warder knows: an iocage jail directory holds config.json,"
            + " fstab, the plugin's NAME.json and plugin/; remove the others on the iocage host and export again;"
            + " nothing was imported");
    Map<String, Path> conf =
        iocageJail(
            "conf",
            "{\"release\": \"13.2-RELEASE\"}",
            "",
            List.of("root"),
            dir ->
                Files.writeString(
                    dir.resolve("jail.conf"), "conf { exec.prestart = 'touch /pwned'; }\n"));
    refused.put(
        zip(tmp.resolve("conf"), "conf", "iocage/images/", conf, "deflated").toString(),
        "warder: the jail directory of conf_2024-05-01.zip holds jail.conf (a file warder does not know)");
    Map<String, Path> pluginLink =
        iocageJail(
            "plink",
            "{\"release\": \"13.2-RELEASE\", \"type\": \"pluginv2\"}",
            "",
            List.of("root"),
            dir -> {
              Files.createDirectories(dir.resolve("plugin"));
              Files.writeString(dir.resolve("plink.json"), "{}");
              Files.createSymbolicLink(dir.resolve("plugin/ui.json"), hostFile);
            });
    refused.put(
        zip(tmp.resolve("plink"), "plink", "iocage/images/", pluginLink, "deflated").toString(),
        "warder: the jail directory of plink_2024-05-01.zip holds plugin/ui.json (a symbolic link to "
            + hostFile
            + ")");

    List<String> before = datasets();
    for (Map.Entry<String, String> c : refused.entrySet()) {
      List<String> err =
          failure("import", c.getKey()).lines().filter(l -> !l.startsWith("receiving ")).toList();
      assertThat(err.get(err.size() - 1)).as(c.getKey()).startsWith(c.getValue());
      assertThat(err.subList(0, err.size() - 1))
          .as(c.getKey())
          .allMatch(l -> l.startsWith("note: no .sha256"));
      assertThat(datasets())
          .as(c.getKey())
          .filteredOn(d -> !d.equals(base + "/staging"))
          .containsExactlyElementsOf(before);
      assertThat(jailDirectories()).as(c.getKey()).isEmpty();
    }

    assertThat(hostFile).hasContent("host content");
    Path good = zip(tmp.resolve("good"), "web", "iocage/images/", web, "deflated");
    ok("import", good.toString());
    List<String> imported = datasets();
    assertThat(failure("import", good.toString()))
        .isEqualTo(
            "warder: a jail or template named web already exists here;"
                + " import under another name with -n NEWNAME, or destroy the existing one first\n");
    assertThat(failure("import", good.toString(), "-n", "bad.name"))
        .startsWith("warder: property name: expected 1-64" + " letters, digits, '_' and '-'");
    assertThat(datasets()).isEqualTo(imported);
    assertThat(jailDirectories()).containsExactly("web");
    assertThat(snapshots()).isEmpty();
  }

  @Test
  void testExport_roundTripThroughPythonZipfileAndBackIntoWarder() throws Exception {
    BusyboxRoot.requireSandbox();
    ok("create", "-n", "rt", "-e");
    BusyboxRoot.create(root.resolve("jails/rt/root"));
    Files.writeString(root.resolve("jails/rt/root/etc/motd"), "exported by warder\n");
    Files.setPosixFilePermissions(
        root.resolve("jails/rt/root/etc/motd"), PosixFilePermissions.fromString("rw-r-----"));
    ok("set", "boot=1", "rt");
    ok("set", "priority=30", "rt");
    ok("set", "notes=round trip", "rt");
    String date = LocalDate.now(ZoneOffset.UTC).toString();
    try {
      start("rt");
      assertThat(failure("export", "rt", "--format", "iocage"))
          .isEqualTo(
              "warder: rt is running; stop it first"
                  + " ('warder stop rt'), or export a ZFS snapshot of it while it runs with --live\n");
      Path live = tmp.resolve("live/rt_" + date + ".zip");
      ok("export", "rt", "--format", "iocage", "--live", "-o", live.toString());
      stop("rt");
      ok("import", live.toString(), "-n", "rt_live");
      assertThat(root.resolve("jails/rt_live/root/etc/motd")).hasContent("exported by warder");
      assertThat(root.resolve("jails/rt_live/root/var/log/rc.log"))
          .hasContent("up"); // the snapshot of it running

      Path zip = root.resolve("images/rt_" + date + ".zip");
      CliRun run = ok("export", "rt", "--format", "iocage");
      assertThat(run.out())
          .isEqualTo(
              "exported rt (iocage zip) to "
                  + zip
                  + "\n  "
                  + Files.size(zip)
                  + " bytes,"
                  + " sha256 "
                  + Digests.sha256Hex(zip)
                  + "\n");
      assertThat(run.err())
          .matches(
              "exporting staging/iocage-export-[0-9a-f]{16}@ioc-export-"
                  + date
                  + " as"
                  + " iocage/images/rt_"
                  + date
                  + "\n"
                  + "exporting jails/rt/root@ioc-export-"
                  + date
                  + " as iocage/images/rt_"
                  + date
                  + "_root\n"
                  + "note: not in iocage's config.json: created: warder's own record\n");
      assertThat(root.resolve("images/rt_" + date + ".sha256"))
          .hasContent(Digests.sha256Hex(zip))
          .hasSize(64);
      // the zip holds the jail's files: its owner's only, from the first byte
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(zip)))
          .isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(live)))
          .isEqualTo("rw-------");

      assertThat(
              python(
                  """
          import sys, zipfile
          with zipfile.ZipFile(sys.argv[1]) as z:
              for i in z.infolist():
                  print(i.filename, i.compress_type, i.create_system, oct(i.external_attr >> 16), i.flag_bits & 8)
              print(z.testzip())
          """,
                  zip.toString()))
          .isEqualTo(
              "iocage/images/rt_"
                  + date
                  + " 8 3 0o100644 0\n"
                  + "iocage/images/rt_"
                  + date
                  + "_root 8 3 0o100644 0\n"
                  + "None\n");
      String check = pool.name() + "/check" + roots;
      Path checked =
          shared.resolve("check" + roots); // zfs-fuse keeps it busy a while: it goes with the pool
      run("zfs", "create", "-o", "mountpoint=" + checked, check);
      pythonMemberInto(zip, "iocage/images/rt_" + date, check + "/rt");
      pythonMemberInto(zip, "iocage/images/rt_" + date + "_root", check + "/rt/root");
      assertThat(checked.resolve("rt/config.json"))
          .hasContent(
              """
          {
              "boot": 1,
              "host_hostname": "rt",
              "host_hostuuid": "rt",
              "jail_zfs_dataset": "iocage/jails/rt/data",
              "notes": "round trip",
              "priority": "30",
              "release": "EMPTY",
              "type": "jail"
          }""");
      assertThat(checked.resolve("rt/fstab")).isEmptyFile();
      assertThat(TreeSnapshot.of(checked.resolve("rt/root")))
          .isEqualTo(TreeSnapshot.of(root.resolve("jails/rt/root")));
      assertThat(snapshots()).isEmpty();

      CliRun back = ok("import", zip.toString(), "-n", "rt2");
      assertThat(back.err())
          .contains("rt2 imported from iocage export rt_" + date + ".zip (jail, release EMPTY)")
          .doesNotContain("warning");
      assertThat(TreeSnapshot.of(root.resolve("jails/rt2/root")))
          .isEqualTo(TreeSnapshot.of(root.resolve("jails/rt/root")));
      assertThat(
              Files.readString(root.resolve("jails/rt2/config.json"))
                  .replaceFirst("\"created\" : \"[0-9T:.Z-]+\"", "\"created\" : \"NOW\""))
          .isEqualTo(
              """
          {
            "boot" : 1,
            "created" : "NOW",
            "name" : "rt2",
            "notes" : "round trip",
            "priority" : 30,
            "release" : "EMPTY",
            "type" : "jail"
          }
          """);
      start("rt2");
      assertThat(ok("exec", "rt2", "cat", "/etc/motd").out()).isEqualTo("exported by warder\n");
      assertThat(ok("exec", "rt2", "hostname").out()).isEqualTo("rt2\n");
      stop("rt2");

      assertThat(
              failure("export", "rt", "--format", "iocage", "-o", tmp.resolve("rt.zip").toString()))
          .isEqualTo(
              "warder: iocage reads the jail's name and the export's date from the zip's file name: expected -o"
                  + " [DIR/]rt_DATE.zip (rt_"
                  + date
                  + ".zip today), found rt.zip\n");
      Path named = tmp.resolve("out/rt_friday.zip");
      ok("export", "rt", "--format", "iocage", "-o", named.toString());
      assertThat(
              python(
                  "import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).namelist())",
                  named.toString()))
          .isEqualTo("['iocage/images/rt_friday', 'iocage/images/rt_friday_root']\n");
      assertThat(tmp.resolve("out/rt_friday.sha256")).hasContent(Digests.sha256Hex(named));
      ok("key", "generate", "--name", "team");
      Path signed = tmp.resolve("signed/rt_" + date + ".zip");
      assertThat(
              ok("export", "rt", "--format", "iocage", "-o", signed.toString(), "--sign", "team")
                  .out())
          .contains(", signed by ");
      assertThat(ok("import", signed.toString(), "-n", "rt_signed", "--require-signature").err())
          .contains("signature by trusted key ");
      assertThat(failure("import", named.toString(), "-n", "rt_unsigned", "--require-signature"))
          .isEqualTo(
              "warder:"
                  + " --require-signature: expected a detached signature "
                  + named
                  + ".sig, found none\n");
      assertThat(datasets()).filteredOn(d -> d.contains("/staging/")).isEmpty();
      assertThat(snapshots()).isEmpty();
    } finally {
      for (String name : started) {
        warder("stop", name);
      }
    }
  }

  @Test
  void testImport_propertyAndReplicationStreamsAreRefusedBeforeTheyMount() throws Exception {
    HostileStreams streams = HostileStreams.make(pool, shared.resolve("host-dir-" + roots));
    Path props = Files.write(tmp.resolve("props"), streams.properties());
    Path replication = Files.write(tmp.resolve("replication"), streams.replication());
    Map<String, String> refused = new LinkedHashMap<>();
    refused.put(
        zip(
                tmp.resolve("p"),
                "web",
                "iocage/images/",
                Map.of("", props, "root", web.get("root")),
                "deflated")
            .toString(),
        "warder: member iocage/images/web_2024-05-01 is refused: expected a plain zfs send stream of one"
            + " snapshot ('zfs send' or 'zfs send -i'), found a replication or property stream");
    refused.put(
        zip(
                tmp.resolve("r"),
                "web",
                "iocage/images/",
                Map.of("", web.get(""), "root", replication),
                "stored")
            .toString(),
        "warder: member iocage/images/web_2024-05-01_root is refused: expected a plain zfs send"
            + " stream of one snapshot ('zfs send' or 'zfs send -i'), found a replication or property stream");
    List<String> before = datasets();
    for (Map.Entry<String, String> c : refused.entrySet()) {
      List<String> err =
          failure("import", c.getKey()).lines().filter(l -> !l.startsWith("receiving ")).toList();
      assertThat(err.get(err.size() - 1))
          .as(c.getKey())
          .startsWith(c.getValue())
          .endsWith(
              "warder takes no property from a stream; send the snapshot again without -R, -p and -I;"
                  + " nothing was imported");
      streams.assertHostDirUntouched();
      assertThat(pool.mountedOutside(List.of(shared))).isEmpty();
      assertThat(datasets())
          .as(c.getKey())
          .filteredOn(d -> !d.equals(base + "/staging"))
          .containsExactlyElementsOf(before);
      assertThat(jailDirectories()).as(c.getKey()).isEmpty();
    }
  }

  @Test
  void testDirectoryStorage_refusesIocageZips() throws Exception {
    Path dirRoot = tmp.resolve("dirroot");
    Path zip = zip(tmp.resolve("a"), "web", "iocage/images/", web, "deflated");
    assertThat(failure(dirRoot, "import", zip.toString()))
        .isEqualTo(
            "warder: web_2024-05-01.zip is an iocage export:"
                + " zfs send streams of the jail's datasets, which only ZFS storage receives, but this host stores plain"
                + " directories; keep jails on ZFS here ('warder activate POOL/DATASET') and import it again\n");
    assertThat(cli(dirRoot, "create", "-n", "d", "-e").exitCode()).isZero();
    assertThat(failure(dirRoot, "export", "d", "--format", "iocage"))
        .isEqualTo(
            "warder: --format iocage writes zfs"
                + " send streams, as iocage does, but this host stores plain directories; export with --format tar (warder's"
                + " portable format) instead\n");
    assertThat(failure(dirRoot, "export", "d", "--format", "iocage", "-o", "-"))
        .startsWith(
            "warder: --format iocage"
                + " writes a zip file whose name iocage reads the jail's name and date from; give -o NAME_DATE.zip or no -o,"
                + " not -\n");
  }

  // ---- the iocage side

  @FunctionalInterface
  interface Filler {
    void fill(Path jailDir) throws IOException;
  }

  /**
   * Makes jail {@code name} under {@code POOL/iocage/jails} as iocage does (a dataset for the jail
   * directory with config.json and fstab, one per child), snapshots it recursively and sends each
   * dataset to a stream file as iocage's export does; returns dataset to stream, in zfs list order.
   */
  static Map<String, Path> iocageJail(
      String name, String config, String fstab, List<String> children, Filler fill)
      throws Exception {
    String dataset = pool.name() + "/iocage/jails/" + name;
    run("zfs", "create", dataset);
    for (String child : children) {
      run("zfs", "create", dataset + "/" + child);
    }
    Path dir = shared.resolve("iocage/jails/" + name);
    Files.writeString(dir.resolve("config.json"), config);
    Files.writeString(dir.resolve("fstab"), fstab);
    fill.fill(dir);
    run("zfs", "snapshot", "-r", dataset + "@ioc-export-" + DATE);
    Path streams = Files.createDirectories(shared.resolve("streams"));
    Map<String, Path> out = new LinkedHashMap<>();
    for (String ds : output("zfs", "list", "-H", "-r", "-o", "name", dataset).lines().toList()) {
      String rel = ds.equals(dataset) ? "" : ds.substring(dataset.length() + 1);
      Path stream =
          streams.resolve(name + "_" + DATE + (rel.isEmpty() ? "" : "_" + rel.replace('/', '_')));
      Process p =
          new ProcessBuilder("zfs", "send", ds + "@ioc-export-" + DATE)
              .redirectOutput(stream.toFile())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      assertThat(p.waitFor()).as("zfs send " + ds).isZero();
      out.put(rel, stream);
    }
    return out;
  }

  /**
   * {@code dir/NAME_DATE.zip} of {@code streams} with member names {@code PREFIX
   * NAME_DATE[_child]}, and its .sha256.
   */
  static Path zip(Path dir, String name, String prefix, Map<String, Path> streams, String method)
      throws Exception {
    List<Object> members = new ArrayList<>();
    streams.forEach(
        (rel, stream) -> {
          members.add(
              prefix + name + "_" + DATE + (rel.isEmpty() ? "" : "_" + rel.replace('/', '_')));
          members.add(stream);
        });
    return zipOf(dir, name, method, members);
  }

  /**
   * A zip named web_DATE.zip in its own directory, of {@code members}: arcname, stream file, ...
   */
  private String hostile(String dirName, List<Object> members) throws Exception {
    return zipOf(tmp.resolve(dirName), "web", "deflated", members).toString();
  }

  private static Path zipOf(Path dir, String name, String method, List<Object> members)
      throws Exception {
    Files.createDirectories(dir);
    Path zip = dir.resolve(name + "_" + DATE + ".zip");
    List<String> argv = new ArrayList<>(List.of(PYTHON, "-c", ZIP, zip.toString(), method));
    members.forEach(m -> argv.add(m.toString()));
    run(argv.toArray(String[]::new));
    return zip;
  }

  /** Flips one byte in the middle of a stored member's data. */
  private static void flipByteOf(Path zip, String member) throws Exception {
    run(
        PYTHON,
        "-c",
        """
        import sys, zipfile, struct
        path, name = sys.argv[1], sys.argv[2]
        info = zipfile.ZipFile(path).getinfo(name)
        with open(path, 'r+b') as f:
            f.seek(info.header_offset + 26)
            n, m = struct.unpack('<HH', f.read(4))
            at = info.header_offset + 30 + n + m + info.compress_size // 2
            f.seek(at)
            b = f.read(1)
            f.seek(at)
            f.write(bytes([b[0] ^ 0xff]))
        """,
        zip.toString(),
        member);
  }

  /** Python's zipfile reads member {@code member} and {@code zfs receive DATASET} takes it. */
  private static void pythonMemberInto(Path zip, String member, String dataset) throws Exception {
    run(
        "sh",
        "-c",
        "\"$0\" -c 'import sys, zipfile, shutil; shutil.copyfileobj(zipfile.ZipFile(sys.argv[1]).open("
            + "sys.argv[2]), sys.stdout.buffer)' \"$1\" \"$2\" | zfs receive \"$3\"",
        PYTHON,
        zip.toString(),
        member,
        dataset);
  }

  private static String python(String script, String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of(PYTHON, "-c", script));
    argv.addAll(List.of(args));
    return output(argv.toArray(String[]::new));
  }

  // ---- warder and the pool

  CliRun warder(String... args) {
    return cli(root, args);
  }

  static CliRun cli(Path root, String... args) {
    List<String> all = new ArrayList<>(List.of("--root", root.toString()));
    all.addAll(List.of(args));
    Map<String, String> env =
        Map.of(
            "CI",
            "true",
            "WARDER_KEYS",
            shared.resolve("keys").toString(),
            "WARDER_PASSPHRASE_FILE",
            shared.resolve("passphrase").toString());
    return CliRun.of((out, err, a) -> WarderMain.run(out, err, env, a), all.toArray(String[]::new));
  }

  CliRun ok(String... args) {
    CliRun run = warder(args);
    assertThat(run.exitCode()).as(String.join(" ", args) + ": " + run.err() + run.out()).isZero();
    return run;
  }

  String failure(String... args) {
    return failure(root, args);
  }

  static String failure(Path root, String... args) {
    CliRun run = cli(root, args);
    assertThat(run.exitCode()).as(String.join(" ", args) + ": " + run.out()).isNotZero();
    return run.err();
  }

  private void start(String name) {
    ok("start", name);
    started.add(name);
  }

  private void stop(String name) {
    ok("stop", name);
    started.remove(name);
  }

  /** The datasets of this test's warder root. */
  List<String> datasets() throws Exception {
    return pool.datasets().stream()
        .filter(d -> d.equals(base) || d.startsWith(base + "/"))
        .toList();
  }

  List<String> snapshots() throws Exception {
    return output("zfs", "list", "-H", "-t", "snapshot", "-o", "name", "-r", base).lines().toList();
  }

  List<String> jailDirectories() throws IOException {
    Path jails = root.resolve("jails");
    if (!Files.isDirectory(jails)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(jails)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  static void run(String... argv) throws Exception {
    output(argv);
  }

  static String output(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.PIPE).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    byte[] err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor())
        .as(String.join(" ", argv) + ": " + new String(err, StandardCharsets.UTF_8))
        .isZero();
    return out;
  }
}
