package org.warder.registry.testing;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.warder.registry.storage.S3Store;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 API server in the test JVM: S3Proxy over a directory, on a free loopback port, with
 * signature v4 authentication. Clients are made by {@link S3Store#client}, the production code,
 * which reads its credentials from the default AWS provider chain: this sets the {@code
 * aws.accessKeyId}/{@code aws.secretAccessKey} system properties it reads.
 */
public final class S3ProxyServer {
  public static final String ACCESS_KEY = "warder-test";
  public static final String SECRET_KEY = "warder-test-secret";
  public static final String REGION = "us-east-1";

  private final S3Proxy proxy;
  private final BlobStoreContext context;
  public final URI endpoint;

  public S3ProxyServer(Path dir) throws Exception {
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", dir.toString());
    context =
        ContextBuilder.newBuilder("filesystem")
            .credentials("identity", "credential")
            .overrides(properties)
            .build(BlobStoreContext.class);
    proxy =
        S3Proxy.builder()
            .blobStore(context.getBlobStore())
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .build();
    proxy.start();
    for (int i = 0; i < 500 && !proxy.getState().equals("STARTED"); i++) {
      Thread.sleep(10);
    }
    if (!proxy.getState().equals("STARTED")) {
      throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
    }
    endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    System.setProperty("aws.accessKeyId", ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", SECRET_KEY);
  }

  /** A client of this server, made as production makes one (path-style, custom endpoint). */
  public S3Client client() {
    return S3Store.client(Optional.of(endpoint), REGION, true);
  }

  /** Creates bucket {@code name}; returns it. */
  public String createBucket(String name) {
    try (S3Client s3 = client()) {
      s3.createBucket(r -> r.bucket(name));
    }
    return name;
  }

  /** Stops the server; the directory stays (the test's temporary directory). */
  public void stop() throws Exception {
    proxy.stop();
    context.close();
  }
}
