package io.picam.relay.audit;

import io.picam.relay.audit.AuditLog.Action;
import io.picam.relay.config.RelayConfig;
import io.picam.relay.web.ClientAddress;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import jakarta.enterprise.context.RequestScoped;

/** The audit log as seen from an API request: the actor and address come from the request itself. */
@RequestScoped
public class AdminAudit {

    private final AuditLog log;
    private final SecurityIdentity identity;
    private final CurrentVertxRequest request;
    private final int proxyHops;

    public AdminAudit(AuditLog log, SecurityIdentity identity, CurrentVertxRequest request, RelayConfig config) {
        this.log = log;
        this.identity = identity;
        this.request = request;
        this.proxyHops = config.proxy().hops();
    }

    public void record(Action action, String target, String detail) {
        log.record(actor(), action, target, detail, address());
    }

    public String actor() {
        return identity.isAnonymous() ? null : identity.getPrincipal().getName();
    }

    private String address() {
        var ctx = request.getCurrent();
        return ctx == null ? null : ClientAddress.of(ctx.request(), proxyHops);
    }
}
