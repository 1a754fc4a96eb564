package org.warder.client.fetch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.moreThanOrExactly;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.warder.signing.tuf.FetchStatusException;
import org.warder.signing.tuf.FetchTooLargeException;

/** The HTTP fetcher against hostile and broken servers (WireMock). */
@WireMockTest
class OkHttpFetcherTest {
  private static final HttpSettings FAST =
      new HttpSettings(
          Duration.ofSeconds(2),
          Duration.ofSeconds(2),
          Duration.ofSeconds(3),
          1024 * 1024,
          Duration.ofMillis(10),
          Duration.ofSeconds(1));

  private final OkHttpFetcher fetcher = new OkHttpFetcher(FAST, "warder-test");

  private static URI url(WireMockRuntimeInfo wm, String path) {
    return URI.create(wm.getHttpBaseUrl() + path);
  }

  @Test
  void testFetch_bodyAndIdentityEncoding(WireMockRuntimeInfo wm) throws IOException {
    wm.getWireMock().register(get("/f").willReturn(aResponse().withBody("hello")));
    assertThat(fetcher.fetchBytes(url(wm, "/f"), 5)).asString().isEqualTo("hello");
    wm.getWireMock()
        .verifyThat(
            getRequestedFor(urlEqualTo("/f")).withHeader("Accept-Encoding", equalTo("identity")));
  }

  @Test
  void testFetch_endlessBodyCutAtCap(WireMockRuntimeInfo wm) {
    wm.getWireMock().register(get("/big").willReturn(aResponse().withBody(new byte[100_000])));
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    assertThatThrownBy(() -> fetcher.fetch(url(wm, "/big"), 1000, sink))
        .isInstanceOf(FetchTooLargeException.class)
        .hasMessageContaining("1000 bytes");
    assertThat(sink.size()).isEqualTo(1000);
  }

  @Test
  void testFetch_lyingContentLengthDoesNotLiftTheCap(WireMockRuntimeInfo wm) {
    wm.getWireMock()
        .register(
            get("/liar")
                .willReturn(aResponse().withHeader("Content-Length", "10").withBody(new byte[10])));
    assertThatThrownBy(() -> fetcher.fetchBytes(url(wm, "/liar"), 5))
        .isInstanceOf(FetchTooLargeException.class);
  }

  @Test
  void testFetch_slowRetrievalAbortsWithinCallTimeout(WireMockRuntimeInfo wm) {
    // 20 chunks over 20 s: every read returns well before the 2 s read timeout, but the whole
    // call takes far longer than its 3 s deadline (trust-tuf.md §6.11 #17).
    wm.getWireMock()
        .register(
            get("/slow")
                .willReturn(
                    aResponse().withBody(new byte[20]).withChunkedDribbleDelay(20, 20_000)));
    long start = System.nanoTime();
    // the 1 s retry deadline has passed when the first attempt times out: no second one
    assertThatThrownBy(() -> fetcher.fetchBytes(url(wm, "/slow"), 20))
        .hasMessageContaining("did not complete in time")
        .hasMessageContaining("gave up after 1 attempt in")
        .cause()
        .isInstanceOf(InterruptedIOException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void testFetch_notFoundIsAStatus(WireMockRuntimeInfo wm) {
    wm.getWireMock().register(get("/missing").willReturn(aResponse().withStatus(404)));
    assertThatThrownBy(() -> fetcher.fetchBytes(url(wm, "/missing"), 10))
        .isInstanceOfSatisfying(
            FetchStatusException.class, e -> assertThat(e.isNotFound()).isTrue());
    wm.getWireMock().verifyThat(1, getRequestedFor(urlEqualTo("/missing")));
  }

  @Test
  void testFetch_serverErrorRetriedThenSucceeds(WireMockRuntimeInfo wm) throws IOException {
    wm.getWireMock()
        .register(
            get("/flaky")
                .inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503))
                .willSetStateTo("second"));
    wm.getWireMock()
        .register(
            get("/flaky")
                .inScenario("flaky")
                .whenScenarioStateIs("second")
                .willReturn(aResponse().withBody("ok")));
    assertThat(fetcher.fetchBytes(url(wm, "/flaky"), 10)).asString().isEqualTo("ok");
    wm.getWireMock().verifyThat(2, getRequestedFor(urlEqualTo("/flaky")));
  }

  @Test
  void testFetch_persistentServerErrorGivesUpAtTheRetryDeadline(WireMockRuntimeInfo wm) {
    wm.getWireMock().register(get("/down").willReturn(aResponse().withStatus(500)));
    assertThatThrownBy(() -> fetcher.fetchBytes(url(wm, "/down"), 10))
        .hasMessageContaining("gave up after")
        .hasMessageContaining("the retry deadline is 1 s")
        .cause()
        .isInstanceOfSatisfying(
            FetchStatusException.class, e -> assertThat(e.status()).isEqualTo(500));
    // pauses of 10, 20, 40 ms... until the 1 s deadline: several attempts, each one counted
    wm.getWireMock().verifyThat(moreThanOrExactly(4), getRequestedFor(urlEqualTo("/down")));
  }

  @Test
  void testFetch_connectionResetBeforeBodyIsRetried(WireMockRuntimeInfo wm) throws IOException {
    wm.getWireMock()
        .register(
            get("/reset")
                .inScenario("reset")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER))
                .willSetStateTo("ok"));
    wm.getWireMock()
        .register(
            get("/reset")
                .inScenario("reset")
                .whenScenarioStateIs("ok")
                .willReturn(aResponse().withBody("fine")));
    assertThat(fetcher.fetchBytes(url(wm, "/reset"), 10)).asString().isEqualTo("fine");
  }

  @Test
  void testFetch_truncatedBodyFails(WireMockRuntimeInfo wm) {
    wm.getWireMock()
        .register(get("/cut").willReturn(aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE)));
    assertThatThrownBy(() -> fetcher.fetchBytes(url(wm, "/cut"), 100_000))
        .isInstanceOf(IOException.class);
  }
}
