package org.warder.registry.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.warder.registry.api.ErrorCode;
import org.warder.registry.repo.RegistryRepository;
import org.warder.registry.repo.RoleExpiry;

/**
 * The server's counters, exposed at {@code /metrics} in the Prometheus text format (0.0.4):
 * requests by method and status class, response bytes, upload sessions started, committed and
 * failed, metadata submissions accepted and refused (by code), the current snapshot and timestamp
 * versions and timestamp expiry, and every role's expiry, read from the store at each scrape so
 * that changes made by the offline commands show too. Thread-safe.
 */
public final class Metrics {
  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final LongAdder responseBytes = new LongAdder();
  private final LongAdder uploadsStarted = new LongAdder();
  private final LongAdder uploadsCommitted = new LongAdder();
  private final LongAdder uploadsFailed = new LongAdder();
  private final LongAdder metadataAccepted = new LongAdder();
  private final Map<ErrorCode, LongAdder> metadataRefused = new ConcurrentHashMap<>();

  /** Counts every completed request (installed as one of the server's request logs). */
  RequestLog requestLog() {
    return (Request request, Response response) -> {
      String method = request.getMethod().toUpperCase(Locale.ROOT);
      String label = METHODS.contains(method) ? method : "OTHER";
      String status = (response.getStatus() / 100) + "xx";
      requests.computeIfAbsent(label + "\0" + status, k -> new LongAdder()).increment();
      responseBytes.add(Math.max(0, Response.getContentBytesWritten(response)));
    };
  }

  void uploadStarted() {
    uploadsStarted.increment();
  }

  void uploadCommitted() {
    uploadsCommitted.increment();
  }

  void uploadFailed() {
    uploadsFailed.increment();
  }

  void metadataAccepted() {
    metadataAccepted.increment();
  }

  void metadataRefused(ErrorCode code) {
    metadataRefused.computeIfAbsent(code, c -> new LongAdder()).increment();
  }

  /**
   * The exposition text; {@code status} is absent when the timestamp cannot be read, {@code roles}
   * empty when the metadata cannot be.
   */
  String render(Optional<RegistryRepository.Status> status, List<RoleExpiry> roles, Clock clock) {
    StringBuilder out = new StringBuilder(2048);
    header(
        out,
        "warder_http_requests_total",
        "counter",
        "HTTP requests answered, by method and status class.");
    new TreeMap<>(requests)
        .forEach(
            (key, n) -> {
              String[] parts = key.split("\0", 2);
              out.append("warder_http_requests_total{method=\"")
                  .append(parts[0])
                  .append("\",status=\"")
                  .append(parts[1])
                  .append("\"} ")
                  .append(n.sum())
                  .append('\n');
            });
    counter(
        out, "warder_http_response_bytes_total", "Bytes of response bodies sent.", responseBytes);
    counter(out, "warder_uploads_started_total", "Upload sessions started.", uploadsStarted);
    counter(
        out,
        "warder_uploads_committed_total",
        "Upload sessions committed into blobs.",
        uploadsCommitted);
    counter(
        out,
        "warder_uploads_failed_total",
        "Upload commits refused (wrong length, sha256 or size).",
        uploadsFailed);
    counter(
        out,
        "warder_metadata_accepted_total",
        "Delegated metadata submissions accepted.",
        metadataAccepted);
    header(
        out,
        "warder_metadata_refused_total",
        "counter",
        "Delegated metadata submissions refused, by error code.");
    new TreeMap<>(metadataRefused)
        .forEach(
            (code, n) ->
                out.append("warder_metadata_refused_total{code=\"")
                    .append(code.name())
                    .append("\"} ")
                    .append(n.sum())
                    .append('\n'));
    status.ifPresent(
        s -> {
          gauge(
              out,
              "warder_snapshot_version",
              "Version of the snapshot the current timestamp names.",
              s.snapshotVersion());
          gauge(
              out,
              "warder_timestamp_version",
              "Version of the current timestamp.",
              s.timestampVersion());
          gauge(
              out,
              "warder_timestamp_expiry_timestamp_seconds",
              "When the current timestamp expires (Unix time).",
              s.timestampExpires().getEpochSecond());
          gauge(
              out,
              "warder_timestamp_expires_in_seconds",
              "Seconds until the current timestamp expires.",
              Duration.between(clock.instant(), s.timestampExpires()).toSeconds());
        });
    if (!roles.isEmpty()) {
      Instant now = clock.instant();
      header(
          out,
          "warder_role_expiry_timestamp_seconds",
          "gauge",
          "When the current metadata of each role expires (Unix time); clients refuse it after.");
      roles.forEach(
          r ->
              labelled(
                  out, "warder_role_expiry_timestamp_seconds", r, r.expires().getEpochSecond()));
      header(
          out,
          "warder_role_expires_in_seconds",
          "gauge",
          "Seconds until the current metadata of each role expires (negative: expired). Delegated"
              + " roles are renewed by their publisher (warder publish renew ROLE), targets by the"
              + " owner (warder-registry renew-targets), snapshot and timestamp by the server.");
      roles.forEach(
          r -> labelled(out, "warder_role_expires_in_seconds", r, r.left(now).toSeconds()));
    }
    return out.toString();
  }

  private static void labelled(StringBuilder out, String name, RoleExpiry role, long value) {
    out.append(name)
        .append("{role=\"")
        .append(escapeLabel(role.role()))
        .append("\"} ")
        .append(value)
        .append('\n');
  }

  /**
   * {@code value} as a label value of the text format: backslash, double quote and line feed
   * escaped, so that no role name, whoever chose it, ends the value or the line.
   */
  static String escapeLabel(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private static void header(StringBuilder out, String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void counter(StringBuilder out, String name, String help, LongAdder value) {
    header(out, name, "counter", help);
    out.append(name).append(' ').append(value.sum()).append('\n');
  }

  private static void gauge(StringBuilder out, String name, String help, long value) {
    header(out, name, "gauge", help);
    out.append(name).append(' ').append(value).append('\n');
  }
}
