package io.picam.relay.live;

import org.jboss.logging.Logger;

import io.picam.relay.stream.StreamAccess.StreamRef;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;

/**
 * {@code /ws/streams/{streamId}}: a logged-in viewer's live feed. {@link ViewerUpgradeCheck} has already
 * decided who may connect; here the connection just joins or leaves its stream's hub.
 */
@WebSocket(path = "/ws/streams/{streamId}")
public class ViewerSocket {

    private static final Logger LOG = Logger.getLogger(ViewerSocket.class);

    private final HubRegistry hubs;

    public ViewerSocket(HubRegistry hubs) {
        this.hubs = hubs;
    }

    @OnOpen
    @NonBlocking
    void onOpen(WebSocketConnection connection) {
        StreamRef stream = connection.userData().get(ViewerUpgradeCheck.STREAM);
        hubs.join(stream, connection);
    }

    @OnClose
    @NonBlocking
    void onClose(WebSocketConnection connection) {
        hubs.find(connection.pathParam("streamId")).ifPresent(hub -> hub.leave(connection.id()));
    }

    /** A viewer vanishing (phone locked, Wi-Fi gone) is ordinary; the close that follows cleans up. */
    @OnError
    @NonBlocking
    void onError(WebSocketConnection connection, Throwable error) {
        LOG.debugf("Viewer %s of stream %s: %s", connection.id(), connection.pathParam("streamId"), error.toString());
    }
}
