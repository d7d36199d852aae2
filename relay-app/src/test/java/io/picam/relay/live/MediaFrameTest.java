package io.picam.relay.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A segment encoded once as a WebSocket frame: the same bytes Netty's own server-side encoder puts on the wire. */
class MediaFrameTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 127, 65535, 65536, 300_000})
    void isTheFrameNettysServerEncoderWouldWrite(int size) {
        byte[] payload = new byte[size];
        new Random(size).nextBytes(payload);

        MediaFrame frame = MediaFrame.binary(payload);

        assertThat(ByteBufUtil.getBytes(frame.bytes())).isEqualTo(nettyEncoded(payload));
        assertThat(frame.length()).isEqualTo(size);
        assertThat(frame.payload().getBytes()).isEqualTo(payload);
        assertThat(frame.bytes().isDirect())
                .as("off-heap, so that no write copies it")
                .isTrue();
    }

    /** What a server's WebSocket encoder (unmasked) writes for one binary frame. */
    private static byte[] nettyEncoded(byte[] payload) {
        EmbeddedChannel channel = new EmbeddedChannel(new WebSocket13FrameEncoder(false));
        channel.writeOutbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(payload)));
        ByteBuf all = Unpooled.buffer();
        for (ByteBuf part; (part = channel.readOutbound()) != null; ) {
            all.writeBytes(part);
            part.release();
        }
        channel.finishAndReleaseAll();
        return ByteBufUtil.getBytes(all);
    }
}
