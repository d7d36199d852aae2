package io.picam.relay.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.picam.relay.live.MediaFrameWriter.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The media path on a real NIO socket, as in production: a viewer that keeps up gets each frame written straight from
 * the one encoded frame's memory (no buffer of its own, nothing in Netty's queue); one that falls behind gets the rest
 * through Netty's queue, whole and in order, with Vert.x's own writes after it.
 */
class MediaFrameWriterSocketTest {

    private NioEventLoopGroup loop;
    private Channel server;
    private Channel channel;
    private ChannelHandlerContext own;
    private Socket viewer;
    private DataInputStream in;

    @BeforeEach
    void connect() throws Exception {
        loop = new NioEventLoopGroup(1);
        CompletableFuture<ChannelHandlerContext> accepted = new CompletableFuture<>();
        server = new ServerBootstrap()
                .group(loop)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.SO_SNDBUF, 16 * 1024) // so that a viewer who does not read falls behind soon
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("own", new ChannelInboundHandlerAdapter() {
                            @Override
                            public void handlerAdded(ChannelHandlerContext ctx) {
                                accepted.complete(ctx);
                            }
                        });
                    }
                })
                .bind("127.0.0.1", 0)
                .sync()
                .channel();
        viewer = new Socket();
        viewer.setReceiveBufferSize(16 * 1024);
        viewer.connect(server.localAddress());
        viewer.setSoTimeout(10_000);
        in = new DataInputStream(viewer.getInputStream());
        own = accepted.get(5, TimeUnit.SECONDS);
        channel = own.channel();
        assertThat(viewer.getLocalSocketAddress()).isEqualTo((InetSocketAddress) channel.remoteAddress());
    }

    @AfterEach
    void close() throws Exception {
        viewer.close();
        server.close().sync();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        return channel.eventLoop().submit(task).get(5, TimeUnit.SECONDS);
    }

    private static MediaFrame frame(String label, int size) {
        byte[] payload = new byte[size];
        Arrays.fill(payload, (byte) '.');
        byte[] name = label.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(name, 0, payload, 0, name.length);
        return MediaFrame.binary(payload);
    }

    private static byte[] wire(List<MediaFrame> frames) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (MediaFrame frame : frames) {
            ByteBuf bytes = frame.bytes();
            byte[] copy = new byte[bytes.readableBytes()];
            bytes.getBytes(bytes.readerIndex(), copy);
            all.writeBytes(copy);
        }
        return all.toByteArray();
    }

    private byte[] read(int length) throws Exception {
        byte[] got = new byte[length];
        in.readFully(got);
        return got;
    }

    @Test
    void aViewerThatKeepsUpGetsEveryFrameStraightFromTheFramesOwnMemory() throws Exception {
        MediaFrameWriter writer = onLoop(() -> MediaFrameWriter.at(own));
        List<MediaFrame> frames = List.of(frame("J1", 1000), frame("C1", 300), frame("C2", 5000));
        for (MediaFrame frame : frames) {
            long left = onLoop(() -> {
                assertThat(writer.write(frame)).as("written at once").isEqualTo(Outcome.LEFT);
                assertThat(writer.queued()).as("nothing waits in Netty's queue").isZero();
                assertThat(frame.bytes().refCnt())
                        .as("no duplicate of the frame was made for this viewer")
                        .isEqualTo(1);
                return writer.drained();
            });
            assertThat(left).as("nothing of it to see leave later").isZero();
            assertThat(read(frame.wireLength())).isEqualTo(wire(List.of(frame)));
        }
    }

    @Test
    void whatTheSocketDoesNotTakeWaitsInNettysQueueAndArrivesWholeAndInOrder() throws Exception {
        MediaFrameWriter writer = onLoop(() -> MediaFrameWriter.at(own));
        List<MediaFrame> frames = new ArrayList<>();
        for (int i = 0; i < 45; i++) { // a few small frames, then ~2.6 MB for a viewer that is not reading yet
            frames.add(frame("F" + i, i < 5 ? 1000 : 64 * 1024 + i));
        }
        long[] left = new long[1];
        long queued = onLoop(() -> {
            for (MediaFrame frame : frames) {
                if (writer.write(frame) == Outcome.LEFT) {
                    left[0] += frame.length(); // straight into the socket's buffer
                }
            }
            writer.flush();
            own.writeAndFlush(Unpooled.copiedBuffer("TEXT", StandardCharsets.US_ASCII)); // as Vert.x writes
            return writer.queued();
        });
        assertThat(left[0]).as("the first frames went straight to the socket").isEqualTo(5 * 1000);
        assertThat(queued).as("the rest waits in Netty's queue").isGreaterThan(64 * 1024);

        byte[] expected = wire(frames);
        assertThat(read(expected.length)).as("every frame, whole and in order").isEqualTo(expected);
        assertThat(new String(read(4), StandardCharsets.US_ASCII))
                .as("a write of Vert.x's own made after the frames")
                .isEqualTo("TEXT");

        long total = frames.stream().mapToLong(MediaFrame::length).sum();
        await().atMost(Duration.ofSeconds(10)).until(() -> onLoop(() -> left[0] += writer.drained()) == total);
        MediaFrame next = frame("N", 500);
        onLoop(() -> {
            assertThat(writer.write(next)).isEqualTo(Outcome.LEFT);
            assertThat(writer.queued())
                    .as("caught up: straight to the socket again")
                    .isZero();
            return null;
        });
        assertThat(read(next.wireLength())).isEqualTo(wire(List.of(next)));
    }

    @Test
    void severalFramesInOnePassLeaveTogetherAtTheFlush() throws Exception {
        MediaFrameWriter writer = onLoop(() -> MediaFrameWriter.at(own));
        List<MediaFrame> frames = List.of(frame("C1", 700), frame("C2", 700), frame("C3", 700));
        long queued = onLoop(() -> {
            long[] beforeFlush = new long[1];
            MediaFrameWriter.gathering(() -> {
                frames.forEach(writer::write);
                beforeFlush[0] = writer.queued();
            });
            writer.flush();
            return beforeFlush[0];
        });
        assertThat(queued).as("queued for one gathering write").isGreaterThanOrEqualTo(3 * 704);
        assertThat(read(3 * (700 + 4))).isEqualTo(wire(frames));
    }

    @Test
    void aFrameForAClosedConnectionIsRefused() throws Exception {
        MediaFrameWriter writer = onLoop(() -> MediaFrameWriter.at(own));
        channel.close().sync();
        MediaFrame frame = frame("C1", 100);
        assertThat(onLoop(() -> writer.write(frame))).isEqualTo(Outcome.REFUSED);
        assertThat(frame.bytes().refCnt()).isEqualTo(1);
    }
}
