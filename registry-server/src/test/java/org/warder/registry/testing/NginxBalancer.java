package org.warder.registry.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Debian's nginx as the load balancer in front of several registry nodes on loopback ports, as an
 * operator would put it there: round robin, a node that refuses connections or answers 502/503/504
 * taken out for a few seconds and an idempotent request (GET, HEAD) retried on the next node; a
 * POST, PATCH or PUT replayed only when no byte of it reached a node (nginx's default for
 * non-idempotent requests), bodies streamed both ways, with no affinity: the requests of one upload
 * session go to whichever node is next (the nodes share sessions through the database and the
 * store). Its own configuration, logs (the access log names the node of each request) and temporary
 * files under a directory the test gives; stopped by {@link #close}. Skips (fails under CI) when
 * nginx is missing.
 */
public final class NginxBalancer implements AutoCloseable {
  private static final Path NGINX = Path.of("/usr/sbin/nginx");
  private static final Pattern UPLOAD_REQUEST =
      Pattern.compile("\\S+ /api/v1/uploads/([0-9a-f-]+) \\d+ (\\S+) .*");

  private final Process process;
  private final URI url;
  private final Path dir;

  private NginxBalancer(Process process, URI url, Path dir) {
    this.process = process;
    this.url = url;
    this.dir = dir;
  }

  /** Skips, or under CI fails, unless nginx is installed. */
  public static void require() {
    if (!Files.isExecutable(NGINX)) {
      Facility.missing(
          "NGINX", "the load balancer tests need nginx (Debian: apt-get install nginx)");
    }
  }

  /**
   * How long nginx leaves a node out after one failed request (a node that is down, or was still
   * starting): while every node is left out, nginx answers 502 at once.
   */
  public static final Duration FAIL_TIMEOUT = Duration.ofSeconds(3);

  /** Starts nginx on a free loopback port in front of {@code upstreams} (host:port each). */
  public static NginxBalancer start(Path dir, List<String> upstreams) throws Exception {
    require();
    Files.createDirectories(dir.resolve("tmp"));
    int port = FreePort.belowOutgoingRange();
    String servers =
        upstreams.stream()
            .map(
                u ->
                    "    server "
                        + u
                        + " max_fails=1 fail_timeout="
                        + FAIL_TIMEOUT.toSeconds()
                        + "s;")
            .collect(Collectors.joining("\n"));
    String proxy =
        """
              proxy_http_version 1.1;
              proxy_set_header Connection "";
              proxy_set_header Host $http_host;
              proxy_request_buffering off;
              proxy_buffering off;
              proxy_connect_timeout 2s;
              proxy_read_timeout 120s;
              proxy_next_upstream error timeout http_502 http_503 http_504;
              proxy_next_upstream_tries 3;\
        """;
    String conf =
        String.join(
            "\n",
            "daemon off;",
            "master_process off;",
            "worker_processes 1;",
            "pid " + dir.resolve("nginx.pid") + ";",
            "error_log " + dir.resolve("error.log") + " warn;",
            "events { worker_connections 4096; }",
            "http {",
            "  log_format upstream '$request_method $uri $status $upstream_addr"
                + " $upstream_status $request_time';",
            "  access_log " + dir.resolve("access.log") + " upstream;",
            "  client_body_temp_path " + dir.resolve("tmp/body") + ";",
            "  proxy_temp_path " + dir.resolve("tmp/proxy") + ";",
            "  fastcgi_temp_path " + dir.resolve("tmp/fastcgi") + ";",
            "  uwsgi_temp_path " + dir.resolve("tmp/uwsgi") + ";",
            "  scgi_temp_path " + dir.resolve("tmp/scgi") + ";",
            "  upstream registry {",
            servers,
            "    keepalive 64;",
            "  }",
            "  server {",
            "    listen 127.0.0.1:" + port + ";",
            "    client_max_body_size 0;",
            "    location / {",
            "      proxy_pass http://registry;",
            proxy,
            "    }",
            "  }",
            "}",
            "");
    Path confFile = Files.writeString(dir.resolve("nginx.conf"), conf);
    Process process =
        new ProcessBuilder(
                NGINX.toString(),
                "-p",
                dir.toString(),
                "-e",
                dir.resolve("error.log").toString(),
                "-c",
                confFile.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("nginx.out").toFile())
            .start();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    while (!listening(port)) {
      if (!process.isAlive() || Instant.now().isAfter(deadline)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "expected nginx to listen on 127.0.0.1:"
                + port
                + ", found "
                + (process.isAlive() ? "no listener after 10 s" : "it exited")
                + ": "
                + Files.readString(dir.resolve("nginx.out"))
                + (Files.exists(dir.resolve("error.log"))
                    ? Files.readString(dir.resolve("error.log"))
                    : ""));
      }
      Thread.sleep(50);
    }
    return new NginxBalancer(process, URI.create("http://127.0.0.1:" + port + "/"), dir);
  }

  private static boolean listening(int port) {
    try {
      new Socket(InetAddress.getLoopbackAddress(), port).close();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * For each upload session (the uuid of {@code /api/v1/uploads/<uuid>}), the nodes ({@code
   * host:port}) that answered its requests, from nginx's access log.
   */
  public Map<String, Set<String>> uploadSessionNodes() throws IOException {
    Map<String, Set<String>> nodes = new TreeMap<>();
    Path log = dir.resolve("access.log");
    for (String line : Files.exists(log) ? Files.readAllLines(log) : List.<String>of()) {
      Matcher m = UPLOAD_REQUEST.matcher(line);
      if (m.matches()) {
        nodes.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
      }
    }
    return nodes;
  }

  /** The balancer's base URL, ending in '/'. */
  public URI url() {
    return url;
  }

  /** Stops nginx: SIGTERM, then SIGKILL after 10 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
