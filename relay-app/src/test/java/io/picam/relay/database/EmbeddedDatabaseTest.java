package io.picam.relay.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL on a real server: only the relay (which holds the password file) gets in, and only over
 * loopback; a data folder of the older, trusting version is upgraded in place.
 */
class EmbeddedDatabaseTest {

    @TempDir
    Path data;

    @Test
    void refusesAConnectionWithoutThePasswordOrWithAWrongOne() throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(data)) {
            DatabaseUrl url = db.url();
            assertThatThrownBy(() -> connect(url, null)).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> connect(url, "not-the-password")).isInstanceOf(SQLException.class);
            assertThat(selectOne(url)).isEqualTo(1);
            assertThat(Files.readString(data.resolve("postgres/pg_hba.conf"))).doesNotContainIgnoringCase("trust");
        }
    }

    @Test
    void listensOnLoopbackOnly() throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(data)) {
            DatabaseUrl url = db.url();
            try (Connection c = connect(url, url.password());
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("show listen_addresses")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("127.0.0.1,::1");
            }
            Optional<InetAddress> outside = nonLoopbackAddress();
            if (outside.isPresent()) {
                int port = Integer.parseInt(url.jdbcUrl().replaceAll(".*://[^:/]+:(\\d+)/.*", "$1"));
                assertThatThrownBy(() -> {
                            try (Socket socket = new Socket()) {
                                socket.connect(new InetSocketAddress(outside.get(), port), 2_000);
                            }
                        })
                        .as("a connection through %s", outside.get())
                        .isInstanceOf(ConnectException.class);
            }
        }
    }

    @Test
    void keepsThePasswordAndTheBinariesWhereOnlyItsOwnerCanReach() throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(data)) {
            Path passwordFile = data.resolve("postgres.password");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)))
                    .isEqualTo("rw-------");
            assertThat(Files.readString(passwordFile).strip())
                    .isEqualTo(db.url().password())
                    .hasSizeGreaterThanOrEqualTo(22);
            Path binaries = data.resolve("postgres-bin");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(binaries)))
                    .isEqualTo("rwx------");
            try (var unpacked = Files.list(binaries)) {
                assertThat(unpacked.filter(p -> Files.isExecutable(p.resolve("bin/postgres"))))
                        .isNotEmpty();
            }
        }
        try (EmbeddedDatabase again = EmbeddedDatabase.start(data)) {
            assertThat(again.url().password())
                    .as("the same password after a restart")
                    .isEqualTo(
                            Files.readString(data.resolve("postgres.password")).strip());
            assertThat(selectOne(again.url())).isEqualTo(1);
        }
    }

    @Test
    void upgradesADataFolderOfTheTrustingVersionAndKeepsItsRows() throws Exception {
        // what the relay made before: zonky's defaults, every local connection trusted, no password
        try (EmbeddedPostgres old = EmbeddedPostgres.builder()
                        .setDataDirectory(data.resolve("postgres"))
                        .setCleanDataDirectory(false)
                        .start();
                Connection c = old.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE users (name text)");
            s.execute("INSERT INTO users VALUES ('ada')");
        }
        assertThat(data.resolve("postgres.password")).doesNotExist();

        for (int start = 0; start < 2; start++) { // the upgrade, then a normal restart
            try (EmbeddedDatabase db = EmbeddedDatabase.start(data)) {
                DatabaseUrl url = db.url();
                assertThatThrownBy(() -> connect(url, null)).isInstanceOf(SQLException.class);
                try (Connection c = connect(url, url.password());
                        Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT name FROM users")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("ada");
                }
            }
        }
        assertThat(Files.readString(data.resolve("postgres/pg_hba.conf"))).doesNotContainIgnoringCase("trust");
    }

    @Test
    void startsAfterARelayKilledWithItsServerStillRunningAndKeepsTheData() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process relay = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        HoldDatabase.class.getName(),
                        data.toString())
                .redirectErrorStream(true)
                .start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(relay.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.lines().filter("ready"::equals).findFirst())
                    .as("the first relay started its database")
                    .isPresent();
            relay.destroyForcibly(); // SIGKILL: its PostgreSQL is left running on the folder
            assertThat(relay.waitFor(30, TimeUnit.SECONDS)).isTrue();
            long leftover = Long.parseLong(Files.readAllLines(data.resolve("postgres/postmaster.pid"))
                    .get(0)
                    .strip());
            assertThat(ProcessHandle.of(leftover).map(ProcessHandle::isAlive))
                    .as("the killed relay's server")
                    .contains(true);

            try (EmbeddedDatabase again = EmbeddedDatabase.start(data)) {
                DatabaseUrl url = again.url();
                try (Connection c = connect(url, url.password());
                        Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT note FROM kept")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("written before the kill");
                }
                assertThat(ProcessHandle.of(leftover).map(ProcessHandle::isAlive))
                        .as("the leftover server was stopped, not left beside ours")
                        .isNotEqualTo(Optional.of(true));
            }
        } finally {
            relay.destroyForcibly();
        }
    }

    @Test
    void refusesASecondRelayOnTheSameFolderWithoutTouchingTheFirst() throws Exception {
        try (EmbeddedDatabase first = EmbeddedDatabase.start(data)) {
            assertThatThrownBy(() -> EmbeddedDatabase.start(data))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("another relay uses the data folder")
                    .hasMessageContaining("PICAM_DATA_DIR");
            assertThat(selectOne(first.url())).isEqualTo(1);
        }
    }

    private static int selectOne(DatabaseUrl url) throws SQLException {
        try (Connection c = connect(url, url.password());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static Connection connect(DatabaseUrl url, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", url.username());
        if (password != null) {
            properties.setProperty("password", password);
        }
        return DriverManager.getConnection(url.jdbcUrl(), properties);
    }

    /** An address of this machine that is not loopback (none in a network-less sandbox). */
    private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address || !address.isLinkLocalAddress()) {
                        return Optional.of(address);
                    }
                }
            }
        }
        return Optional.empty();
    }
}
