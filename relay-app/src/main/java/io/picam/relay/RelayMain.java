package io.picam.relay;

import io.picam.relay.database.DatabaseUrl;
import io.picam.relay.database.EmbeddedDatabase;
import io.picam.relay.database.SessionKey;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Starts the relay. Before Quarkus boots it decides where the database is (configured, Heroku's
 * {@code DATABASE_URL}, or an embedded PostgreSQL) and where the session key comes from, so that one
 * {@code java -jar} works on a fresh machine and on Heroku alike.
 */
@QuarkusMain
public final class RelayMain {

    private static final Logger LOG = Logger.getLogger(RelayMain.class);

    private RelayMain() {}

    public static void main(String... args) throws Exception {
        Map<String, String> env = System.getenv();
        Path dataDir = Path.of(Optional.ofNullable(env.get("PICAM_DATA_DIR"))
                .filter(s -> !s.isBlank())
                .orElse("data"));
        EmbeddedDatabase embedded = null;
        if (!isSet(env, "QUARKUS_DATASOURCE_JDBC_URL", "quarkus.datasource.jdbc.url")) {
            Optional<DatabaseUrl> configured = DatabaseUrl.fromEnvironment(env);
            DatabaseUrl db;
            if (configured.isPresent()) {
                db = configured.get();
            } else {
                embedded = EmbeddedDatabase.start(dataDir);
                db = embedded.url();
                LOG.infof(
                        "No DATABASE_URL: using the embedded PostgreSQL in %s",
                        dataDir.resolve("postgres").toAbsolutePath());
            }
            System.setProperty("quarkus.datasource.jdbc.url", db.jdbcUrl());
            setIfPresent("quarkus.datasource.username", db.username());
            setIfPresent("quarkus.datasource.password", db.password());
        }
        // Heroku's Key-Value Store add-on sets REDIS_URL
        if (!isSet(env, "PICAM_REDIS_URL", "picam.redis.url")
                && env.get("REDIS_URL") != null
                && !env.get("REDIS_URL").isBlank()) {
            System.setProperty("picam.redis.url", env.get("REDIS_URL"));
        }
        if (!isSet(env, "QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY", "quarkus.http.auth.session.encryption-key")) {
            System.setProperty("quarkus.http.auth.session.encryption-key", SessionKey.loadOrCreate(dataDir));
        }
        try {
            Quarkus.run(args);
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private static boolean isSet(Map<String, String> env, String variable, String property) {
        String value = env.get(variable);
        return (value != null && !value.isBlank()) || System.getProperty(property) != null;
    }

    private static void setIfPresent(String property, String value) {
        if (value != null) {
            System.setProperty(property, value);
        }
    }
}
