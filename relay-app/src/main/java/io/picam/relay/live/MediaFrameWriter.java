package io.picam.relay.live;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelOutboundHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.VoidChannelPromise;
import io.netty.channel.nio.AbstractNioChannel;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.FastThreadLocal;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Writes a viewer's media frames straight to its Netty channel. WebSockets Next keeps the upgrade, the text messages,
 * pings and the close; the media path skips it, and Vert.x's frame writing, because those cost a Mutiny pipeline, a
 * context capture and a frame encoding per viewer and message, which was most of the relay's CPU at a thousand
 * viewers (docs/BENCHMARKS.md). Here a message costs a viewer who keeps up one system call and no allocation (below),
 * and one who does not a reference to the frame in Netty's queue: no promise, no listener; what was queued is read off
 * the channel's own queue as it leaves ({@link #drained}).
 *
 * <p>The frames enter the pipeline as close to the socket as they can: past every handler that would only look at
 * them and pass them on (Netty's WebSocket frame encoder and extension handlers, which let bytes that are not a
 * {@code WebSocketFrame} through, and the idle-state handler, whose per-write listener and clock read would cost more
 * than the write itself; the 20 s pings still go through it). A handler that could change the bytes (TLS, traffic
 * shaping, anything not known here) is not passed: then the frames enter right after it, at worst where Vert.x writes
 * its own frames from. Either way they stay in order with the text messages and the close frame, since every write
 * happens on the channel's event loop and none of the handlers skipped holds writes back. Writes are not flushed one
 * by one: whoever delivers to a group of viewers flushes each once at the end of its pass ({@link #flush}).
 *
 * <p>Where nothing stands between the frames and the socket (no TLS: Heroku's router ends it) and Netty's queue for the
 * channel is empty, which is every viewer that keeps up, a frame does not enter the pipeline at all: it is written to
 * the JDK socket under the Netty channel, from a view of the frame's own memory, in one system call and with no Netty
 * bookkeeping (the same {@code write} Netty would make, without the queue entry, the buffer duplicate, the flush and
 * the pipeline walk around it: most of the relay's CPU that was not the system call itself). Whatever the socket did
 * not take goes to Netty's queue as usual, and from then on every frame does, until the queue has emptied: the bytes
 * stay in order with Vert.x's own writes, which all go through that queue. Used on the channel's event loop only.
 */
final class MediaFrameWriter {

    private static final Logger LOG = Logger.getLogger(MediaFrameWriter.class);
    private static volatile boolean described;
    private static final MethodHandle JAVA_CHANNEL = javaChannelAccessor();
    // per event loop: the view of the frame being delivered, so a thousand viewers share one, and whether the pass
    // delivers several frames at once (then they go through Netty's queue, to leave in one gathering write each)
    private static final FastThreadLocal<LoopShare> LOOP = new FastThreadLocal<>() {
        @Override
        protected LoopShare initialValue() {
            return new LoopShare();
        }
    };

    /** What became of a frame handed to {@link #write}. */
    enum Outcome {
        /** Written to the socket at once: nothing of it is held. */
        LEFT,
        /** In Netty's queue for the channel, in whole or in part; {@link #drained} tells when it has left. */
        QUEUED,
        /** The connection is gone: nothing was queued. */
        REFUSED
    }

    private final ChannelHandlerContext context;
    private final Channel channel;
    // the channel's queue; Netty drops its reference when the channel closes, and by then it is empty
    private final ChannelOutboundBuffer queue;
    // completes nothing and tells no one: a failed write only matters as bytes that left, which drained() sees
    private final ChannelPromise noNotice;
    private final Ledger ledger = new Ledger();
    // the frames pass a handler that may hold or change them (TLS): the channel's queue does not show them as they
    // were written, so each write gets a promise, and what it confirms is counted here instead
    private final boolean confirmEach;
    // the JDK socket under a NIO channel whose pipeline holds nothing between the frames and the socket; else null
    private final SocketChannel socket;
    private long confirmed;
    private boolean unflushed;

    /** Frames written through {@code context} go straight to the channel's queue (no handler between). */
    MediaFrameWriter(ChannelHandlerContext context) {
        this(context, false);
    }

    private MediaFrameWriter(ChannelHandlerContext context, boolean confirmEach) {
        this.context = context;
        this.confirmEach = confirmEach;
        this.channel = context.channel();
        this.queue = channel.unsafe().outboundBuffer();
        this.noNotice = new VoidChannelPromise(channel, false);
        this.socket = confirmEach || context != context.pipeline().firstContext() ? null : socketOf(context);
    }

    private static SocketChannel socketOf(ChannelHandlerContext context) {
        if (JAVA_CHANNEL == null || !(context.channel() instanceof AbstractNioChannel channel)) {
            return null; // another transport (epoll, a test's embedded channel): Netty's queue for every frame
        }
        try {
            return JAVA_CHANNEL.invoke(channel) instanceof SocketChannel socket ? socket : null;
        } catch (Throwable e) {
            return null;
        }
    }

    /** Netty keeps a NIO channel's JDK channel to itself ({@code javaChannel()} is protected): one reflective look. */
    private static MethodHandle javaChannelAccessor() {
        try {
            Method method = AbstractNioChannel.class.getDeclaredMethod("javaChannel");
            method.setAccessible(true);
            return MethodHandles.lookup().unreflect(method);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf("Media frames go through Netty's queue for every viewer: %s", e.toString());
            return null;
        }
    }

    /**
     * Runs {@code deliveries} on this event loop with several frames per socket in mind: the frames go to Netty's queue
     * rather than straight to the socket, and leave at the pass's flush in one gathering write per socket.
     */
    static void gathering(Runnable deliveries) {
        LoopShare pass = LOOP.get();
        boolean before = pass.gathering;
        pass.gathering = true;
        try {
            deliveries.run();
        } finally {
            pass.gathering = before;
        }
    }

    /** The writer for a socket whose connection handler (where Vert.x writes its frames from) is {@code own}. */
    static MediaFrameWriter at(ChannelHandlerContext own) {
        ChannelHandlerContext entry = entry(own);
        return new MediaFrameWriter(entry, entry != own.pipeline().firstContext());
    }

    /** The writer of a viewer socket opened on {@code connection} (an HTTP/1.1 connection upgraded by Vert.x). */
    static MediaFrameWriter of(HttpConnection connection) {
        if (connection instanceof ConnectionBase base) {
            return at(base.channelHandlerContext());
        }
        throw new IllegalStateException("a viewer socket on an unexpected connection type: " + connection);
    }

    /**
     * Where media frames enter the pipeline of {@code own} (the context Vert.x writes its frames from): the context
     * of the handler nearest the socket after which, up to {@code own}, every outbound handler only passes bytes on.
     * A write through a context goes to the handlers before it, so the frames pass exactly the handlers that matter.
     */
    static ChannelHandlerContext entry(ChannelHandlerContext own) {
        ChannelPipeline pipeline = own.pipeline();
        ChannelHandlerContext entry = null;
        String blockedBy = null;
        for (Map.Entry<String, ChannelHandler> handler : pipeline) {
            if (handler.getKey().equals(own.name())) {
                break;
            }
            if (entry == null) {
                entry = pipeline.context(handler.getValue());
            }
            if (!passesBytesOn(handler.getValue())) {
                blockedBy = handler.getKey();
                entry = null; // the frames must go through this one: enter after it
            }
        }
        ChannelHandlerContext chosen = entry == null ? own : entry;
        if (!described) {
            described = true;
            LOG.debugf(
                    "Media frames enter the viewer pipeline %s at '%s'%s",
                    pipeline.names(),
                    chosen.name(),
                    blockedBy == null ? "" : " (after '" + blockedBy + "', which may change them)");
        }
        return chosen;
    }

    /** True for a handler that leaves an encoded frame's bytes as they are, in order and without holding them. */
    private static boolean passesBytesOn(ChannelHandler handler) {
        return !(handler instanceof ChannelOutboundHandler)
                || handler instanceof WebSocketFrameEncoder
                || handler instanceof WebSocketExtensionEncoder
                || handler instanceof WebSocketServerExtensionHandler
                // its write listener only tracks write activity for the idle timeout; the pings keep feeding it
                || handler.getClass() == IdleStateHandler.class;
    }

    /**
     * Writes the frame to the socket when nothing waits before it, else queues it on the channel, not flushed yet. No
     * promise and no listener per write: {@link #drained} tells afterwards what left the channel.
     */
    Outcome write(MediaFrame frame) {
        if (socket != null && !unflushed && queued() == 0) {
            LoopShare pass = LOOP.get();
            if (!pass.gathering) {
                ByteBuffer view = pass.view(frame);
                int written;
                try {
                    written = socket.write(view);
                } catch (IOException e) {
                    written = -1; // the connection broke: Netty's own write meets it and closes as it always does
                }
                if (written == view.limit()) {
                    return Outcome.LEFT;
                }
                if (written > 0) {
                    return queue(frame, written); // the socket's buffer is full: the rest waits in Netty's queue
                }
            }
        }
        return queue(frame, 0);
    }

    /** Queues the frame from byte {@code from} on (what the socket did not take) in Netty's queue for this channel. */
    private Outcome queue(MediaFrame frame, int from) {
        unflushed = true;
        if (confirmEach) {
            ChannelPromise promise = context.newPromise();
            long length = frame.length();
            promise.addListener(f -> confirmed += length); // written or failed: it left
            context.write(frame.retainedBytes(), promise);
            return Outcome.QUEUED;
        }
        long before = queued();
        context.write(frame.retainedBytes().skipBytes(from), noNotice);
        long size = queued() - before; // this frame's share of the channel's queue: its bytes and Netty's entry
        if (size <= 0) {
            return Outcome.REFUSED; // the channel closed (Netty released the bytes)
        }
        ledger.add(frame.length(), size);
        return Outcome.QUEUED;
    }

    /**
     * Payload bytes of the frames queued here ({@link Outcome#QUEUED}) that have left the channel since the last call:
     * written to the socket, or dropped with a connection that closed. Frames leave in order, so while the channel's
     * queue holds less than what the ledger says the newest frames take, the oldest ones are gone. Text messages queued
     * among the frames make this late by their size, never early.
     */
    long drained() {
        if (confirmEach) {
            long left = confirmed;
            confirmed = 0;
            return left;
        }
        return ledger.isEmpty() ? 0 : ledger.dropWhileOver(queued()); // nothing of ours queued: no need to look
    }

    /** Bytes queued on the channel and not yet written to the socket (a volatile read: any thread). */
    long queued() {
        return queue == null ? 0 : queue.totalPendingWriteBytes();
    }

    /**
     * Runs {@code action} on the channel's event loop once the connection closed, after the close has failed what was
     * still queued.
     */
    void whenClosed(Runnable action) {
        channel.closeFuture().addListener(f -> context.executor().execute(action));
    }

    /** False once the connection closed (a volatile read, no lock): nothing written now would get out. */
    boolean isOpen() {
        return socket != null ? socket.isOpen() : channel.isActive(); // Netty closes the socket as it closes
    }

    /** Flushes what {@link #write} queued since the last flush, if anything. */
    void flush() {
        if (unflushed) {
            unflushed = false;
            context.flush();
        }
    }

    /** What a delivery pass on one event loop shares among its viewers' writers. */
    private static final class LoopShare {
        private boolean gathering;
        private MediaFrame frame;
        private ByteBuffer view;

        /** The whole of {@code frame}, ready for the next socket: one view per frame and loop, rewound per write. */
        ByteBuffer view(MediaFrame next) {
            if (next != frame) {
                frame = next;
                view = next.wireView();
            } else {
                view.clear();
            }
            return view;
        }
    }

    /** The frames written and not yet seen leave, oldest first: payload bytes and share of the queue, in two rings. */
    private static final class Ledger {
        private long[] payloads = new long[8];
        private long[] sizes = new long[8];
        private int oldest;
        private int count;
        private long totalSize;

        boolean isEmpty() {
            return count == 0;
        }

        void add(long payload, long size) {
            if (count == payloads.length) {
                grow();
            }
            int at = (oldest + count) & (payloads.length - 1);
            payloads[at] = payload;
            sizes[at] = size;
            count++;
            totalSize += size;
        }

        /** Drops the oldest entries while the entries take more than {@code queued}; answers their payload bytes. */
        long dropWhileOver(long queued) {
            long payload = 0;
            while (count > 0 && totalSize > queued) {
                payload += payloads[oldest];
                totalSize -= sizes[oldest];
                oldest = (oldest + 1) & (payloads.length - 1);
                count--;
            }
            return payload;
        }

        private void grow() {
            long[] p = new long[payloads.length * 2];
            long[] s = new long[sizes.length * 2];
            for (int i = 0; i < count; i++) {
                p[i] = payloads[(oldest + i) & (payloads.length - 1)];
                s[i] = sizes[(oldest + i) & (sizes.length - 1)];
            }
            payloads = p;
            sizes = s;
            oldest = 0;
        }
    }
}
