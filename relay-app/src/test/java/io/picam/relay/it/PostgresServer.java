package io.picam.relay.it;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A PostgreSQL server of its own, apart from the relay, as Heroku Postgres is: a real server (zonky's binaries)
 * with a password-protected database for the relay, on a fixed port and data directory so that it can be stopped
 * and started again under a running relay.
 */
final class PostgresServer implements AutoCloseable {

    static final String USER = "picam";
    static final String PASSWORD = "p@ss:w/rd#1"; // characters that must be escaped in a URL

    private final Path data;
    private final int port;
    private EmbeddedPostgres postgres;

    PostgresServer() throws IOException {
        data = Files.createTempDirectory("picam-it-postgres");
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
    }

    void start() throws IOException {
        boolean fresh = postgres == null;
        postgres = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setPort(port)
                .start();
        if (fresh) {
            try (Connection c = postgres.getPostgresDatabase().getConnection();
                    Statement s = c.createStatement()) {
                s.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
                s.execute("CREATE DATABASE picam OWNER " + USER);
            } catch (SQLException e) {
                throw new IllegalStateException("could not create the relay's database", e);
            }
        }
    }

    void stop() throws IOException {
        postgres.close();
    }

    /** Heroku's form of the address: {@code postgres://user:password@host:port/database}. */
    String databaseUrl() {
        return "postgres://" + USER + ":" + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8) + "@127.0.0.1:" + port
                + "/picam";
    }

    @Override
    public void close() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }
}
