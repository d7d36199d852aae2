package io.picam.media.ts;

/**
 * Recognises the packets where a new viewer can start decoding: the first packet of a video PES
 * whose elementary stream data in that packet carries an MPEG-1/2 sequence header. ffmpeg's
 * mpeg1video encoder writes a sequence header in front of every GOP, so these are the GOP starts.
 */
final class JoinPoints {

    private static final int VIDEO_STREAM_ID_FIRST = 0xE0;
    private static final int VIDEO_STREAM_ID_LAST = 0xEF;
    private static final int SEQUENCE_HEADER_CODE = 0xB3;

    private JoinPoints() {}

    /** Assumes {@code packet[offset, offset + 188)} exists; reads nothing outside it. */
    static boolean isJoinPointPacket(byte[] packet, int offset) {
        int end = offset + TsFramer.PACKET_SIZE;
        if (packet[offset] != 0x47) {
            return false;
        }
        boolean payloadUnitStart = (packet[offset + 1] & 0x40) != 0;
        int adaptationFieldControl = (packet[offset + 3] >> 4) & 0x03;
        boolean hasPayload = (adaptationFieldControl & 0x01) != 0; // 01 payload only, 11 both
        if (!payloadUnitStart || !hasPayload) {
            return false;
        }
        int pes = offset + 4;
        if (adaptationFieldControl == 0x03) {
            pes += 1 + (packet[offset + 4] & 0xFF);
        }
        if (pes + 4 > end || !isStartCodePrefix(packet, pes)) {
            return false;
        }
        int streamId = packet[pes + 3] & 0xFF;
        if (streamId < VIDEO_STREAM_ID_FIRST || streamId > VIDEO_STREAM_ID_LAST) {
            return false;
        }
        // after start code, stream_id and PES_packet_length
        int elementary = pes + 6;
        if (elementary + 2 < end && (packet[elementary] & 0xC0) == 0x80) {
            // MPEG-2 PES header: two flag bytes, then PES_header_data_length
            elementary += 3 + (packet[elementary + 2] & 0xFF);
        }
        // otherwise an MPEG-1 style header of variable shape: search the rest of the packet
        return containsSequenceHeader(packet, elementary, end);
    }

    private static boolean containsSequenceHeader(byte[] bytes, int from, int end) {
        for (int i = from; i + 4 <= end; i++) {
            if (isStartCodePrefix(bytes, i) && (bytes[i + 3] & 0xFF) == SEQUENCE_HEADER_CODE) {
                return true;
            }
        }
        return false;
    }

    private static boolean isStartCodePrefix(byte[] bytes, int at) {
        return bytes[at] == 0 && bytes[at + 1] == 0 && bytes[at + 2] == 1;
    }
}
