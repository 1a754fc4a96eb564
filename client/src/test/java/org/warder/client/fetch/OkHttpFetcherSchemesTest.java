package org.warder.client.fetch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;
import org.warder.signing.tuf.FetchStatusException;

/**
 * The fetcher keeps one client per scheme (TLS is set up only for the first https:// URL): https
 * URLs are fetched over TLS and checked against the trust store, and no redirect switches scheme.
 */
@WireMockTest(httpsEnabled = true)
class OkHttpFetcherSchemesTest {
  private static final HttpSettings FAST =
      new HttpSettings(
          Duration.ofSeconds(2),
          Duration.ofSeconds(2),
          Duration.ofSeconds(3),
          1024 * 1024,
          Duration.ofMillis(10),
          Duration.ofSeconds(1));

  private final OkHttpFetcher fetcher = new OkHttpFetcher(FAST, "warder-test");

  @Test
  void testFetch_httpsSpeaksTlsAndRefusesAnUntrustedCertificate(WireMockRuntimeInfo wm) {
    wm.getWireMock().register(get("/f").willReturn(aResponse().withBody("hello")));
    // WireMock's certificate is self-signed: the handshake happens, and the certificate is refused.
    assertThatThrownBy(() -> fetcher.fetchBytes(URI.create(wm.getHttpsBaseUrl() + "/f"), 5))
        .isInstanceOf(SSLException.class);
  }

  @Test
  void testFetch_httpAfterHttpsStillWorks(WireMockRuntimeInfo wm) throws IOException {
    wm.getWireMock().register(get("/f").willReturn(aResponse().withBody("hello")));
    assertThatThrownBy(() -> fetcher.fetchBytes(URI.create(wm.getHttpsBaseUrl() + "/f"), 5))
        .isInstanceOf(IOException.class);
    assertThat(fetcher.fetchBytes(URI.create(wm.getHttpBaseUrl() + "/f"), 5))
        .asString()
        .isEqualTo("hello");
  }

  @Test
  void testFetch_redirectToHttpsIsNotFollowed(WireMockRuntimeInfo wm) {
    wm.getWireMock()
        .register(
            get("/r")
                .willReturn(
                    aResponse()
                        .withStatus(302)
                        .withHeader("Location", wm.getHttpsBaseUrl() + "/f")));
    assertThatThrownBy(() -> fetcher.fetchBytes(URI.create(wm.getHttpBaseUrl() + "/r"), 5))
        .isInstanceOfSatisfying(
            FetchStatusException.class, e -> assertThat(e.status()).isEqualTo(302));
  }
}
