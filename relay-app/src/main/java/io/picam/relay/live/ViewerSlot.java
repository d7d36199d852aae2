package io.picam.relay.live;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One viewer socket's place within {@link ViewerLimits}, from its upgrade request until its TCP connection closes,
 * and the means to cut that connection when a close frame cannot get through.
 */
final class ViewerSlot {

    private final String user;
    private final HttpConnection connection;
    private final long reservedAtNanos;
    private final AtomicBoolean released = new AtomicBoolean();

    /** {@code connection} may be null (unit tests): then there is nothing to cut. */
    ViewerSlot(String user, HttpConnection connection, long reservedAtNanos) {
        this.user = user;
        this.connection = connection;
        this.reservedAtNanos = reservedAtNanos;
    }

    String user() {
        return user;
    }

    /** The HTTP connection the socket was upgraded on: its Netty channel carries the media frames. */
    HttpConnection connection() {
        return connection;
    }

    long reservedAtNanos() {
        return reservedAtNanos;
    }

    /** True the first time only, so that the close, the @OnClose and the open deadline give the place back once. */
    boolean markReleased() {
        return released.compareAndSet(false, true);
    }

    /**
     * Closes the TCP connection now, dropping whatever is still queued for it. A WebSocket close waits for its close
     * frame to be written, which never happens for a client that stopped reading: its socket, and the bytes queued
     * for it, would stay until the client left. Vert.x offers no public abort, hence its connection class.
     */
    void cut() {
        if (connection instanceof ConnectionBase base) {
            base.channel().close();
        } else if (connection != null) {
            connection.close();
        }
    }
}
