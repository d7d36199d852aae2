package io.picam.relay.live;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A viewer's WebSocket without a socket. It records what is sent, text and binary, in one ordered list; a binary
 * send completes only when the test says so (or at once, in auto-drain mode), so a test decides how many bytes are
 * in flight. Text goes through a fake WebSockets Next connection; media frames through a real
 * {@link MediaFrameWriter} on a Netty {@link EmbeddedChannel}, whose own queue holds each write until the test
 * completes it; the buffers it was handed are kept so that a test can see whose memory they are.
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
        channel = new HoldingChannel(new SocketEnd(), new ChannelInboundHandlerAdapter());
        media = new MediaFrameWriter(channel.pipeline().lastContext());
    }

    /**
     * The channel's queue, Netty's own, is where written bytes wait: they leave it when the test writes them out or
     * fails them (or at every flush, in auto-drain mode), as they leave a real one when the socket takes them.
     */
    private final class HoldingChannel extends EmbeddedChannel {
        HoldingChannel(ChannelHandler... handlers) {
            super(handlers);
        }

        @Override
        protected void doWrite(ChannelOutboundBuffer queue) {
            if (autoDrain) {
                while (queue.current() != null) {
                    queue.remove();
                }
            }
        }
    }

    /** Just before the socket: records each frame on its way into the channel's queue. */
    private final class SocketEnd extends ChannelOutboundHandlerAdapter {
        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (refuseSends) {
                ReferenceCountUtil.release(msg); // refused at once, as a closed channel does
                promise.tryFailure(new ClosedChannelException());
                return;
            }
            ByteBuf frame = (ByteBuf) msg; // anything else (a WebSocketFrame to encode) fails the test here
            synchronized (sent) {
                sent.add(Sent.binary(label(frame)));
                written.add(frame);
            }
            ctx.write(msg, promise);
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            flushes.incrementAndGet();
            ctx.flush();
        }
    }

    private ChannelOutboundBuffer queue() {
        ChannelOutboundBuffer queue = channel.unsafe().outboundBuffer();
        if (queue == null) {
            throw new IllegalStateException("the channel is closed");
        }
        queue.addFlush(); // whether the viewer flushed yet or not, the test decides what the socket takes
        return queue;
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

    /** The oldest binary send still in flight is written out (the viewer sees it at its next settle). */
    void writeOne() {
        if (!queue().remove()) {
            throw new IllegalStateException("nothing in flight");
        }
    }

    /** The oldest binary send still in flight fails (the viewer sees it at its next settle). */
    void failOne() {
        if (!queue().remove(new IllegalStateException("connection reset"))) {
            throw new IllegalStateException("nothing in flight");
        }
    }

    int inFlight() {
        return queue().size();
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
