package io.picam.relay.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.timeout.IdleStateHandler;
import io.picam.media.MediaSegment;
import io.picam.media.MediaSegment.Kind;
import io.picam.relay.live.MediaFrameWriter.Outcome;
import io.picam.relay.stream.StreamFormat;
import io.vertx.core.Context;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The media path's cost per viewer: a message is encoded into one frame, and every viewer's channel is handed that
 * same frame's memory, not a copy and not a {@code WebSocketFrame} for its encoder to encode again (the fake
 * channel's socket end refuses anything but bytes). Viewers on two real event loops, as a hub delivers.
 */
class MediaFrameWriterTest {

    private static final int VIEWERS = 6;
    private static final int SEGMENT = 40;
    private static final int FRAME = 2 + SEGMENT; // a two-byte header for under 126 bytes

    private static EventLoops loops;

    private Context[] loop;
    private StreamHub hub;
    private StreamHubTest.FakePublisher camera;
    private final List<FakeConnection> sockets = new ArrayList<>();

    @BeforeAll
    static void startVertx() {
        loops = new EventLoops();
    }

    @AfterAll
    static void stopVertx() throws Exception {
        loops.close();
    }

    @BeforeEach
    void hubWithViewersOnTwoLoops() {
        loop = loops.twoLoops();
        hub = new StreamHub("stream-1", StreamFormat.MPEGTS, 1_000_000);
        camera = new StreamHubTest.FakePublisher(false);
        hub.attach(camera);
        for (int i = 0; i < VIEWERS; i++) {
            join(loop[i % 2]);
        }
    }

    private FakeConnection join(Context context) {
        FakeConnection socket = new FakeConnection(); // writes stay in flight until the test completes them
        Viewer viewer = loops.viewer(context, socket, 1_000_000, new HeldBytesBudget(Long.MAX_VALUE / 4));
        loops.run(context, () -> hub.join(viewer));
        sockets.add(socket);
        return socket;
    }

    private void publish(Kind kind, String label) {
        byte[] data = new byte[SEGMENT];
        Arrays.fill(data, (byte) '.');
        System.arraycopy(label.getBytes(StandardCharsets.US_ASCII), 0, data, 0, label.length());
        hub.publish(camera, new MediaSegment(kind, data));
        loops.settle(loop);
    }

    /** The one buffer behind what a channel was handed: a duplicate's, or its own if it is a copy. */
    private static ByteBuf memoryOf(ByteBuf written) {
        return written.unwrap() == null ? written : written.unwrap();
    }

    @Test
    void everyViewerIsHandedTheOneEncodedFrameOfAMessage() {
        publish(Kind.JOIN, "J1");
        publish(Kind.CONTINUATION, "C1");

        for (int message = 0; message < 2; message++) {
            ByteBuf first = sockets.get(0).written().get(message);
            ByteBuf shared = memoryOf(first);
            assertThat(shared)
                    .as("a duplicate of the frame, not the frame itself")
                    .isNotSameAs(first);
            for (FakeConnection socket : sockets) {
                ByteBuf written = socket.written().get(message);
                assertThat(memoryOf(written))
                        .as("message %d to %s", message, socket.id())
                        .isSameAs(shared);
                assertThat(written.readableBytes())
                        .as("header and payload in one buffer")
                        .isEqualTo(FRAME);
                if (shared.hasMemoryAddress()) {
                    assertThat(written.memoryAddress()).isEqualTo(shared.memoryAddress());
                }
            }
            assertThat(shared.refCnt())
                    .as("the frame's own reference plus one per write in flight")
                    .isEqualTo(1 + VIEWERS);
        }
        for (FakeConnection socket : sockets) {
            assertThat(socket.binaries()).containsExactly("J1", "C1");
            socket.writeOne();
            socket.writeOne();
        }
        assertThat(memoryOf(sockets.get(0).written().get(0)).refCnt())
                .as("every write let go")
                .isEqualTo(1);
    }

    @Test
    void aLateJoinerIsHandedTheCachedFramesThemselves() {
        publish(Kind.JOIN, "J1");
        publish(Kind.CONTINUATION, "C1");
        FakeConnection late = join(loop[0]);

        assertThat(late.binaries()).containsExactly("J1", "C1");
        for (int message = 0; message < 2; message++) {
            assertThat(memoryOf(late.written().get(message)))
                    .isSameAs(memoryOf(sockets.get(0).written().get(message)));
        }
    }

    @Test
    void eachChannelIsFlushedOncePerDeliveryNotOncePerFrame() {
        publish(Kind.JOIN, "J1");
        publish(Kind.CONTINUATION, "C1");
        publish(Kind.CONTINUATION, "C2");
        for (FakeConnection socket : sockets) {
            assertThat(socket.flushes()).as("one flush per published segment").isEqualTo(3);
        }
        FakeConnection late = join(loop[1]);
        assertThat(late.binaries()).containsExactly("J1", "C1", "C2");
        assertThat(late.flushes())
                .as("the whole replay of the cache goes out with one flush")
                .isEqualTo(1);
    }

    @Test
    void framesThatWaitedForABusyLoopGoOutTogetherWithOneFlushPerChannel() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        loops.block(release, loop);
        for (String label : List.of("J1", "C1", "C2")) {
            byte[] data = (label + ".".repeat(SEGMENT - label.length())).getBytes(StandardCharsets.US_ASCII);
            hub.publish(camera, new MediaSegment(label.startsWith("J") ? Kind.JOIN : Kind.CONTINUATION, data));
        }
        release.countDown();
        loops.settle(loop);
        for (FakeConnection socket : sockets) {
            assertThat(socket.binaries()).containsExactly("J1", "C1", "C2");
            assertThat(socket.flushes())
                    .as("three frames that waited for the loop, one system call")
                    .isEqualTo(1);
        }
    }

    @Test
    void whatLeftTheChannelIsReadOffItsQueueOldestFirstWithoutAPromisePerWrite() {
        FakeConnection socket = new FakeConnection();
        MediaFrameWriter writer = socket.media();
        assertThat(writer.write(FakeConnection.chunk("A", 100))).isEqualTo(Outcome.QUEUED);
        assertThat(writer.write(FakeConnection.chunk("B", 200))).isEqualTo(Outcome.QUEUED);
        assertThat(writer.write(FakeConnection.chunk("C", 300))).isEqualTo(Outcome.QUEUED);
        writer.flush();
        assertThat(writer.drained()).as("all still queued").isZero();
        socket.writeOne();
        assertThat(writer.drained()).as("A's payload").isEqualTo(100);
        assertThat(writer.drained()).as("told once").isZero();
        socket.failOne();
        assertThat(writer.drained()).as("a failed write left too").isEqualTo(200);
        socket.closeByPeer();
        assertThat(writer.drained()).as("the rest went with the connection").isEqualTo(300);
        assertThat(writer.write(FakeConnection.chunk("D", 10)))
                .as("nothing is queued on a closed channel")
                .isEqualTo(Outcome.REFUSED);
        assertThat(writer.drained()).isZero();
    }

    @Test
    void behindAHandlerThatMayHoldTheBytesEachWriteConfirmsItself() {
        Unknown nearSocket = new Unknown();
        EmbeddedChannel channel = viewerPipeline(nearSocket);
        MediaFrameWriter writer = MediaFrameWriter.at(channel.pipeline().context("handler"));
        writer.write(FakeConnection.chunk("M1", SEGMENT));
        writer.write(FakeConnection.chunk("M2", SEGMENT));
        assertThat(writer.drained()).as("not flushed yet").isZero();
        writer.flush(); // the embedded channel's socket takes everything
        assertThat(writer.drained()).isEqualTo(2L * SEGMENT);
        channel.finishAndReleaseAll();
    }

    /** An outbound handler the writer does not know: it could change the bytes (as TLS does), so frames pass it. */
    private static final class Unknown extends ChannelOutboundHandlerAdapter {
        final List<Object> seen = new ArrayList<>();

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            seen.add(msg);
            ctx.write(msg, promise);
        }
    }

    /** A viewer's pipeline as Vert.x leaves it after the upgrade, {@code before} nearest the socket. */
    private static EmbeddedChannel viewerPipeline(io.netty.channel.ChannelHandler... before) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast(before);
        channel.pipeline().addLast("idle", new IdleStateHandler(0, 0, 30, TimeUnit.MINUTES));
        channel.pipeline().addLast("wsdecoder", new WebSocket13FrameDecoder(false, false, 65536));
        channel.pipeline().addLast("wsencoder", new WebSocket13FrameEncoder(false));
        channel.pipeline().addLast("handler", new ChannelInboundHandlerAdapter()); // where Vert.x writes from
        return channel;
    }

    private static String text(ByteBuf frame) {
        return frame.toString(2, frame.readableBytes() - 2, StandardCharsets.US_ASCII);
    }

    @Test
    void framesSkipTheHandlersThatOnlyPassBytesOnAndStayInOrderWithTheTextMessages() {
        EmbeddedChannel channel = viewerPipeline();
        ChannelHandlerContext own = channel.pipeline().context("handler");
        MediaFrameWriter writer = MediaFrameWriter.at(own);
        MediaFrame frame = FakeConnection.chunk("M1", SEGMENT);

        own.write(new TextWebSocketFrame("before"));
        writer.write(frame);
        own.write(new TextWebSocketFrame("after"));
        writer.flush();

        ByteBuf first = channel.readOutbound();
        ByteBuf media = channel.readOutbound();
        ByteBuf last = channel.readOutbound();
        assertThat(text(first)).isEqualTo("before");
        assertThat(memoryOf(media)).as("the frame itself reached the socket").isSameAs(frame.bytes());
        assertThat(text(last)).isEqualTo("after");
        assertThat(MediaFrameWriter.entry(own).name())
                .as("past the WebSocket encoder and the idle-state handler, straight to the socket")
                .isEqualTo("idle");
        channel.finishAndReleaseAll();
    }

    @Test
    void framesGoThroughAHandlerThatMayChangeTheBytesWhereverItStands() {
        Unknown nearSocket = new Unknown();
        assertThat(framesSeenBy(nearSocket, viewerPipeline(nearSocket)))
                .as("a TLS-like handler next to the socket")
                .isEqualTo(1);
        Unknown betweenIdleAndEncoder = new Unknown();
        EmbeddedChannel other = viewerPipeline();
        other.pipeline().addAfter("idle", "unknown", betweenIdleAndEncoder);
        assertThat(framesSeenBy(betweenIdleAndEncoder, other))
                .as("one further from the socket")
                .isEqualTo(1);
    }

    private static int framesSeenBy(Unknown handler, EmbeddedChannel channel) {
        MediaFrameWriter writer = MediaFrameWriter.at(channel.pipeline().context("handler"));
        writer.write(FakeConnection.chunk("M1", SEGMENT));
        writer.flush();
        channel.finishAndReleaseAll();
        return handler.seen.size();
    }
}
