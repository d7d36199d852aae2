package io.picam.relay.database;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;

/**
 * A stand-in for a relay in a process of its own: starts the embedded database on the folder it is given, writes a
 * row, says "ready" and waits to be killed (EmbeddedDatabaseTest ends it with SIGKILL, as the OOM killer would).
 */
public final class HoldDatabase {

    public static void main(String[] args) throws Exception {
        EmbeddedDatabase db = EmbeddedDatabase.start(Path.of(args[0]));
        DatabaseUrl url = db.url();
        try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.username(), url.password());
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (note text)");
            s.execute("INSERT INTO kept VALUES ('written before the kill')");
        }
        System.out.println("ready");
        System.out.flush();
        new CountDownLatch(1).await();
    }

    private HoldDatabase() {}
}
