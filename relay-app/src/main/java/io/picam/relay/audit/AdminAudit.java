package io.picam.relay.audit;

import jakarta.enterprise.context.RequestScoped;

import io.picam.relay.audit.AuditLog.Action;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;

/** The audit log as seen from an API request: the actor and address come from the request itself. */
@RequestScoped
public class AdminAudit {

    private final AuditLog log;
    private final SecurityIdentity identity;
    private final CurrentVertxRequest request;

    public AdminAudit(AuditLog log, SecurityIdentity identity, CurrentVertxRequest request) {
        this.log = log;
        this.identity = identity;
        this.request = request;
    }

    public void record(Action action, String target, String detail) {
        log.record(actor(), action, target, detail, address());
    }

    public String actor() {
        return identity.isAnonymous() ? null : identity.getPrincipal().getName();
    }

    private String address() {
        var ctx = request.getCurrent();
        return ctx == null || ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
    }
}
