package io.picam.media.ts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@link TsFramer#isJoinPointPacket} on hand-built packets. */
class JoinPointPacketTest {

    private static final int P = TsFramer.PACKET_SIZE;
    private static final byte[] SEQUENCE_HEADER = {0, 0, 1, (byte) 0xB3};

    @Test
    void videoPesWithSequenceHeaderIsAJoinPoint() {
        assertThat(TsFramer.isJoinPointPacket(packet(true, 0x01, 0, 0xE0, mpeg2PesHeader(5)), 0))
                .isTrue();
    }

    @Test
    void adaptationFieldIsSkipped() {
        assertThat(TsFramer.isJoinPointPacket(packet(true, 0x03, 7, 0xE0, mpeg2PesHeader(5)), 0))
                .isTrue();
    }

    @Test
    void packetAtAnOffsetIsRead() {
        byte[] packet = packet(true, 0x01, 0, 0xEF, mpeg2PesHeader(10));
        byte[] buffer = new byte[P + 100];
        System.arraycopy(packet, 0, buffer, 100, P);
        assertThat(TsFramer.isJoinPointPacket(buffer, 100)).isTrue();
        assertThat(TsFramer.isJoinPointPacket(buffer, 0)).isFalse();
    }

    @Test
    void mpeg1StylePesHeaderIsSearched() {
        // MPEG-1 system header: stuffing 0xFF, then a PTS; no 10xxxxxx flags byte
        byte[] mpeg1Header = {(byte) 0xFF, (byte) 0xFF, 0x21, 0x00, 0x01, 0x00, 0x01};
        assertThat(TsFramer.isJoinPointPacket(packet(true, 0x01, 0, 0xE0, mpeg1Header), 0))
                .isTrue();
    }

    @Test
    void notAJoinPointWithoutEveryCondition() {
        byte[] header = mpeg2PesHeader(5);
        assertThat(TsFramer.isJoinPointPacket(packet(false, 0x01, 0, 0xE0, header), 0))
                .as("no unit start")
                .isFalse();
        assertThat(TsFramer.isJoinPointPacket(packet(true, 0x02, 0, 0xE0, header), 0))
                .as("no payload")
                .isFalse();
        assertThat(TsFramer.isJoinPointPacket(packet(true, 0x00, 0, 0xE0, header), 0))
                .as("reserved")
                .isFalse();
        assertThat(TsFramer.isJoinPointPacket(packet(true, 0x01, 0, 0xC0, header), 0))
                .as("audio")
                .isFalse();
        byte[] noSequence = packet(true, 0x01, 0, 0xE0, header);
        int es = 4 + 9 + 5;
        noSequence[es + 3] = 0x00; // picture start code instead of a sequence header
        assertThat(TsFramer.isJoinPointPacket(noSequence, 0))
                .as("no sequence header")
                .isFalse();
        byte[] noSync = packet(true, 0x01, 0, 0xE0, header);
        noSync[0] = 0x00;
        assertThat(TsFramer.isJoinPointPacket(noSync, 0)).as("no sync byte").isFalse();
    }

    @Test
    void sequenceHeaderInsidePesHeaderDoesNotCount() {
        // the PES header's optional fields are skipped by their declared length
        byte[] header = mpeg2PesHeader(8);
        System.arraycopy(SEQUENCE_HEADER, 0, header, 3, 4);
        byte[] packet = packet(true, 0x01, 0, 0xE0, header);
        Arrays.fill(packet, 4 + 9 + 8, P, (byte) 0xFF);
        assertThat(TsFramer.isJoinPointPacket(packet, 0)).isFalse();
    }

    @Test
    void oversizedLengthsStayInsideThePacket() {
        byte[] hugeAdaptation = packet(true, 0x03, 0, 0xE0, mpeg2PesHeader(5));
        hugeAdaptation[4] = (byte) 0xFF;
        assertThat(TsFramer.isJoinPointPacket(hugeAdaptation, 0)).isFalse();
        byte[] hugePesHeader = packet(true, 0x01, 0, 0xE0, mpeg2PesHeader(5));
        hugePesHeader[4 + 8] = (byte) 0xFF;
        assertThat(TsFramer.isJoinPointPacket(hugePesHeader, 0)).isFalse();
    }

    @Test
    void needsAWholePacket() {
        assertThatThrownBy(() -> TsFramer.isJoinPointPacket(new byte[P - 1], 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> TsFramer.isJoinPointPacket(new byte[P], 1))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    /** PES optional header: '10' flags byte, a flags byte, the data length, then that many bytes. */
    private static byte[] mpeg2PesHeader(int dataLength) {
        byte[] header = new byte[3 + dataLength];
        header[0] = (byte) 0x80;
        header[1] = (byte) 0x80;
        header[2] = (byte) dataLength;
        Arrays.fill(header, 3, header.length, (byte) 0x21);
        return header;
    }

    /** A packet on PID 0x100 whose PES carries {@code pesHeader} followed by a sequence header. */
    private static byte[] packet(
            boolean unitStart, int adaptationFieldControl, int adaptationLength, int streamId, byte[] pesHeader) {
        byte[] packet = new byte[P];
        Arrays.fill(packet, (byte) 0xFF);
        packet[0] = 0x47;
        packet[1] = (byte) ((unitStart ? 0x40 : 0) | 0x01);
        packet[2] = 0x00;
        packet[3] = (byte) (adaptationFieldControl << 4);
        int at = 4;
        if (adaptationFieldControl == 0x03) {
            packet[at] = (byte) adaptationLength;
            at += 1 + adaptationLength;
        }
        byte[] pesStart = {0, 0, 1, (byte) streamId, 0, 0};
        System.arraycopy(pesStart, 0, packet, at, pesStart.length);
        at += pesStart.length;
        System.arraycopy(pesHeader, 0, packet, at, pesHeader.length);
        at += pesHeader.length;
        System.arraycopy(SEQUENCE_HEADER, 0, packet, at, SEQUENCE_HEADER.length);
        return packet;
    }
}
