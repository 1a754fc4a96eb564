package org.warder.registry.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.warder.signing.Digests;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The {@link RegistryStore} in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, Garage, R2), under
 * an optional key prefix, with the keys of {@link StoreKeys}.
 *
 * <p>A blob is written by a multipart upload of the verified local file; the bytes sent are counted
 * and hashed as they go, and the upload is completed only when length and sha256 match the blob's
 * name, else aborted: nothing half-written or wrong ever becomes visible. A stored blob is never
 * replaced: the upload is skipped when the key exists, and completed with {@code If-None-Match: *}
 * so that a server that supports conditional writes refuses a concurrent second writer.
 *
 * <p>S3 keeps no modification time a client can set: a blob's "touched" time for gc is an empty
 * marker object {@code blobs/touched/<hex>/<epoch millis>}. Metadata files are single PUTs (atomic
 * in S3); versioned ones are sent cacheable forever, {@code timestamp.json} as {@code no-cache}.
 * Conditional writes (S3's {@code If-None-Match}, {@code If-Match}; MinIO, Ceph RGW, R2 and S3Proxy
 * honour them too) make a versioned file created once and the timestamp replaced only by a writer
 * that read the current one. Thread-safe (the SDK client is).
 */
public final class S3Store implements RegistryStore {
  /** Part size of multipart uploads (S3 wants at least 5 MiB for every part but the last). */
  public static final int PART_SIZE = 8 * 1024 * 1024;

  private static final String TOUCHED = "blobs/touched/";
  private static final String IMMUTABLE = "public, max-age=31536000, immutable";

  private final S3Client s3;
  private final String bucket;
  private final String prefix;

  /**
   * A store in {@code bucket} under {@code prefix} ("" or a path; a trailing slash is added),
   * through {@code s3}.
   */
  public S3Store(S3Client s3, String bucket, String prefix) {
    this.s3 = s3;
    this.bucket = bucket;
    String p = prefix.replaceAll("^/+|/+$", "");
    this.prefix = p.isEmpty() ? "" : p + "/";
  }

  /**
   * An S3 client for {@code region}, at {@code endpoint} when given (else AWS's), with path-style
   * addressing when {@code pathStyle} (what most self-hosted servers need), credentials from the
   * default AWS provider chain (environment, system properties, profile files, container and
   * instance roles). Checksums are sent and checked only where S3 requires them, so that servers
   * without the newer checksum headers work.
   */
  public static S3Client client(Optional<URI> endpoint, String region, boolean pathStyle) {
    S3ClientBuilder builder =
        S3Client.builder()
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .credentialsProvider(DefaultCredentialsProvider.builder().build())
            .region(Region.of(region))
            .forcePathStyle(pathStyle)
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    endpoint.ifPresent(builder::endpointOverride);
    return builder.build();
  }

  private String blobKey(String sha256) {
    return prefix
        + StoreKeys.blob(sha256)
            .orElseThrow(() -> new IllegalArgumentException("not a sha256: " + sha256));
  }

  private String metadataKey(String name) {
    return prefix + StoreKeys.metadata(name);
  }

  private static boolean notFound(S3Exception e) {
    return e.statusCode() == 404;
  }

  private IOException failed(String what, String key, SdkException e) {
    return new IOException(
        "could not "
            + what
            + " s3://"
            + bucket
            + "/"
            + key
            + " ("
            + e.getMessage()
            + "); check the endpoint, the bucket and the credentials",
        e);
  }

  /** What {@code read} returns, or empty when {@code key} does not exist. */
  private <T> Optional<T> ifFound(String key, Supplier<T> read) throws IOException {
    try {
      return Optional.of(read.get());
    } catch (S3Exception e) {
      if (notFound(e)) {
        return Optional.empty();
      }
      throw failed("read", key, e);
    } catch (SdkException e) {
      throw failed("read", key, e);
    }
  }

  private Optional<HeadObjectResponse> head(String key) throws IOException {
    return ifFound(key, () -> s3.headObject(r -> r.bucket(bucket).key(key)));
  }

  @Override
  public OptionalLong blobLength(String sha256) throws IOException {
    Optional<HeadObjectResponse> head = head(blobKey(sha256));
    return head.isPresent() ? OptionalLong.of(head.get().contentLength()) : OptionalLong.empty();
  }

  @Override
  public InputStream openBlob(String sha256, long from) throws IOException {
    String key = blobKey(sha256);
    String range = from > 0 ? "bytes=" + from + "-" : null;
    Optional<InputStream> in =
        ifFound(key, () -> s3.getObject(r -> r.bucket(bucket).key(key).range(range)));
    return in.orElseThrow(() -> new NoSuchFileException("s3://" + bucket + "/" + key));
  }

  @Override
  public Optional<Path> localFile(String key) {
    return Optional.empty();
  }

  @Override
  public boolean putBlob(Path verified, String sha256, long length) throws IOException {
    String key = blobKey(sha256);
    try {
      if (head(key).isPresent()) {
        return false;
      }
      String uploadId;
      try {
        uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(key)).uploadId();
      } catch (SdkException e) {
        throw failed("start a multipart upload of", key, e);
      }
      boolean completed = false;
      try {
        List<CompletedPart> parts = new ArrayList<>();
        MessageDigest digest = Digests.newDigest("sha256");
        long sent = 0;
        try (InputStream in = Files.newInputStream(verified)) {
          // at least one part (an empty blob is one empty part); only the last one is short
          byte[] part = in.readNBytes(PART_SIZE);
          while (true) {
            digest.update(part);
            sent += part.length;
            parts.add(uploadPart(key, uploadId, parts.size() + 1, part));
            if (part.length < PART_SIZE) {
              break;
            }
            part = in.readNBytes(PART_SIZE);
            if (part.length == 0) {
              break;
            }
          }
        }
        String found = HexFormat.of().formatHex(digest.digest());
        if (sent != length || !found.equals(sha256)) {
          throw new IOException(
              "expected blob "
                  + sha256
                  + " of "
                  + length
                  + " bytes, sent "
                  + sent
                  + " bytes with sha256 "
                  + found
                  + " from "
                  + verified
                  + "; the upload to s3://"
                  + bucket
                  + "/"
                  + key
                  + " was aborted: upload the blob again");
        }
        try {
          s3.completeMultipartUpload(
              r ->
                  r.bucket(bucket)
                      .key(key)
                      .uploadId(uploadId)
                      .ifNoneMatch("*")
                      .multipartUpload(m -> m.parts(parts)));
          completed = true;
        } catch (S3Exception e) {
          if (e.statusCode() == 412) {
            return false; // another writer stored the same blob meanwhile: same name, same bytes
          }
          throw e;
        }
      } catch (SdkException e) {
        throw failed("upload", key, e);
      } finally {
        if (!completed) {
          abort(key, uploadId);
        }
      }
      return true; // touched when stored: the object's time, until gc's marker says later
    } finally {
      Files.deleteIfExists(verified);
    }
  }

  private CompletedPart uploadPart(String key, String uploadId, int number, byte[] part) {
    String etag =
        s3.uploadPart(
                r ->
                    r.bucket(bucket)
                        .key(key)
                        .uploadId(uploadId)
                        .partNumber(number)
                        .contentLength((long) part.length),
                RequestBody.fromBytes(part))
            .eTag();
    return CompletedPart.builder().partNumber(number).eTag(etag).build();
  }

  private void abort(String key, String uploadId) {
    try {
      s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
    } catch (SdkException e) {
      // the upload stays invisible; a bucket lifecycle rule removes incomplete uploads
    }
  }

  private String touchedPrefix(String sha256) {
    return prefix + TOUCHED + sha256 + "/";
  }

  /** Records {@code when} as blob {@code sha256}'s touched time and drops older records. */
  private void mark(String sha256, Instant when) throws IOException {
    String key = touchedPrefix(sha256) + when.toEpochMilli();
    try {
      s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.empty());
      for (S3Object old : list(touchedPrefix(sha256))) {
        if (!old.key().equals(key)) {
          s3.deleteObject(r -> r.bucket(bucket).key(old.key()));
        }
      }
    } catch (SdkException e) {
      throw failed("write", key, e);
    }
  }

  private List<S3Object> list(String keyPrefix) throws IOException {
    try {
      List<S3Object> all = new ArrayList<>();
      s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(keyPrefix))
          .contents()
          .forEach(all::add);
      return all;
    } catch (SdkException e) {
      throw failed("list", keyPrefix, e);
    }
  }

  @Override
  public OptionalLong touchBlob(String sha256, Instant now) throws IOException {
    OptionalLong length = blobLength(sha256);
    if (length.isPresent()) {
      mark(sha256, now);
    }
    return length;
  }

  @Override
  public List<BlobStore.Stored> listBlobs() throws IOException {
    Map<String, Instant> touched = new HashMap<>();
    for (S3Object marker : list(prefix + TOUCHED)) {
      String[] parts = marker.key().substring((prefix + TOUCHED).length()).split("/", -1);
      if (parts.length == 2 && parts[1].matches("[0-9]{1,19}")) {
        touched.merge(
            parts[0],
            Instant.ofEpochMilli(Long.parseLong(parts[1])),
            (a, b) -> a.isAfter(b) ? a : b);
      }
    }
    List<BlobStore.Stored> all = new ArrayList<>();
    for (S3Object object : list(prefix + StoreKeys.BLOBS)) {
      Optional<String> sha256 = StoreKeys.sha256OfBlob(object.key().substring(prefix.length()));
      if (sha256.isPresent()) {
        Instant when = touched.getOrDefault(sha256.get(), object.lastModified());
        all.add(new BlobStore.Stored(sha256.get(), object.size(), when));
      }
    }
    return all;
  }

  @Override
  public boolean deleteBlob(String sha256) throws IOException {
    String key = blobKey(sha256);
    boolean existed = head(key).isPresent();
    try {
      s3.deleteObject(r -> r.bucket(bucket).key(key));
      for (S3Object marker : list(touchedPrefix(sha256))) {
        s3.deleteObject(r -> r.bucket(bucket).key(marker.key()));
      }
    } catch (SdkException e) {
      throw failed("delete", key, e);
    }
    return existed;
  }

  @Override
  public void putPart(String key, Path file) throws IOException {
    String object = prefix + key;
    long size = Files.size(file);
    try {
      s3.putObject(
          r -> r.bucket(bucket).key(object).contentLength(size), RequestBody.fromFile(file));
    } catch (SdkException e) {
      throw failed("write", object, e);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Override
  public InputStream openPart(String key) throws IOException {
    String object = prefix + key;
    Optional<InputStream> in =
        ifFound(object, () -> s3.getObject(r -> r.bucket(bucket).key(object)));
    return in.orElseThrow(() -> new NoSuchFileException("s3://" + bucket + "/" + object));
  }

  @Override
  public void deletePart(String key) throws IOException {
    String object = prefix + key;
    try {
      s3.deleteObject(r -> r.bucket(bucket).key(object));
    } catch (SdkException e) {
      throw failed("delete", object, e);
    }
  }

  @Override
  public List<StoredPart> listParts() throws IOException {
    List<StoredPart> all = new ArrayList<>();
    for (S3Object object : list(prefix + StoreKeys.PARTS)) {
      if (!object.key().endsWith("/")) { // some servers list "directories" too
        all.add(
            new StoredPart(
                object.key().substring(prefix.length()), object.size(), object.lastModified()));
      }
    }
    return all;
  }

  @Override
  public Optional<byte[]> metadata(String name) throws IOException {
    String key = metadataKey(name);
    return ifFound(key, () -> s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray());
  }

  /**
   * Puts metadata file {@code name} with {@code condition} ({@code If-None-Match: *} or {@code
   * If-Match: <ETag>}); whether {@code name} holds {@code bytes} now. A put the server refused, or
   * one that failed, whose bytes are there now is this put: the SDK sends a request again after a
   * failure that may have come once the first one had landed, and the condition then refuses it.
   */
  private boolean put(
      String name, byte[] bytes, String cacheControl, Consumer<PutObjectRequest.Builder> condition)
      throws IOException {
    String key = metadataKey(name);
    try {
      s3.putObject(
          r -> {
            r.bucket(bucket)
                .key(key)
                .contentType("application/json")
                .cacheControl(cacheControl)
                .contentLength((long) bytes.length);
            condition.accept(r);
          },
          RequestBody.fromBytes(bytes));
      return true;
    } catch (S3Exception e) {
      if (holds(name, bytes)) {
        return true;
      }
      if (e.statusCode() == 412 || e.statusCode() == 409) {
        return false; // another writer's bytes (409: its concurrent conditional write won)
      }
      throw failed("write", key, e);
    } catch (SdkException e) {
      if (holds(name, bytes)) {
        return true;
      }
      throw failed("write", key, e);
    }
  }

  /** Whether metadata file {@code name} holds {@code bytes} now. */
  private boolean holds(String name, byte[] bytes) throws IOException {
    return metadata(name).map(stored -> Arrays.equals(stored, bytes)).orElse(false);
  }

  /** Replaces a versioned file: only for files no timestamp names yet (see the port). */
  @Override
  public void putMetadata(String name, byte[] bytes) throws IOException {
    put(name, bytes, IMMUTABLE, r -> {});
  }

  @Override
  public boolean createMetadata(String name, byte[] bytes) throws IOException {
    return put(name, bytes, IMMUTABLE, r -> r.ifNoneMatch("*"));
  }

  @Override
  public void deleteMetadata(String name, byte[] bytes) throws IOException {
    if (holds(name, bytes)) {
      String key = metadataKey(name);
      try {
        s3.deleteObject(r -> r.bucket(bucket).key(key));
      } catch (SdkException e) {
        throw failed("delete", key, e);
      }
    }
  }

  /**
   * Reads the timestamp and its ETag, compares the bytes with {@code replacing}, and puts the new
   * one with {@code If-Match} on that ETag ({@code If-None-Match: *} when there was none): a write
   * by another node between the read and the put makes the put fail.
   */
  @Override
  public void putTimestamp(byte[] bytes, Optional<byte[]> replacing) throws IOException {
    String key = metadataKey(StoreKeys.TIMESTAMP);
    Optional<ResponseBytes<GetObjectResponse>> now =
        ifFound(key, () -> s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)));
    boolean same =
        now.isPresent() == replacing.isPresent()
            && (now.isEmpty() || Arrays.equals(now.get().asByteArray(), replacing.get()));
    if (!same
        || !put(
            StoreKeys.TIMESTAMP,
            bytes,
            "no-cache",
            now.isPresent()
                ? r -> r.ifMatch(now.get().response().eTag())
                : r -> r.ifNoneMatch("*"))) {
      throw new StoreConflictException(
          "expected s3://"
              + bucket
              + "/"
              + key
              + (replacing.isPresent() ? " to hold the timestamp this change read" : " absent")
              + ", found that another writer changed it; nothing was written, load the"
              + " repository again");
    }
  }

  @Override
  public List<String> metadataNames() throws IOException {
    List<String> names = new ArrayList<>();
    String metadata = prefix + StoreKeys.METADATA;
    for (S3Object object : list(metadata)) {
      String name = object.key().substring(metadata.length());
      if (!name.isEmpty() && !name.contains("/")) {
        names.add(name);
      }
    }
    return names;
  }

  @Override
  public Object timestampTag() throws IOException {
    String key = metadataKey(StoreKeys.TIMESTAMP);
    HeadObjectResponse head =
        head(key).orElseThrow(() -> new NoSuchFileException("s3://" + bucket + "/" + key));
    return List.of(String.valueOf(head.eTag()), String.valueOf(head.lastModified()));
  }

  @Override
  public String describe() {
    return "s3://"
        + bucket
        + (prefix.isEmpty() ? "" : "/" + prefix.substring(0, prefix.length() - 1));
  }
}
