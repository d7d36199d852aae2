package io.picam.relay.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.picam.relay.config.RelayConfig;
import io.picam.relay.live.HubRegistry;
import io.picam.relay.security.AccessTokenMechanism;
import io.picam.relay.stream.StreamAccess;
import io.picam.relay.stream.StreamAccess.StreamRef;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.util.Optional;

/**
 * {@code POST /ingest/{streamId}}: a publisher's body, read as it arrives and forwarded to the stream's
 * hub, for as long as the publisher sends. Registered on the raw Vert.x router ahead of Quarkus' body
 * size limit and form login: the body is unbounded and the stream secret is checked here.
 */
@ApplicationScoped
public class IngestRoute {

    /** Before Quarkus' upload limit (-2), which would refuse long bodies that declare a Content-Length. */
    private static final int ROUTE_ORDER = -10;

    private final StreamAccess access;
    private final HubRegistry hubs;
    private final RelayConfig config;
    private final Vertx vertx;
    private final Counter unauthorized;
    private final Counter wrongType;
    private final Counter malformed;
    private final Counter unavailable;
    private final MediaTap tap;

    public IngestRoute(
            StreamAccess access,
            HubRegistry hubs,
            RelayConfig config,
            Vertx vertx,
            MeterRegistry metrics,
            Instance<MediaTap> taps) {
        this.tap = taps.isResolvable() ? taps.get() : MediaTap.NONE;
        this.access = access;
        this.hubs = hubs;
        this.config = config;
        this.vertx = vertx;
        this.unauthorized = refused(metrics, "unauthorized");
        this.wrongType = refused(metrics, "content-type");
        this.malformed = refused(metrics, "malformed");
        this.unavailable = refused(metrics, "store-unavailable");
    }

    private static Counter refused(MeterRegistry metrics, String reason) {
        return Counter.builder("picam.ingest.refused")
                .tag("reason", reason)
                .description("Ingest requests refused: wrong secret or unknown stream, wrong Content-Type, bytes not "
                        + "of the stream's container, database unreachable")
                .register(metrics);
    }

    void register(@Observes Router router) {
        router.post("/ingest/:streamId").order(ROUTE_ORDER).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        request.pause(); // nothing is read until the secret is checked
        if (hubs.draining()) {
            IngestResponses.refuse(request, 503, HubRegistry.RESTARTING);
            return;
        }
        String streamId = ctx.pathParam("streamId");
        String secret = bearer(request.getHeader(HttpHeaders.AUTHORIZATION));
        vertx.<Optional<StreamRef>>executeBlocking(() -> access.authenticatePublisher(streamId, secret), false)
                .onComplete(result -> {
                    if (result.failed()) {
                        unavailable.increment();
                        IngestResponses.refuse(request, 503, "stream store unavailable, try again");
                    } else if (result.result().isEmpty()) {
                        unauthorized.increment();
                        IngestResponses.unauthorized(request);
                    } else {
                        start(request, result.result().get());
                    }
                });
    }

    private void start(HttpServerRequest request, StreamRef stream) {
        if (!stream.format().accepts(request.getHeader(HttpHeaders.CONTENT_TYPE))) {
            wrongType.increment();
            IngestResponses.refuse(
                    request,
                    415,
                    "stream " + stream.id() + " is " + stream.format().id() + ": send Content-Type "
                            + stream.format().contentType());
            return;
        }
        new Publisher(
                        request,
                        hubs.hubFor(stream),
                        stream.format().newFramer(),
                        vertx,
                        config.ingest().idleTimeout().toMillis(),
                        malformed::increment,
                        tap.open(stream.id(), stream.format()))
                .start();
    }

    /** The token of an {@code Authorization: Bearer …} header, or null. */
    static String bearer(String header) {
        return AccessTokenMechanism.bearer(header);
    }
}
