package io.picam.relay.database;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The zero-configuration database: a real PostgreSQL server from Maven Central's zonky binaries, with its
 * data in {@code <data dir>/postgres} so users and streams survive restarts. Used when no database is
 * configured, so that {@code java -jar} on a fresh machine just works.
 *
 * <p>Other users of the machine must not get in: the server listens on loopback only and asks for a password
 * (scram-sha-256) that is made once and kept in {@code <data dir>/postgres.password} (0600); the binaries are
 * unpacked into {@code <data dir>/postgres-bin} (0700), not into a shared temporary folder someone could fill
 * first. A data folder of the older version, which trusted every local connection, gets its password on its first
 * start with this one.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final String USER = "postgres";
    /** Written on every start; anything else in the file (zonky's {@code trust}) means a folder still to upgrade. */
    static final String PG_HBA = """
            # written by the picam relay at every start: a password (scram-sha-256) always, over loopback only
            local  all  all                scram-sha-256
            host   all  all  127.0.0.1/32  scram-sha-256
            host   all  all  ::1/128       scram-sha-256
            """;

    private final EmbeddedPostgres postgres;
    private final String password;
    private final FileLock folder;

    private EmbeddedDatabase(EmbeddedPostgres postgres, String password, FileLock folder) {
        this.postgres = postgres;
        this.password = password;
        this.folder = folder;
    }

    public static EmbeddedDatabase start(Path dataDir) {
        Path pgData = dataDir.resolve("postgres").toAbsolutePath();
        Path binaries = dataDir.resolve("postgres-bin").toAbsolutePath();
        Path hba = pgData.resolve("pg_hba.conf");
        // initdb and the server narrate every step at INFO; keep warnings only
        Logger.getLogger("io.zonky").setLevel(Level.WARNING);
        FileLock folder = null;
        try {
            Files.createDirectories(pgData);
            folder = lockFolder(dataDir);
            stopLeftoverServer(pgData);
            makePrivate(binaries);
            String password = loadOrCreatePassword(dataDir.resolve("postgres.password"));
            boolean upgrade = Files.exists(pgData.resolve("postgresql.conf")) && !PG_HBA.equals(readOrNull(hba));
            EmbeddedPostgres postgres = builderUnpackingInto(binaries)
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(binaries.toFile())
                    .setPgBinaryResolver(new BinariesFor(binaries))
                    .setServerConfig("listen_addresses", "127.0.0.1,::1")
                    // zonky passes these to initdb as --key=value: a new cluster never trusts anyone, not even briefly
                    .setLocaleConfig("auth", "scram-sha-256")
                    .setLocaleConfig(
                            "pwfile",
                            dataDir.resolve("postgres.password")
                                    .toAbsolutePath()
                                    .toString())
                    .setConnectConfig("password", password)
                    .setDataDirectoryCustomizer(dir -> {
                        if (!upgrade) {
                            write(hba, PG_HBA);
                        }
                    })
                    .start();
            makePrivate(binaries); // zonky makes its working folder writable for all
            if (upgrade) {
                setPassword(postgres, password, hba);
            }
            return new EmbeddedDatabase(postgres, password, folder);
        } catch (RuntimeException e) {
            release(folder);
            throw e;
        } catch (IOException | SQLException e) {
            release(folder);
            throw new IllegalStateException(
                    "Could not start the embedded PostgreSQL in " + pgData
                            + " (set DATABASE_URL to use another database)",
                    e);
        }
    }

    /**
     * A relay ended by SIGKILL (the OOM killer, {@code kill -9}) leaves its PostgreSQL running on the data folder,
     * and the next start would fail on PostgreSQL's own lock. Called with the folder's lock held (so no live relay
     * uses the folder), such a server is asked to stop (SIGTERM: its clients died with the relay, so it stops at
     * once) before ours starts. A stale file whose process is gone or is something else is PostgreSQL's to clear.
     */
    static void stopLeftoverServer(Path pgData) throws IOException {
        Path pidFile = pgData.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(
                    Files.readAllLines(pidFile, StandardCharsets.UTF_8).get(0).strip());
        } catch (RuntimeException e) {
            return; // unreadable: PostgreSQL itself decides
        }
        Optional<ProcessHandle> server = ProcessHandle.of(pid).filter(p -> isServerOn(p, pgData));
        if (server.isEmpty()) {
            return;
        }
        System.getLogger(EmbeddedDatabase.class.getName())
                .log(
                        System.Logger.Level.WARNING,
                        "PostgreSQL (process {0}) of an earlier relay that did not stop cleanly still runs on {1};"
                                + " stopping it",
                        pid,
                        pgData);
        server.get().destroy();
        try {
            server.get().onExit().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the earlier PostgreSQL stopped", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the earlier PostgreSQL (process " + pid + ") did not stop within 60 s", e);
        }
    }

    private static boolean isServerOn(ProcessHandle process, Path pgData) {
        ProcessHandle.Info info = process.info();
        if (!info.command().map(c -> c.endsWith("/postgres")).orElse(false)) {
            return false; // the number is another process's now
        }
        List<String> args = info.arguments().map(Arrays::asList).orElse(List.of());
        int d = args.indexOf("-D");
        return d >= 0 && d + 1 < args.size() && sameFile(Path.of(args.get(d + 1)), pgData);
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Held for the relay's lifetime and let go by the operating system when the process ends, however it ends: a
     * second relay on the same folder is refused with a clear message, and a PostgreSQL found running on the folder
     * while we hold it can only be a leftover.
     */
    private static FileLock lockFolder(Path dataDir) throws IOException {
        FileChannel channel =
                FileChannel.open(dataDir.resolve("postgres.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this very process
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new IllegalStateException("another relay uses the data folder " + dataDir.toAbsolutePath()
                    + ": stop it, or give this one its own PICAM_DATA_DIR");
        }
        return lock;
    }

    /**
     * A folder of the older version: it started with its trusting rules (over loopback only, now), so the
     * password is set over that connection, then the rules become password-only for every new connection.
     */
    private static void setPassword(EmbeddedPostgres postgres, String password, Path hba) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            // the password is base64url: nothing in it needs quoting
            s.execute("ALTER USER " + USER + " PASSWORD '" + password + "'");
            write(hba, PG_HBA);
            s.execute("SELECT pg_reload_conf()");
        }
    }

    /**
     * zonky looks for stale clusters to stop and delete in its parent folder, {@code <tmp>/embedded-pg} unless
     * {@code ot.epg.working-dir} says otherwise when the builder is made: a folder other local users can fill.
     */
    private static EmbeddedPostgres.Builder builderUnpackingInto(Path binaries) {
        String before = System.getProperty("ot.epg.working-dir");
        System.setProperty("ot.epg.working-dir", binaries.toString());
        try {
            return EmbeddedPostgres.builder();
        } finally {
            if (before == null) {
                System.clearProperty("ot.epg.working-dir");
            } else {
                System.setProperty("ot.epg.working-dir", before);
            }
        }
    }

    /**
     * zonky's own resolver, under a key of its own: zonky remembers, per resolver and for the whole JVM, where it
     * unpacked the binaries, so with the shared one it would reuse a folder another caller chose.
     */
    private record BinariesFor(Path folder) implements PgBinaryResolver {
        @Override
        public InputStream getPgBinary(String system, String machineHardware) throws IOException {
            return DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machineHardware);
        }
    }

    /** 256 random bits, made once; the file is 0600 from its creation on, never readable by others even briefly. */
    static String loadOrCreatePassword(Path file) throws IOException {
        if (Files.exists(file)) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            String password = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (password.length() >= 22) {
                return password;
            }
            if (!password.isEmpty()) {
                throw new IllegalStateException(file + " holds no password of at least 128 bits");
            } // empty: the start that made it stopped before writing it
        } else {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
        return password;
    }

    private static void makePrivate(Path folder) throws IOException {
        Files.createDirectories(folder);
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
    }

    private static String readOrNull(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
    }

    public DatabaseUrl url() {
        return new DatabaseUrl(postgres.getJdbcUrl(USER, "postgres"), USER, password);
    }

    @Override
    public void close() throws IOException {
        try {
            postgres.close();
        } finally {
            release(folder);
        }
    }

    private static void release(FileLock lock) {
        if (lock != null) {
            try {
                lock.channel().close(); // lets the lock go
            } catch (IOException e) {
                // the process's end lets it go in any case
            }
        }
    }
}
