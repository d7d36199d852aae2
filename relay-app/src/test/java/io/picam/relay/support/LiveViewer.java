package io.picam.relay.support;

import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** A real WebSocket viewer (Vert.x client) that records everything the relay sends it. */
public final class LiveViewer implements AutoCloseable {

    private final WebSocketClient client;
    private final List<String> texts = new CopyOnWriteArrayList<>();
    private final List<byte[]> binaries = new CopyOnWriteArrayList<>();
    private final List<Object> messages = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private volatile WebSocket socket;
    private volatile Short closeStatus;

    private LiveViewer(WebSocketClient client) {
        this.client = client;
    }

    /** Opens {@code /ws/streams/{id}} with the given session cookie (null: anonymous); fails on a refused upgrade. */
    public static LiveViewer open(URI relay, String streamId, String sessionCookie) {
        return open(relay, streamId, sessionCookie, Map.of());
    }

    /** Like {@link #open(URI, String, String)}, with more request headers (Authorization, Origin). */
    public static LiveViewer open(URI relay, String streamId, String sessionCookie, Map<String, String> headers) {
        LiveViewer viewer = new LiveViewer(TestClients.VERTX.createWebSocketClient(
                new WebSocketClientOptions().setMaxMessageSize(64 * 1024 * 1024).setMaxFrameSize(64 * 1024 * 1024)));
        try {
            // handlers go on in the connect callback, on the event loop, so that no early message is missed
            viewer.client
                    .connect(options(relay, streamId, sessionCookie, headers))
                    .onSuccess(viewer::attach)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            return viewer;
        } catch (Exception e) {
            viewer.client.close();
            throw new IllegalStateException("WebSocket upgrade failed: " + e.getCause(), e);
        }
    }

    /** The HTTP status with which the relay refuses the upgrade; fails if it is accepted. */
    public static int refusal(URI relay, String streamId, String sessionCookie) {
        return refusal(relay, streamId, sessionCookie, Map.of());
    }

    public static int refusal(URI relay, String streamId, String sessionCookie, Map<String, String> headers) {
        WebSocketClient client = TestClients.VERTX.createWebSocketClient();
        try {
            client.connect(options(relay, streamId, sessionCookie, headers))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS)
                    .close();
            throw new AssertionError("the upgrade was accepted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UpgradeRejectedException rejected) {
                return rejected.getStatus();
            }
            throw new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            client.close();
        }
    }

    private static WebSocketConnectOptions options(
            URI relay, String streamId, String sessionCookie, Map<String, String> headers) {
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost(relay.getHost())
                .setPort(relay.getPort())
                .setURI("/ws/streams/" + streamId);
        if (sessionCookie != null) {
            options.addHeader("Cookie", Sessions.COOKIE + "=" + sessionCookie);
        }
        headers.forEach(options::addHeader);
        return options;
    }

    private void attach(WebSocket ws) {
        socket = ws;
        ws.textMessageHandler(text -> {
            texts.add(text);
            messages.add(text);
        });
        ws.binaryMessageHandler(buffer -> {
            byte[] data = buffer.getBytes();
            synchronized (bytes) {
                binaries.add(data);
                messages.add(data);
                bytes.writeBytes(data);
            }
        });
        ws.closeHandler(v -> closeStatus = ws.closeStatusCode() == null ? (short) 1006 : ws.closeStatusCode());
    }

    public List<String> texts() {
        return texts;
    }

    public List<byte[]> binaries() {
        return binaries;
    }

    /** Every message in arrival order: a String for text, a byte[] for binary. */
    public List<Object> messages() {
        return messages;
    }

    public byte[] bytes() {
        synchronized (bytes) {
            return bytes.toByteArray();
        }
    }

    public int byteCount() {
        synchronized (bytes) {
            return bytes.size();
        }
    }

    /** Stops reading: TCP backpressure builds up at the relay, as with a phone on a bad network. */
    public void stopReading() {
        socket.pause();
    }

    public void resumeReading() {
        socket.resume();
    }

    public boolean closed() {
        return closeStatus != null;
    }

    public Short closeStatus() {
        return closeStatus;
    }

    @Override
    public void close() {
        if (socket != null && !socket.isClosed()) {
            socket.close();
        }
        client.close();
    }
}
