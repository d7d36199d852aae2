package io.picam.relay.live;

import io.picam.relay.stream.StreamAccess.StreamRef;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;
import org.jboss.logging.Logger;

/**
 * {@code /ws/streams/{streamId}}: a logged-in viewer's live feed. {@link ViewerUpgradeCheck} has already
 * decided who may connect; here the connection just joins or leaves its stream's hub.
 */
@WebSocket(path = "/ws/streams/{streamId}")
public class ViewerSocket {

    private static final Logger LOG = Logger.getLogger(ViewerSocket.class);

    /** Only when a socket opened after its reserved place had expired (see ViewerLimits). */
    private static final CloseReason LIMIT = new CloseReason(1008, "viewer limit reached");

    private final HubRegistry hubs;
    private final ViewerLimits limits;

    public ViewerSocket(HubRegistry hubs, ViewerLimits limits) {
        this.hubs = hubs;
        this.limits = limits;
    }

    @OnOpen
    @NonBlocking
    void onOpen(WebSocketConnection connection) {
        ViewerSlot slot = connection.userData().get(ViewerLimits.SLOT);
        if (!limits.opened(slot)) {
            connection.close(LIMIT).subscribe().with(ok -> {}, err -> {});
            return;
        }
        StreamRef stream = connection.userData().get(ViewerUpgradeCheck.STREAM);
        hubs.join(stream, connection, slot);
    }

    @OnClose
    @NonBlocking
    void onClose(WebSocketConnection connection) {
        hubs.find(connection.pathParam("streamId")).ifPresent(hub -> hub.leave(connection.id()));
        limits.release(connection.userData().get(ViewerLimits.SLOT)); // the connection's close does too; once is enough
    }

    /** A viewer vanishing (phone locked, Wi-Fi gone) is ordinary; the close that follows cleans up. */
    @OnError
    @NonBlocking
    void onError(WebSocketConnection connection, Throwable error) {
        LOG.debugf("Viewer %s of stream %s: %s", connection.id(), connection.pathParam("streamId"), error.toString());
    }
}
