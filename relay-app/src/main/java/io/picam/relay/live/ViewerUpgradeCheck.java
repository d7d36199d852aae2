package io.picam.relay.live;

import io.picam.relay.account.Credential;
import io.picam.relay.config.RelayConfig;
import io.picam.relay.security.CallerCredential;
import io.picam.relay.share.ShareGrant;
import io.picam.relay.share.ShareLinks;
import io.picam.relay.stream.StreamAccess;
import io.picam.relay.stream.StreamAccess.Decision;
import io.picam.relay.stream.StreamAccess.StreamRef;
import io.picam.relay.web.ClientAddress;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides the viewer WebSocket upgrade as the contract says: 401 without a login, 403 without a grant
 * (admins may watch everything; only they learn that a stream does not exist, as 404). A share link's cookie watches
 * its one stream, its sockets counted together against the link's own limit.
 */
@ApplicationScoped
public class ViewerUpgradeCheck implements HttpUpgradeCheck {

    static final TypedKey<StreamRef> STREAM = new TypedKey<>("picam.stream");
    static final TypedKey<String> USER = new TypedKey<>("picam.user");
    static final TypedKey<Credential> CREDENTIAL = new TypedKey<>("picam.credential");

    private final StreamAccess access;
    private final HubRegistry hubs;
    private final ViewerLimits limits;
    private final ShareLinks links;
    private final int proxyHops;

    public ViewerUpgradeCheck(
            StreamAccess access, HubRegistry hubs, ViewerLimits limits, ShareLinks links, RelayConfig config) {
        this.access = access;
        this.hubs = hubs;
        this.limits = limits;
        this.links = links;
        this.proxyHops = config.proxy().hops();
    }

    @Override
    public boolean appliesTo(String endpointId) {
        return endpointId.equals(ViewerSocket.class.getName());
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        String streamId = context.pathParam("streamId");
        if (hubs.draining()) {
            return CheckResult.rejectUpgrade(503); // shutting down: the player retries, reaching the next instance
        }
        if (!sameOrigin(
                context.httpRequest().getHeader("Origin"), context.httpRequest().getHeader("Host"))) {
            return CheckResult.rejectUpgrade(403); // cross-site WebSocket hijacking: another site using our cookie
        }
        return context.securityIdentity().chain(identity -> {
            if (identity == null || identity.isAnonymous()) {
                return CheckResult.rejectUpgrade(401);
            }
            // usually answered from memory (StreamAccess); a miss is JDBC, so off the event loop
            return Uni.createFrom()
                    .item(() -> decide(identity, streamId, context))
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        });
    }

    /**
     * Browsers always send Origin on a WebSocket; it must name this relay. Programs (no Origin) authenticate with a
     * cookie or token they hold themselves, so they are not a cross-site risk.
     */
    static boolean sameOrigin(String origin, String host) {
        if (origin == null) {
            return true;
        }
        if (host == null) {
            return false;
        }
        try {
            URI uri = URI.create(origin);
            if (uri.getHost() == null) {
                return false; // "null" (sandboxed frames, file:) and garbage
            }
            String originHost = uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            String bareHost = host.replaceFirst(":(80|443)$", "");
            return originHost.equalsIgnoreCase(host) || originHost.equalsIgnoreCase(bareHost);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private CheckResult decide(SecurityIdentity identity, String streamId, HttpUpgradeContext context) {
        Optional<ShareGrant> share = CallerCredential.share(identity);
        Decision decision = access.mayWatch(identity, streamId);
        if (decision == Decision.UNKNOWN) {
            return CheckResult.rejectUpgradeSync(404);
        }
        if (decision == Decision.FORBIDDEN) {
            return CheckResult.rejectUpgradeSync(403);
        }
        try {
            // 429 past the user's sockets, 503 past the relay's; the place is the connection's until it closes
            // a share link's sockets count together, up to its own limit (else the per-user one)
            ViewerSlot slot = share.isPresent()
                    ? limits.reserve(
                            identity.getPrincipal().getName(),
                            Objects.requireNonNullElse(share.get().maxViewers(), limits.perUser()),
                            context.httpRequest().connection())
                    : limits.reserve(
                            identity.getPrincipal().getName(),
                            context.httpRequest().connection());
            context.userData().put(ViewerLimits.SLOT, slot);
        } catch (ViewerLimits.LimitReached e) {
            return CheckResult.rejectUpgradeSync(e.status());
        }
        StreamRef stream = access.find(streamId).orElseThrow();
        context.userData().put(STREAM, stream);
        context.userData().put(USER, identity.getPrincipal().getName());
        CallerCredential.of(identity).ifPresent(c -> context.userData().put(CREDENTIAL, c));
        share.ifPresent(grant -> links.used(grant.linkId(), ClientAddress.of(context.httpRequest(), proxyHops)));
        return CheckResult.permitUpgradeSync();
    }
}
