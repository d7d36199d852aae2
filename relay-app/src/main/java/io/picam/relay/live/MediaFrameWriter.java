package io.picam.relay.live;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Writes a viewer's media frames straight to its Netty channel. WebSockets Next keeps the upgrade, the text messages,
 * pings and the close; the media path skips it, and Vert.x's frame writing, because those cost a Mutiny pipeline, a
 * context capture and a frame encoding per viewer and message, which was most of the relay's CPU at a thousand
 * viewers (docs/BENCHMARKS.md). Here a message costs one reference and one promise per viewer.
 *
 * <p>The frames enter the pipeline as close to the socket as they can: past every handler that would only look at
 * them and pass them on (Netty's WebSocket frame encoder and extension handlers, which let bytes that are not a
 * {@code WebSocketFrame} through, and the idle-state handler, whose per-write listener and clock read would cost more
 * than the write itself; the 20 s pings still go through it). A handler that could change the bytes (TLS, traffic
 * shaping, anything not known here) is not passed: then the frames enter right after it, at worst where Vert.x writes
 * its own frames from. Either way they stay in order with the text messages and the close frame, since every write
 * happens on the channel's event loop and none of the handlers skipped holds writes back. Writes are not flushed one
 * by one: whoever delivers to a group of viewers flushes each once at the end of its pass ({@link #flush}). Used on
 * the channel's event loop only.
 */
final class MediaFrameWriter {

    private static final Logger LOG = Logger.getLogger(MediaFrameWriter.class);
    private static volatile boolean described;

    private final ChannelHandlerContext context;
    private boolean unflushed;

    /** Frames written through {@code context} go to the handlers between it and the socket. */
    MediaFrameWriter(ChannelHandlerContext context) {
        this.context = context;
    }

    /** The writer of a viewer socket opened on {@code connection} (an HTTP/1.1 connection upgraded by Vert.x). */
    static MediaFrameWriter of(HttpConnection connection) {
        if (connection instanceof ConnectionBase base) {
            return new MediaFrameWriter(entry(base.channelHandlerContext()));
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
     * Queues the frame on the channel, not flushed yet. {@code written} runs on the event loop once the bytes went to
     * the socket, or once the write failed (the connection is gone); exactly once either way.
     */
    void write(MediaFrame frame, ChannelFutureListener written) {
        ChannelPromise promise = context.newPromise();
        promise.addListener(written);
        unflushed = true;
        context.write(frame.retainedBytes(), promise);
    }

    /** False once the connection closed (a volatile read, no lock): nothing written now would get out. */
    boolean isOpen() {
        return context.channel().isActive();
    }

    /** Flushes what {@link #write} queued since the last flush, if anything. */
    void flush() {
        if (unflushed) {
            unflushed = false;
            context.flush();
        }
    }
}
