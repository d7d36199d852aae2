package io.picam.relay.web;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import org.hibernate.exception.JDBCConnectionException;
import org.jboss.logging.Logger;

/**
 * While PostgreSQL is unreachable (a Heroku Postgres maintenance, a restart), live streams keep flowing but
 * whatever needs the database cannot work: logins, the API, new viewers. Those requests get a 503 with
 * {@code Retry-After} and a sentence saying so, instead of a 500 with a stack trace in the log for each.
 */
@ApplicationScoped
public class DatabaseUnavailable {

    public static final String MESSAGE =
            "The relay cannot reach its database right now (live streams keep playing). Try again in a minute.";
    static final String RETRY_AFTER_SECONDS = "30";

    private static final Logger LOG = Logger.getLogger(DatabaseUnavailable.class);

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        Throwable cause = ctx.failure();
        if (!isUnreachableDatabase(cause) || ctx.response().headWritten()) {
            ctx.next();
            return;
        }
        LOG.warnf("%s %s: database unreachable (%s)", ctx.request().method(), ctx.normalizedPath(), rootMessage(cause));
        ctx.response()
                .setStatusCode(503)
                .putHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                .end(MESSAGE + "\n");
    }

    /** True when the failure comes from not reaching PostgreSQL (SQLState class 08), not from a bad query. */
    public static boolean isUnreachableDatabase(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JDBCConnectionException
                    || t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql
                    && sql.getSQLState() != null
                    && sql.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
