package io.picam.relay.live;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Writes a viewer's media frames straight to its Netty channel. WebSockets Next keeps the upgrade, the text messages,
 * pings and the close; the media path skips it, and Vert.x's frame writing, because those cost a Mutiny pipeline, a
 * context capture and a frame encoding per viewer and message, which was most of the relay's CPU at a thousand
 * viewers (docs/BENCHMARKS.md). Here a message costs one reference and one promise per viewer.
 *
 * <p>The frames go in at the Vert.x connection handler's place in the pipeline, the same place Vert.x writes its own
 * frames from, so they stay in order with the text messages and the close frame. Netty's WebSocket frame encoder,
 * between there and the socket, lets bytes that are not a {@code WebSocketFrame} pass as they are: it encodes
 * nothing here. Writes are not flushed one by one: whoever delivers to a group of viewers flushes each once at the
 * end of its pass ({@link #flush}). Used on the channel's event loop only.
 */
final class MediaFrameWriter {

    private final ChannelHandlerContext context;
    private boolean unflushed;

    MediaFrameWriter(ChannelHandlerContext context) {
        this.context = context;
    }

    /** The writer of a viewer socket opened on {@code connection} (an HTTP/1.1 connection upgraded by Vert.x). */
    static MediaFrameWriter of(HttpConnection connection) {
        if (connection instanceof ConnectionBase base) {
            return new MediaFrameWriter(base.channelHandlerContext());
        }
        throw new IllegalStateException("a viewer socket on an unexpected connection type: " + connection);
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

    /** Flushes what {@link #write} queued since the last flush, if anything. */
    void flush() {
        if (unflushed) {
            unflushed = false;
            context.flush();
        }
    }
}
