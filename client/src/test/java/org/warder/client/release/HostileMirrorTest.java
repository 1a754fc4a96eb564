package org.warder.client.release;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.warder.signing.Digests;
import org.warder.signing.testing.CliRun;

/**
 * {@code warder fetch -r} when the first registry URL is a hostile or broken peer (WireMock in
 * front of the real registry, changing chosen answers) and a mirror is the real registry: the fetch
 * completes from what verifies, and with no good mirror it fails leaving nothing.
 */
class HostileMirrorTest {
  @TempDir static Path tmp;
  static PublishedRelease published;
  static String baseTarget;
  static byte[] base;
  WireMockServer hostile;
  @TempDir Path root;

  @BeforeAll
  static void publish() throws Exception {
    published = new PublishedRelease(tmp);
    base = Files.readAllBytes(published.dist.resolve("base.txz"));
    baseTarget =
        "/targets/releases/"
            + PublishedRelease.REL
            + "/amd64/"
            + Digests.sha256Hex(base)
            + ".base.txz";
  }

  @AfterAll
  static void stop() throws Exception {
    published.close();
  }

  @BeforeEach
  void startHostile() {
    hostile = new WireMockServer(options().dynamicPort());
    hostile.start();
    hostile.stubFor(
        any(anyUrl())
            .atPriority(10)
            .willReturn(aResponse().proxiedFrom(published.registry.url().replaceAll("/$", ""))));
  }

  @AfterEach
  void stopHostile() {
    hostile.stop();
  }

  private CliRun addWithMirror() {
    return published.warder(
        root,
        "repo",
        "add",
        "main",
        hostile.baseUrl() + "/",
        "--root-sha256",
        published.registry.rootSha256(),
        "--mirror",
        published.registry.url());
  }

  /** {@code warder [globalOptions] fetch -r REL ... -F base.txz}. */
  private CliRun fetch(String... globalOptions) {
    List<String> args = new ArrayList<>(List.of(globalOptions));
    args.addAll(
        List.of(
            "fetch",
            "-r",
            PublishedRelease.REL,
            "--repo",
            "main",
            "--arch",
            "amd64",
            "-F",
            "base.txz"));
    return published.warder(root, args.toArray(String[]::new));
  }

  private void assertFetchedFromMirror() throws Exception {
    CliRun add = addWithMirror();
    assertThat(add.exitCode()).as(add.err()).isZero();
    CliRun run = fetch();
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(root.resolve("releases/" + PublishedRelease.REL + "/root/bin/busybox")).exists();
    assertThat(Digests.sha256Hex(root.resolve("download/" + PublishedRelease.REL + "/base.txz")))
        .isEqualTo(Digests.sha256Hex(base));
  }

  @Test
  void testFetch_truncatedBodyFromFirstMirrorThenGoodMirror() throws Exception {
    hostile.stubFor(
        get(baseTarget)
            .atPriority(1)
            .willReturn(aResponse().withBody(Arrays.copyOf(base, base.length / 2))));
    assertFetchedFromMirror();
    hostile.verify(getRequestedFor(urlEqualTo(baseTarget)));
  }

  @Test
  void testFetch_rightLengthWrongBytesThenGoodMirror() throws Exception {
    byte[] evil = base.clone();
    evil[evil.length - 100] ^= 1;
    hostile.stubFor(get(baseTarget).atPriority(1).willReturn(aResponse().withBody(evil)));
    assertFetchedFromMirror();
  }

  @Test
  void testFetch_oversizedTimestampFromFirstMirrorThenGoodMirror() throws Exception {
    hostile.stubFor(
        get("/metadata/timestamp.json")
            .atPriority(1)
            .willReturn(aResponse().withBody(new byte[40_000])));
    assertFetchedFromMirror();
  }

  @Test
  void testFetch_serverErrorRetriedOnTheSameMirror() throws Exception {
    hostile.stubFor(
        get(baseTarget)
            .atPriority(1)
            .inScenario("5xx")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(503))
            .willSetStateTo("recovered"));
    assertThat(
            published
                .warder(
                    root,
                    "repo",
                    "add",
                    "main",
                    hostile.baseUrl() + "/",
                    "--root-sha256",
                    published.registry.rootSha256())
                .exitCode())
        .isZero();
    CliRun run = fetch();
    assertThat(run.exitCode()).as(run.err()).isZero();
    hostile.verify(2, getRequestedFor(urlEqualTo(baseTarget)));
  }

  @Test
  @Timeout(120)
  void testFetch_deadFirstUrlCostsOneAttemptPerFileNotTheRetryDeadline() throws Exception {
    CliRun add = addWithMirror();
    assertThat(add.exitCode()).as(add.err()).isZero();
    hostile.stubFor(any(anyUrl()).atPriority(1).willReturn(aResponse().withStatus(503)));
    hostile.resetRequests();

    // an hour of retries: waiting on the dead URL before asking the mirror would time the test out
    CliRun run = fetch("--retry-deadline", "3600");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(root.resolve("releases/" + PublishedRelease.REL + "/root/bin/busybox")).exists();
    hostile.verify(1, getRequestedFor(urlEqualTo("/metadata/timestamp.json")));
    hostile.verify(1, getRequestedFor(urlEqualTo(baseTarget)));
  }

  @Test
  void testFetch_noGoodMirrorFailsAndLeavesNothing() throws Exception {
    byte[] evil = base.clone();
    evil[10] ^= 1;
    hostile.stubFor(get(baseTarget).atPriority(1).willReturn(aResponse().withBody(evil)));
    assertThat(
            published
                .warder(
                    root,
                    "repo",
                    "add",
                    "main",
                    hostile.baseUrl() + "/",
                    "--root-sha256",
                    published.registry.rootSha256())
                .exitCode())
        .isZero();
    CliRun run = fetch();
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().lines().filter(l -> l.startsWith("warder: ")))
        .singleElement()
        .asString()
        .contains("base.txz")
        .contains("expected sha256 " + Digests.sha256Hex(base));
    assertThat(root.resolve("releases/" + PublishedRelease.REL)).doesNotExist();
    try (var files = Files.walk(root.resolve("download"))) {
      assertThat(files.filter(Files::isRegularFile)).isEmpty();
    }
  }
}
