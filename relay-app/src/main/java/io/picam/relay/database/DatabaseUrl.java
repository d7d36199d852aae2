package io.picam.relay.database;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where the database is, from the environment a host gives: {@code JDBC_DATABASE_URL} (+ {@code _USERNAME},
 * {@code _PASSWORD}) as Heroku's Java buildpack sets it, or {@code DATABASE_URL} in Heroku's
 * {@code postgres://user:pass@host:port/db} form. Heroku Postgres only accepts TLS, so a remote host gets
 * {@code sslmode=require} unless {@code PICAM_DATABASE_SSLMODE} says otherwise.
 */
public record DatabaseUrl(String jdbcUrl, String username, String password) {

    private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "::1", "[::1]");

    /** Empty when the environment names no database: the relay then runs its embedded one. */
    public static Optional<DatabaseUrl> fromEnvironment(Map<String, String> env) {
        String jdbc = blankToNull(env.get("JDBC_DATABASE_URL"));
        if (jdbc != null) {
            return Optional.of(new DatabaseUrl(
                    jdbc,
                    blankToNull(env.get("JDBC_DATABASE_USERNAME")),
                    blankToNull(env.get("JDBC_DATABASE_PASSWORD"))));
        }
        String url = blankToNull(env.get("DATABASE_URL"));
        return url == null ? Optional.empty() : Optional.of(parse(url, blankToNull(env.get("PICAM_DATABASE_SSLMODE"))));
    }

    /** Turns {@code postgres://user:pass@host:port/db?options} into a JDBC URL and credentials. */
    public static DatabaseUrl parse(String databaseUrl, String sslModeOverride) {
        URI uri;
        try {
            uri = new URI(databaseUrl.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    "DATABASE_URL is not a URL (expected postgres://user:password@host:port/database)");
        }
        String scheme = uri.getScheme();
        if (!"postgres".equals(scheme) && !"postgresql".equals(scheme)) {
            throw new IllegalArgumentException("DATABASE_URL must start with postgres:// (got " + scheme + "://)");
        }
        String host = uri.getHost();
        String path = uri.getRawPath();
        if (host == null || path == null || path.length() < 2) {
            throw new IllegalArgumentException(
                    "DATABASE_URL needs a host and a database name: postgres://user:password@host:port/database");
        }
        String username = null;
        String password = null;
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            username = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        }
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(host);
        if (uri.getPort() > 0) {
            jdbc.append(':').append(uri.getPort());
        }
        jdbc.append(path);
        String query = uri.getRawQuery();
        boolean queryHasSslMode = query != null && query.matches("(^|.*&)sslmode=.*");
        String sslMode = sslModeOverride != null
                ? sslModeOverride
                : queryHasSslMode || LOCAL_HOSTS.contains(host) ? null : "require";
        String options = join(query, sslMode == null ? null : "sslmode=" + sslMode);
        if (options != null) {
            jdbc.append('?').append(options);
        }
        return new DatabaseUrl(jdbc.toString(), username, password);
    }

    private static String join(String query, String extra) {
        if (query == null || query.isEmpty()) {
            return extra;
        }
        return extra == null ? query : query + "&" + extra;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** Never prints the password: this record ends up in logs and exception messages. */
    @Override
    public String toString() {
        return "DatabaseUrl[" + jdbcUrl + ", user " + username + "]";
    }
}
