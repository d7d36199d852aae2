package io.picam.relay.live;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;

/**
 * A viewer's WebSocket without a socket. It records what is sent, text and binary, in one ordered list; a binary
 * send completes only when the test says so (or at once, in auto-drain mode), so a test decides how many bytes are
 * in flight.
 */
final class FakeConnection {

    /** One message handed to the socket: a text (JSON) or the label of a binary chunk (see {@link #chunk}). */
    record Sent(boolean text, String content) {
        static Sent text(String json) {
            return new Sent(true, json);
        }

        static Sent binary(String label) {
            return new Sent(false, label);
        }
    }

    private static final AtomicInteger IDS = new AtomicInteger();

    private final String id = "viewer-" + IDS.incrementAndGet();
    private final List<Sent> sent = new ArrayList<>(); // guarded by itself
    private final Queue<CompletableFuture<Void>> inFlight = new ConcurrentLinkedQueue<>();
    private final WebSocketConnection connection;
    private volatile boolean autoDrain;
    private volatile boolean closed;
    private volatile boolean refuseSends;

    FakeConnection() {
        connection = (WebSocketConnection) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {WebSocketConnection.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "id" -> id;
                    case "isClosed" -> closed;
                    case "isOpen" -> !closed;
                    case "pathParam" -> "stream-1";
                    case "sendText" -> {
                        record(Sent.text((String) args[0]));
                        yield Uni.createFrom().voidItem();
                    }
                    case "sendBinary" -> sendBinary((Buffer) args[0]);
                    case "close" -> {
                        closed = true;
                        yield Uni.createFrom().voidItem();
                    }
                    case "toString" -> "FakeConnection[" + id + "]";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** Every binary send completes at once: nothing stays in flight. */
    static FakeConnection draining() {
        FakeConnection c = new FakeConnection();
        c.autoDrain = true;
        return c;
    }

    /**
     * {@code size} bytes that start with {@code label} (padded with dots), so that what a socket got can be read
     * back as labels in order.
     */
    static Buffer chunk(String label, int size) {
        if (label.length() > size) {
            throw new IllegalArgumentException(label + " does not fit in " + size + " bytes");
        }
        return Buffer.buffer(label + ".".repeat(size - label.length()));
    }

    static String label(Buffer chunk) {
        String s = chunk.toString(StandardCharsets.US_ASCII);
        int end = s.indexOf('.');
        return end < 0 ? s : s.substring(0, end);
    }

    private Uni<Void> sendBinary(Buffer chunk) {
        if (refuseSends) {
            throw new IllegalStateException("socket closed");
        }
        record(Sent.binary(label(chunk)));
        if (autoDrain) {
            return Uni.createFrom().voidItem();
        }
        CompletableFuture<Void> written = new CompletableFuture<>();
        inFlight.add(written);
        return Uni.createFrom().completionStage(written);
    }

    private void record(Sent message) {
        synchronized (sent) {
            sent.add(message);
        }
    }

    WebSocketConnection connection() {
        return connection;
    }

    String id() {
        return id;
    }

    /** Everything sent so far, in order. */
    List<Sent> sent() {
        synchronized (sent) {
            return List.copyOf(sent);
        }
    }

    /** The labels of the binary chunks sent so far, in order. */
    List<String> binaries() {
        return sent().stream().filter(s -> !s.text()).map(Sent::content).toList();
    }

    /** The text messages sent so far, in order. */
    List<String> texts() {
        return sent().stream().filter(Sent::text).map(Sent::content).toList();
    }

    /** The oldest binary send still in flight is written out. */
    void writeOne() {
        CompletableFuture<Void> oldest = inFlight.poll();
        if (oldest == null) {
            throw new IllegalStateException("nothing in flight");
        }
        oldest.complete(null);
    }

    /** The oldest binary send still in flight fails (the peer went away). */
    void failOne() {
        CompletableFuture<Void> oldest = inFlight.poll();
        if (oldest == null) {
            throw new IllegalStateException("nothing in flight");
        }
        oldest.completeExceptionally(new IllegalStateException("connection reset"));
    }

    int inFlight() {
        return inFlight.size();
    }

    /** The peer closed: {@code isClosed()} says so from now on. */
    void closeByPeer() {
        closed = true;
    }

    /** Every later {@code sendBinary} throws at once, as Quarkus does on a socket that closed meanwhile. */
    void refuseSends() {
        refuseSends = true;
    }
}
