package io.picam.relay.ingest;

import io.picam.media.ContainerFramer;
import io.picam.media.MediaFormatException;
import io.picam.media.MediaSegment;
import io.picam.relay.live.PublisherHandle;
import io.picam.relay.live.StreamHub;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * One authenticated ingest request: frames the body as it arrives and feeds the hub. It becomes the
 * stream's publisher only with its first valid bytes, so a client sending garbage never displaces a
 * working one. All callbacks run on the request's event loop.
 */
final class Publisher implements PublisherHandle {

    private static final Logger LOG = Logger.getLogger(Publisher.class);

    private final HttpServerRequest request;
    private final StreamHub hub;
    private final ContainerFramer framer;
    private final Vertx vertx;
    private final long idleTimeoutMillis;
    private final Runnable onMalformed;
    private final MediaTap.Session tap;
    private boolean attached;
    private boolean finished;
    private long lastDataMillis;
    private long idleTimer = -1;
    private long bytes;
    private Context context; // the request's event loop: every state change happens there

    Publisher(
            HttpServerRequest request,
            StreamHub hub,
            ContainerFramer framer,
            Vertx vertx,
            long idleTimeoutMillis,
            Runnable onMalformed,
            MediaTap.Session tap) {
        this.tap = tap;
        this.request = request;
        this.hub = hub;
        this.framer = framer;
        this.vertx = vertx;
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.onMalformed = onMalformed;
    }

    void start() {
        context = vertx.getOrCreateContext();
        lastDataMillis = System.currentTimeMillis();
        request.handler(this::onData);
        request.endHandler(v -> finish(200, "stream ended after " + bytes + " bytes"));
        request.exceptionHandler(e -> finish(0, null));
        request.connection().closeHandler(v -> finish(0, null));
        idleTimer = vertx.setPeriodic(Math.max(250, idleTimeoutMillis / 4), id -> checkIdle());
        request.resume();
    }

    private void onData(Buffer data) {
        if (finished) {
            return;
        }
        lastDataMillis = System.currentTimeMillis();
        bytes += data.length();
        List<MediaSegment> segments;
        try {
            segments = framer.feed(data.getBytes(), 0, data.length());
        } catch (MediaFormatException e) {
            LOG.infof("Refusing publisher of stream %s: %s", hub.streamId(), e.getMessage());
            onMalformed.run();
            finish(400, e.getMessage());
            return;
        }
        for (MediaSegment segment : segments) {
            if (!attached) {
                attached = true;
                LOG.infof("Publisher connected to stream %s from %s", hub.streamId(), request.remoteAddress());
                hub.attach(this);
            }
            if (!hub.publish(this, segment)) {
                tap.close();
                return; // replaced meanwhile
            }
            tap.accept(segment);
        }
    }

    private void checkIdle() {
        if (!finished && System.currentTimeMillis() - lastDataMillis > idleTimeoutMillis) {
            LOG.infof(
                    "Publisher of stream %s sent nothing for %d ms; disconnecting", hub.streamId(), idleTimeoutMillis);
            finish(408, "no data for " + idleTimeoutMillis + " ms");
        }
    }

    /** A newer publisher took over: end this request. Called under the hub's lock, from any thread. */
    @Override
    public void replaced() {
        context.runOnContext(v -> {
            if (!finished) {
                LOG.infof("Publisher of stream %s replaced by a newer one", hub.streamId());
                finished = true;
                vertx.cancelTimer(idleTimer);
                tap.close();
                IngestResponses.refuse(request, 409, "replaced by a newer publisher of this stream");
            }
        });
    }

    @Override
    public void disconnect(int status, String reason) {
        context.runOnContext(v -> {
            if (!finished) {
                LOG.infof("Disconnecting the publisher of stream %s: %s", hub.streamId(), reason);
                finish(status, reason);
            }
        });
    }

    /** Ends this publisher: status 0 means the connection is already gone, nothing to answer. */
    private void finish(int status, String message) {
        if (finished) {
            return;
        }
        finished = true;
        vertx.cancelTimer(idleTimer);
        tap.close();
        if (attached) {
            hub.detach(this);
            LOG.infof("Publisher of stream %s gone after %d bytes", hub.streamId(), bytes);
        }
        if (status == 200) {
            IngestResponses.ok(request, message);
        } else if (status != 0) {
            IngestResponses.refuse(request, status, message);
        }
    }
}
