package org.warder.registry.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.warder.signing.testing.TestFiles;

/**
 * A real PostgreSQL server (Debian's {@code postgresql} package, version 15 or later), one per test
 * JVM ({@link #shared}), each test taking a new database of its own: {@code initdb} into a new
 * temporary directory, started with {@code pg_ctl} on a free loopback port and a private unix
 * socket directory, password authentication over TCP. As root it runs as the unprivileged {@code
 * postgres} user (PostgreSQL refuses to run as root). When the JVM exits the server is stopped
 * (immediately: nothing in it is kept) and its directory deleted. Without the binaries the test is
 * skipped loudly, or fails on CI ({@link Facility}).
 */
public final class PostgresServer {
  public static final String USER = "warder";
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static PostgresServer shared;

  private final Path dir;
  private final Path bin;
  private final int port;
  private final String password;

  private PostgresServer(Path dir, Path bin, int port, String password) {
    this.dir = dir;
    this.bin = bin;
    this.port = port;
    this.password = password;
  }

  /**
   * The server of this JVM, started on first use; skips (fails on CI) the test when PostgreSQL is
   * not installed.
   */
  public static synchronized PostgresServer shared() throws Exception {
    if (shared == null) {
      PostgresServer started = start();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      started.close();
                    } catch (IOException e) {
                      System.err.println("cannot stop the test PostgreSQL: " + e.getMessage());
                    }
                  }));
      shared = started;
    }
    return shared;
  }

  private static PostgresServer start() throws Exception {
    Optional<Path> bin = binaries();
    if (bin.isEmpty()) {
      Facility.missing(
          "POSTGRESQL",
          "expected PostgreSQL's initdb and pg_ctl in /usr/lib/postgresql/<version>/bin, found"
              + " none; install Debian's postgresql package (apt-get install postgresql)");
    }
    boolean root = System.getProperty("user.name").equals("root");
    Path dir = Files.createTempDirectory("warder-postgres");
    String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    PostgresServer server =
        new PostgresServer(dir, bin.orElseThrow(), FreePort.belowOutgoingRange(), password);
    try {
      if (root) {
        // the server's own user must own its directory; the parent (/tmp) is world-traversable
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        try {
          Files.setOwner(dir, users.lookupPrincipalByName("postgres"));
        } catch (UserPrincipalNotFoundException e) {
          Facility.missing(
              "POSTGRESQL",
              "expected the user 'postgres' (made by Debian's postgresql package) to run"
                  + " PostgreSQL as, found none");
        }
      }
      Path pwfile = dir.resolve("pwfile");
      server.run(List.of("/bin/sh", "-c", "umask 077 && cat > " + pwfile), password + "\n");
      server.run(
          List.of(
              bin.get().resolve("initdb").toString(),
              "--pgdata=" + dir.resolve("data"),
              "--username=" + USER,
              "--pwfile=" + pwfile,
              "--auth-local=trust",
              "--auth-host=scram-sha-256",
              "--encoding=UTF8",
              "--locale=C",
              "--no-sync"),
          "");
      server.run(
          List.of(
              bin.get().resolve("pg_ctl").toString(),
              "--pgdata=" + dir.resolve("data"),
              "--log=" + dir.resolve("server.log"),
              "--wait",
              "--options=-c listen_addresses=127.0.0.1 -c port="
                  + server.port
                  + " -c unix_socket_directories="
                  + dir
                  + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
              "start"),
          "");
      return server;
    } catch (Exception | Error e) {
      server.close();
      throw e;
    }
  }

  /** The newest installed PostgreSQL's bin directory. */
  private static Optional<Path> binaries() throws IOException {
    Path versions = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(versions)) {
      return Optional.empty();
    }
    try (Stream<Path> all = Files.list(versions)) {
      return all.map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")))
          .filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
          .max(
              Comparator.comparingInt(
                  b -> Integer.parseInt(b.getParent().getFileName().toString().split("\\.")[0])));
    }
  }

  /** Runs {@code command} (as {@code postgres} when root) in the server's directory. */
  private void run(List<String> command, String input) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>();
    if (System.getProperty("user.name").equals("root")) {
      argv.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    argv.addAll(command);
    Path output = Files.createTempFile("warder-postgres", ".log");
    try {
      Process p =
          new ProcessBuilder(argv)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      try (var in = p.getOutputStream()) {
        in.write(input.getBytes(StandardCharsets.UTF_8));
      }
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
        throw new IOException(String.join(" ", argv) + " still runs after 120 s");
      }
      if (p.exitValue() != 0) {
        throw new IOException(
            String.join(" ", argv)
                + " exited with "
                + p.exitValue()
                + ": "
                + Files.readString(output)
                + serverLog());
      }
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private String serverLog() throws IOException {
    Path log = dir.resolve("server.log");
    return Files.exists(log) ? "\nserver log:\n" + Files.readString(log) : "";
  }

  public String user() {
    return USER;
  }

  public String password() {
    return password;
  }

  /** A new, empty database on this server; its JDBC URL. */
  public String newDatabase() throws SQLException {
    String name = "registry" + DATABASES.incrementAndGet();
    try (Connection c = DriverManager.getConnection(url("postgres"), USER, password);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return url(name);
  }

  private String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** Stops the server at once and deletes its directory. */
  private void close() throws IOException {
    try {
      if (Files.exists(dir.resolve("data").resolve("postmaster.pid"))) {
        run(
            List.of(
                bin.resolve("pg_ctl").toString(),
                "--pgdata=" + dir.resolve("data"),
                "--mode=immediate",
                "--wait",
                "stop"),
            "");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping PostgreSQL", e);
    } finally {
      TestFiles.deleteTree(dir);
    }
  }
}
