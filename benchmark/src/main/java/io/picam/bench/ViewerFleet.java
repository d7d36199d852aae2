package io.picam.bench;

import io.picam.media.ts.TsFramer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/** N real WebSocket viewers; healthy ones measure relay-added latency, stalled ones never read. */
final class ViewerFleet {

    private final Vertx vertx;
    private final WebSocketClient client;
    private final RelayUnderTest relay;
    private final List<Viewer> viewers = new ArrayList<>();

    final class Viewer {
        final boolean stalled;
        final AtomicLong received = new AtomicLong();
        WebSocket socket;

        Viewer(boolean stalled) {
            this.stalled = stalled;
        }
    }

    ViewerFleet(Vertx vertx, RelayUnderTest relay) {
        this.vertx = vertx;
        this.relay = relay;
        this.client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxMessageSize(64 << 20)
                .setMaxFrameSize(64 << 20)
                .setMaxConnections(100_000)
                .setTryUsePerMessageCompression(false));
    }

    private WebSocketConnectOptions options() {
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost("127.0.0.1")
                .setPort(relay.viewerPort())
                .setURI("/ws/streams/" + relay.streamId());
        if (relay.cookie() != null) {
            options.addHeader("Cookie", relay.cookie());
        }
        return options;
    }

    /** Connects every viewer; latency is recorded into {@code latency} once {@code measureFrom} has passed. */
    void connect(
            int count,
            double stalledFraction,
            long startOffset,
            WriteLog log,
            LatencyHistogram latency,
            long[] measureFrom)
            throws Exception {
        int stalled = (int) Math.round(count * stalledFraction);
        List<Future<WebSocket>> pending = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Viewer viewer = new Viewer(i < stalled);
            viewers.add(viewer);
            pending.add(client.connect(options()).onSuccess(ws -> {
                viewer.socket = ws;
                if (viewer.stalled) {
                    ws.pause();
                    return;
                }
                ws.binaryMessageHandler(buffer -> {
                    long now = System.nanoTime();
                    long total = viewer.received.addAndGet(buffer.length());
                    if (now >= measureFrom[0]) {
                        long written = log.timeOf(startOffset + total - 1);
                        if (written > 0) {
                            latency.record(now - written);
                        }
                    }
                });
            }));
            if (pending.size() >= 50) {
                Future.all(pending).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
                pending.clear();
            }
        }
        Future.all(pending).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    List<Viewer> healthy() {
        return viewers.stream().filter(v -> !v.stalled).toList();
    }

    /**
     * Opens one more viewer and answers the milliseconds from the WebSocket opening to its first media
     * bytes; negative when those bytes do not start at a join point.
     */
    double lateJoin(boolean checkJoinPoint) throws Exception {
        CompletableFuture<Double> first = new CompletableFuture<>();
        long[] opened = new long[1];
        WebSocket ws;
        try {
            ws = client.connect(options())
                    .onSuccess(socket -> {
                        opened[0] = System.nanoTime();
                        socket.binaryMessageHandler(buffer -> {
                            if (!first.isDone()) {
                                byte[] data = buffer.getBytes();
                                double millis = (System.nanoTime() - opened[0]) / 1e6;
                                boolean decodable = !checkJoinPoint || TsFramer.isJoinPointPacket(data, 0);
                                first.complete(decodable ? millis : -millis);
                            }
                        });
                    })
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return Double.POSITIVE_INFINITY;
        }
        try {
            return first.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return Double.POSITIVE_INFINITY; // nothing within 10 s: reported as such, the run goes on
        } finally {
            ws.close();
        }
    }

    void close() {
        viewers.forEach(v -> {
            if (v.socket != null) {
                v.socket.close();
            }
        });
        client.close();
    }
}
