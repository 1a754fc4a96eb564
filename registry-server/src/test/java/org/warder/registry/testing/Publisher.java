package org.warder.registry.testing;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.warder.signing.Digests;
import org.warder.signing.Signer;
import org.warder.signing.SigningException;
import org.warder.signing.tuf.Metadata;
import org.warder.signing.tuf.Signed;
import org.warder.signing.tuf.TargetFile;
import org.warder.signing.tuf.Targets;

/** What a publisher's client does over HTTP: upload blobs in chunks, submit signed metadata. */
public final class Publisher {
  private final Http http;
  private final String token;

  public Publisher(Http http, String token) {
    this.http = http;
    this.token = token;
  }

  public HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers)
      throws IOException {
    String[] all = Arrays.copyOf(headers, headers.length + 2);
    all[headers.length] = "Authorization";
    all[headers.length + 1] = "Bearer " + token;
    return http.send(method, path, body, all);
  }

  /** Starts an upload session and returns its uuid. */
  public String start() throws IOException {
    HttpResponse<byte[]> r = send("POST", "/api/v1/uploads", null);
    if (r.statusCode() != 201) {
      throw new IOException(
          "POST /api/v1/uploads answered "
              + r.statusCode()
              + ": "
              + new String(r.body(), StandardCharsets.UTF_8));
    }
    return Http.json(r).get("uuid").asText();
  }

  /** Sends bytes {@code [from, to)} of {@code content} as one chunk. */
  public HttpResponse<byte[]> patch(String uuid, byte[] content, int from, int to)
      throws IOException {
    return send(
        "PATCH",
        "/api/v1/uploads/" + uuid,
        Arrays.copyOfRange(content, from, to),
        "Content-Range",
        "bytes " + from + "-" + (to - 1) + "/*");
  }

  public HttpResponse<byte[]> commit(String uuid, String sha256, long length) throws IOException {
    return send("PUT", "/api/v1/uploads/" + uuid + "?sha256=" + sha256 + "&length=" + length, null);
  }

  /**
   * Uploads {@code content} in chunks of {@code chunk} bytes and commits it; returns its sha256.
   */
  public String upload(byte[] content, int chunk) throws IOException {
    String uuid = start();
    for (int from = 0; from < content.length; from += chunk) {
      HttpResponse<byte[]> r = patch(uuid, content, from, Math.min(content.length, from + chunk));
      if (r.statusCode() != 202) {
        throw new IOException(
            "PATCH answered "
                + r.statusCode()
                + ": "
                + new String(r.body(), StandardCharsets.UTF_8));
      }
    }
    String sha256 = Digests.sha256Hex(content);
    HttpResponse<byte[]> r = commit(uuid, sha256, content.length);
    if (r.statusCode() != 201) {
      throw new IOException(
          "commit answered "
              + r.statusCode()
              + ": "
              + new String(r.body(), StandardCharsets.UTF_8));
    }
    return sha256;
  }

  public String upload(byte[] content) throws IOException {
    return upload(content, 64 * 1024);
  }

  /** Submits metadata of {@code role}. */
  public HttpResponse<byte[]> submit(String role, byte[] metadata) throws IOException {
    return send("PUT", "/api/v1/metadata/" + role, metadata, "Content-Type", "application/json");
  }

  /** Targets metadata listing {@code files} (path to content), signed by {@code signers}. */
  public static Metadata<Targets> targets(
      long version, Instant expires, Map<String, byte[]> files, List<? extends Signer> signers)
      throws SigningException {
    Map<String, TargetFile> targets = new LinkedHashMap<>();
    files.forEach(
        (path, content) ->
            targets.put(path, TargetFile.of(path, content.length, Digests.sha256Hex(content))));
    return Metadata.of(
            new Targets(Signed.SPEC_VERSION, version, expires, targets, Optional.empty()))
        .signedBy(signers);
  }

  /**
   * Uploads {@code content} and submits version 1 of {@code role} (valid for a month, signed by
   * {@code signer}) naming it as {@code path}; returns the submission's response.
   */
  public HttpResponse<byte[]> publishOne(String role, String path, byte[] content, Signer signer)
      throws IOException, SigningException {
    upload(content, 1 << 20);
    return submit(
        role,
        targets(
                1,
                Instant.now().plus(java.time.Duration.ofDays(30)),
                Map.of(path, content),
                List.of(signer))
            .toBytes());
  }
}
