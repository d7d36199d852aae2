package io.picam.relay.live;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import java.lang.reflect.Proxy;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A viewer's WebSocket without a socket. It records what is sent, text and binary, in one ordered list; a binary
 * send completes only when the test says so (or at once, in auto-drain mode), so a test decides how many bytes are
 * in flight. Text goes through a fake WebSockets Next connection; media frames through a real
 * {@link MediaFrameWriter} on a Netty {@link EmbeddedChannel}, whose socket end holds each write until the test
 * completes it, and keeps the buffers it was handed so that a test can see whose memory they are.
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
    private final Queue<Write> inFlight = new ConcurrentLinkedQueue<>();
    private final List<ByteBuf> written = new ArrayList<>(); // guarded by sent
    private final AtomicInteger flushes = new AtomicInteger();
    private final WebSocketConnection connection;
    private final MediaFrameWriter media;
    private final EmbeddedChannel channel;
    private volatile boolean autoDrain;
    private volatile boolean closed;
    private volatile boolean refuseSends;

    FakeConnection() {
        connection = (WebSocketConnection) Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {WebSocketConnection.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "id" -> id;
                    case "isClosed" -> closed;
                    case "isOpen" -> !closed;
                    case "pathParam" -> "stream-1";
                    case "sendText" -> {
                        record(Sent.text((String) args[0]));
                        yield Uni.createFrom().voidItem();
                    }
                    case "close" -> {
                        closed = true;
                        yield Uni.createFrom().voidItem();
                    }
                    case "toString" -> "FakeConnection[" + id + "]";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    // sendBinary among them: media frames go to the channel, never through WebSockets Next
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        // the socket end first, then a handler standing where Vert.x's connection handler stands
        channel = new EmbeddedChannel(new SocketEnd(), new ChannelInboundHandlerAdapter());
        media = new MediaFrameWriter(channel.pipeline().lastContext());
    }

    private record Write(ByteBuf bytes, ChannelPromise promise) {}

    /** Where the bytes would go to the network: records each frame and holds its write until the test says. */
    private final class SocketEnd extends ChannelOutboundHandlerAdapter {
        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (refuseSends) {
                ReferenceCountUtil.release(msg);
                promise.setFailure(new ClosedChannelException());
                return;
            }
            ByteBuf frame = (ByteBuf) msg; // anything else (a WebSocketFrame to encode) fails the test here
            synchronized (sent) {
                sent.add(Sent.binary(label(frame)));
                written.add(frame);
            }
            Write write = new Write(frame, promise);
            if (autoDrain) {
                complete(write, true);
            } else {
                inFlight.add(write);
            }
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            flushes.incrementAndGet();
        }
    }

    private static void complete(Write write, boolean success) {
        write.bytes().release();
        if (success) {
            write.promise().setSuccess();
        } else {
            write.promise().setFailure(new IllegalStateException("connection reset"));
        }
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
    static MediaFrame chunk(String label, int size) {
        if (label.length() > size) {
            throw new IllegalArgumentException(label + " does not fit in " + size + " bytes");
        }
        return MediaFrame.binary((label + ".".repeat(size - label.length())).getBytes(StandardCharsets.US_ASCII));
    }

    static String label(Buffer chunk) {
        String s = chunk.toString(StandardCharsets.US_ASCII);
        int end = s.indexOf('.');
        return end < 0 ? s : s.substring(0, end);
    }

    static String label(MediaFrame chunk) {
        return label(chunk.payload());
    }

    /** The label of an encoded frame as it would go on the wire, checking its header on the way. */
    private static String label(ByteBuf frame) {
        ByteBuf bytes = frame.duplicate();
        if (bytes.readUnsignedByte() != 0x82) {
            throw new AssertionError("not a final, unmasked binary frame");
        }
        int lengthByte = bytes.readUnsignedByte();
        long length = lengthByte == 126 ? bytes.readUnsignedShort() : lengthByte == 127 ? bytes.readLong() : lengthByte;
        if (length != bytes.readableBytes()) {
            throw new AssertionError(
                    "the header says " + length + " bytes, the frame carries " + bytes.readableBytes());
        }
        return label(Buffer.buffer(bytes));
    }

    private void record(Sent message) {
        synchronized (sent) {
            sent.add(message);
        }
    }

    WebSocketConnection connection() {
        return connection;
    }

    MediaFrameWriter media() {
        return media;
    }

    /** Every buffer the channel was handed to write, in order, as it was handed. */
    List<ByteBuf> written() {
        synchronized (sent) {
            return List.copyOf(written);
        }
    }

    /** How often the channel was flushed. */
    int flushes() {
        return flushes.get();
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
        Write oldest = inFlight.poll();
        if (oldest == null) {
            throw new IllegalStateException("nothing in flight");
        }
        complete(oldest, true);
    }

    /** The oldest binary send still in flight fails (the peer went away). */
    void failOne() {
        Write oldest = inFlight.poll();
        if (oldest == null) {
            throw new IllegalStateException("nothing in flight");
        }
        complete(oldest, false);
    }

    int inFlight() {
        return inFlight.size();
    }

    /** The peer closed: {@code isClosed()} says so from now on. */
    void closeByPeer() {
        closed = true;
        channel.close();
    }

    /** Every later write fails at once, as Netty's does on a channel that closed meanwhile. */
    void refuseSends() {
        refuseSends = true;
    }
}
