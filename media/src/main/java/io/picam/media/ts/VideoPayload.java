package io.picam.media.ts;

import java.io.ByteArrayOutputStream;

/**
 * The video elementary stream carried in MPEG-TS bytes: the payloads of the first video PID's packets with their
 * PES headers removed, in order. A decoder given these needs no TS demuxer (the relay's still pictures use it:
 * a raw MPEG-1 stream is the simplest input there is). Broken or truncated packets are skipped, never read past.
 */
public final class VideoPayload {

    private static final int VIDEO_STREAM_ID_FIRST = 0xE0;
    private static final int VIDEO_STREAM_ID_LAST = 0xEF;

    private VideoPayload() {}

    /** The video elementary stream of {@code ts}, which starts at a packet boundary; empty when there is none. */
    public static byte[] of(byte[] ts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(ts.length);
        int videoPid = -1;
        for (int at = 0; at + TsFramer.PACKET_SIZE <= ts.length; at += TsFramer.PACKET_SIZE) {
            if (ts[at] != 0x47) {
                continue;
            }
            int end = at + TsFramer.PACKET_SIZE;
            int pid = ((ts[at + 1] & 0x1F) << 8) | (ts[at + 2] & 0xFF);
            boolean unitStart = (ts[at + 1] & 0x40) != 0;
            int adaptation = (ts[at + 3] >> 4) & 0x03;
            if ((adaptation & 0x01) == 0) {
                continue; // no payload
            }
            int payload = at + 4;
            if (adaptation == 0x03) {
                payload += 1 + (ts[at + 4] & 0xFF);
            }
            if (payload >= end) {
                continue;
            }
            if (videoPid < 0) {
                if (!unitStart || !isVideoPes(ts, payload, end)) {
                    continue;
                }
                videoPid = pid;
            }
            if (pid != videoPid) {
                continue;
            }
            if (unitStart) {
                if (!isVideoPes(ts, payload, end)) {
                    continue;
                }
                payload = afterPesHeader(ts, payload, end);
            }
            if (payload < end) {
                out.write(ts, payload, end - payload);
            }
        }
        return out.toByteArray();
    }

    private static boolean isVideoPes(byte[] b, int at, int end) {
        if (at + 4 > end || b[at] != 0 || b[at + 1] != 0 || b[at + 2] != 1) {
            return false;
        }
        int streamId = b[at + 3] & 0xFF;
        return streamId >= VIDEO_STREAM_ID_FIRST && streamId <= VIDEO_STREAM_ID_LAST;
    }

    /** Where the elementary stream starts after a PES header at {@code pes}; {@code end} when it does not fit. */
    private static int afterPesHeader(byte[] b, int pes, int end) {
        int at = pes + 6; // start code, stream id, PES_packet_length
        if (at + 3 <= end && (b[at] & 0xC0) == 0x80) {
            return Math.min(end, at + 3 + (b[at + 2] & 0xFF)); // MPEG-2 style: flags, PES_header_data_length
        }
        // MPEG-1 style: stuffing, optional buffer size, then PTS, PTS+DTS or a lone 0x0F
        while (at < end && (b[at] & 0xFF) == 0xFF) {
            at++;
        }
        if (at < end && (b[at] & 0xC0) == 0x40) {
            at += 2;
        }
        if (at >= end) {
            return end;
        }
        int marker = (b[at] & 0xF0);
        if (marker == 0x20) {
            at += 5;
        } else if (marker == 0x30) {
            at += 10;
        } else {
            at += 1;
        }
        return Math.min(end, at);
    }
}
