package io.picam.relay.security;

import io.picam.relay.account.KnownAddresses;
import io.picam.relay.account.LoginSessions;
import io.picam.relay.account.LoginSessions.NewSession;
import io.picam.relay.audit.AuditLog;
import io.picam.relay.audit.AuditLog.Action;
import io.picam.relay.config.RelayConfig;
import io.picam.relay.security.LoginGuard.Verdict;
import io.picam.relay.web.ClientAddress;
import io.picam.relay.web.DatabaseUnavailable;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.PasswordCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * {@code POST /j_security_check} ({@code j_username}, {@code j_password}), as the login page and scripts send it.
 * The limits of {@link LoginGuard} are applied before any password is checked; Quarkus Security JPA checks the
 * password (bcrypt); a correct one makes a new server-side session whose id goes into the cookie. Answers 302 to
 * {@code /} or to {@code /login?error=1}, with one line of text for whoever is not a browser.
 */
@ApplicationScoped
public class LoginRoute {

    public static final String PATH = "/j_security_check";
    private static final Logger LOG = Logger.getLogger(LoginRoute.class);

    private final IdentityProviderManager identities;
    private final LoginSessions sessions;
    private final KnownAddresses knownAddresses;
    private final LoginGuard guard;
    private final AuditLog audit;
    private final Vertx vertx;
    private final int proxyHops;

    public LoginRoute(
            IdentityProviderManager identities,
            LoginSessions sessions,
            KnownAddresses knownAddresses,
            LoginGuard guard,
            AuditLog audit,
            Vertx vertx,
            RelayConfig config) {
        this.identities = identities;
        this.sessions = sessions;
        this.knownAddresses = knownAddresses;
        this.guard = guard;
        this.audit = audit;
        this.vertx = vertx;
        this.proxyHops = config.proxy().hops();
    }

    void register(@Observes Router router) {
        // after SecurityHeaders (MIN_VALUE), before Quarkus' authentication
        router.post(PATH).order(Integer.MIN_VALUE + 10).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        request.setExpectMultipart(true);
        request.exceptionHandler(e -> {
            if (!ctx.response().ended()) {
                answer(ctx.response().setStatusCode(400), "the login form could not be read\n");
            }
        });
        request.endHandler(v -> vertx.executeBlocking(
                        () -> {
                            login(ctx, request.formAttributes());
                            return null;
                        },
                        false)
                .onFailure(e -> {
                    LOG.warnf("Login could not be decided: %s", e.toString());
                    answer(
                            ctx.response().setStatusCode(503).putHeader(HttpHeaders.RETRY_AFTER, "30"),
                            DatabaseUnavailable.MESSAGE + "\n");
                }));
        request.resume();
    }

    /** On a worker thread: the limits, the password and the session all need the database. */
    private void login(RoutingContext ctx, MultiMap form) {
        HttpServerResponse response = ctx.response();
        String username = form.get("j_username");
        String password = form.get("j_password");
        String address = ClientAddress.of(ctx.request(), proxyHops);
        if (username == null
                || username.isBlank()
                || password == null
                || password.isEmpty()
                || username.length() > 64) {
            redirect(response, "/login?error=1", "wrong username or password\n");
            return;
        }
        Verdict verdict = guard.before(username, address, () -> knownAddresses.known(username, address));
        if (verdict instanceof Verdict.Wait wait) {
            long seconds = Math.max(1, (wait.retryAfter().toMillis() + 999) / 1000);
            answer(
                    response.setStatusCode(429).putHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds)),
                    "too many failed logins; try again in " + seconds + " s\n");
            return;
        }
        SecurityIdentity identity;
        try {
            identity = identities.authenticateBlocking(new UsernamePasswordAuthenticationRequest(
                    username, new PasswordCredential(password.toCharArray())));
        } catch (AuthenticationFailedException e) {
            if (DatabaseUnavailable.isUnreachableDatabase(e)) {
                throw e; // not a wrong password: the database is away (503 below)
            }
            guard.failed(username, address);
            audit.record(username, Action.LOGIN_FAILED, null, null, address);
            redirect(response, "/login?error=1", "wrong username or password\n");
            return;
        }
        String user = identity.getPrincipal().getName();
        NewSession session = sessions.create(user, address, ctx.request().getHeader(HttpHeaders.USER_AGENT));
        knownAddresses.remember(user, address);
        guard.succeeded(user, address);
        audit.record(user, Action.LOGIN, null, null, address);
        response.putHeader(
                HttpHeaders.SET_COOKIE, LoginCookie.issue(ctx.request(), session.cookie(), sessions.maxAge()));
        redirect(response, "/", "logged in as " + user + "\n");
    }

    private static void redirect(HttpServerResponse response, String location, String text) {
        answer(response.setStatusCode(302).putHeader(HttpHeaders.LOCATION, location), text);
    }

    private static void answer(HttpServerResponse response, String text) {
        response.putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(text);
    }
}
