package io.picam.relay.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.picam.relay.live.ClusterLink;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The messages between relay instances: what goes in comes out, and a broken one is refused, never trusted. */
class MediaMessageTest {

    @Test
    void aSegmentKeepsItsNumbersFlagsAndBytes() {
        Buffer chunk = Buffer.buffer(new byte[] {1, 2, 3, 4, 5});
        MediaMessage m = MediaMessage.parse(MediaMessage.segment(7L, 42L, 1001L, ClusterLink.JOIN_POINT, chunk));
        assertThat(m.kind()).isEqualTo(MediaMessage.SEGMENT);
        assertThat(m.origin()).isEqualTo(7L);
        assertThat(m.epoch()).isEqualTo(42L);
        assertThat(m.seq()).isEqualTo(1001L);
        assertThat(m.flags()).isEqualTo(ClusterLink.JOIN_POINT);
        assertThat(m.payload()).isEqualTo(chunk);
    }

    @Test
    void aSnapshotCarriesTheInitSegmentThenTheCachedBytesFromTheJoinPoint() {
        Buffer init = Buffer.buffer("ftyp+moov");
        List<Buffer> chunks = List.of(Buffer.buffer("keyframe"), Buffer.buffer("p1"), Buffer.buffer("p2"));
        MediaMessage m = MediaMessage.parse(MediaMessage.snapshot(7L, new ClusterLink.Snapshot(42L, 9L, init, chunks)));
        assertThat(m.kind()).isEqualTo(MediaMessage.SNAPSHOT);
        assertThat(m.seq()).as("the last segment it holds").isEqualTo(9L);
        List<MediaMessage.Part> parts = m.parts();
        assertThat(parts)
                .extracting(MediaMessage.Part::flags)
                .containsExactly(ClusterLink.INIT, ClusterLink.JOIN_POINT, 0, 0);
        assertThat(parts).extracting(p -> p.bytes().toString()).containsExactly("ftyp+moov", "keyframe", "p1", "p2");
    }

    @Test
    void anMpegTsSnapshotHasNoInitSegmentAndMayBeEmpty() {
        MediaMessage m =
                MediaMessage.parse(MediaMessage.snapshot(7L, new ClusterLink.Snapshot(42L, 0L, null, List.of())));
        assertThat(m.parts()).isEmpty();
    }

    @Test
    void brokenMessagesAreRefusedWithAReason() {
        assertThatThrownBy(() -> MediaMessage.parse(Buffer.buffer("short")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("5 bytes");
        Buffer unknown = MediaMessage.end(7L, 42L);
        unknown.setByte(0, (byte) 99);
        assertThatThrownBy(() -> MediaMessage.parse(unknown)).hasMessageContaining("unknown kind 99");

        Buffer snapshot =
                MediaMessage.snapshot(7L, new ClusterLink.Snapshot(42L, 1L, null, List.of(Buffer.buffer("abc"))));
        snapshot.setInt(MediaMessage.HEADER + 1, Integer.MAX_VALUE); // a part that claims 2 GB
        assertThatThrownBy(() -> MediaMessage.parse(snapshot).parts()).hasMessageContaining("past its end");
        Buffer cut = MediaMessage.snapshot(7L, new ClusterLink.Snapshot(42L, 1L, null, List.of(Buffer.buffer("abc"))))
                .appendByte((byte) 0)
                .appendByte((byte) 0);
        assertThatThrownBy(() -> MediaMessage.parse(cut).parts()).hasMessageContaining("cut inside a part header");
    }
}
