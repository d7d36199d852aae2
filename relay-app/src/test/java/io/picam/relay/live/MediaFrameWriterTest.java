package io.picam.relay.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.picam.media.MediaSegment;
import io.picam.media.MediaSegment.Kind;
import io.picam.relay.stream.StreamFormat;
import io.vertx.core.Context;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
}
