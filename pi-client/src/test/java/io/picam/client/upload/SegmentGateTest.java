package io.picam.client.upload;

import static org.assertj.core.api.Assertions.assertThat;

import io.picam.media.MediaSegment;
import io.picam.media.MediaSegment.Kind;
import org.junit.jupiter.api.Test;

class SegmentGateTest {

    private static MediaSegment seg(Kind kind, int tag) {
        return new MediaSegment(kind, new byte[] {(byte) tag});
    }

    @Test
    void aConnectionStartsAtAJoinPointWithTheLatestInitInFront() {
        SegmentGate gate = new SegmentGate();
        assertThat(gate.admit(seg(Kind.INIT, 1))).isEmpty();
        assertThat(gate.admit(seg(Kind.JOIN, 2))).extracting(b -> b[0]).containsExactly((byte) 1, (byte) 2);
        assertThat(gate.admit(seg(Kind.CONTINUATION, 3))).extracting(b -> b[0]).containsExactly((byte) 3);

        gate.resync(); // reconnect
        assertThat(gate.admit(seg(Kind.CONTINUATION, 4))).isEmpty();
        assertThat(gate.admit(seg(Kind.JOIN, 5))).extracting(b -> b[0]).containsExactly((byte) 1, (byte) 5);
    }

    @Test
    void aNewInitMidStreamGoesOutAtOnceAndAfterAnEncoderRestartTheOldOneIsForgotten() {
        SegmentGate gate = new SegmentGate();
        gate.admit(seg(Kind.INIT, 1));
        gate.admit(seg(Kind.JOIN, 2));
        assertThat(gate.admit(seg(Kind.INIT, 6))).extracting(b -> b[0]).containsExactly((byte) 6);

        gate.encoderRestarted();
        assertThat(gate.admit(seg(Kind.JOIN, 7))).extracting(b -> b[0]).containsExactly((byte) 7);
    }

    @Test
    void mpegtsHasNoInit() {
        SegmentGate gate = new SegmentGate();
        assertThat(gate.admit(seg(Kind.CONTINUATION, 1))).isEmpty();
        assertThat(gate.admit(seg(Kind.JOIN, 2))).extracting(b -> b[0]).containsExactly((byte) 2);
    }

    @Test
    void anInitSeenWhileDisconnectedLeadsTheFirstConnection() {
        SegmentGate gate = new SegmentGate();
        gate.observe(seg(Kind.INIT, 1));
        gate.observe(seg(Kind.JOIN, 2));
        assertThat(gate.admit(seg(Kind.CONTINUATION, 3))).isEmpty();
        assertThat(gate.admit(seg(Kind.JOIN, 4))).extracting(b -> b[0]).containsExactly((byte) 1, (byte) 4);
    }
}
