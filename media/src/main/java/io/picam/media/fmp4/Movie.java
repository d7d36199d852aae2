package io.picam.media.fmp4;

import io.picam.media.MediaFormatException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the framer needs from a {@code moov}: which track is the video (its samples decide join points),
 * each track's default sample flags from {@code mvex/trex}, and the RFC 6381 codecs string a browser's
 * MediaSource asks for ({@code avc1.PPCCLL}, {@code mp4a.40.A}).
 */
record Movie(int videoTrackId, Map<Integer, Long> trexDefaultFlags, String codecs) {

    static Movie parse(Box moov) throws MediaFormatException {
        int videoTrackId = -1;
        List<String> codecs = new ArrayList<>();
        for (int at = moov.payload(); at < moov.end(); ) {
            Box trak = Box.at(moov.buf(), at, moov.end());
            at = trak.end();
            if (!trak.type().equals("trak")) {
                continue;
            }
            Box tkhd = trak.child("tkhd");
            Box hdlr = trak.path("mdia", "hdlr");
            Box stsd = trak.path("mdia", "minf", "stbl", "stsd");
            if (tkhd == null || hdlr == null) {
                throw Box.malformed("a track without tkhd or hdlr");
            }
            int trackId = (int) tkhd.u32(tkhd.u8(0) == 1 ? 20 : 12);
            String handler = Box.fourCc(hdlr.buf(), checked(hdlr, 8));
            String codec = stsd == null ? null : codec(stsd);
            if (handler.equals("vide") && videoTrackId < 0) {
                videoTrackId = trackId;
            }
            if (codec != null) {
                codecs.add(codec);
            }
        }
        return new Movie(videoTrackId, trexDefaults(moov), codecs.isEmpty() ? null : String.join(",", codecs));
    }

    private static int checked(Box box, int offset) throws MediaFormatException {
        box.u32(offset); // bounds check
        return box.payload() + offset;
    }

    private static Map<Integer, Long> trexDefaults(Box moov) throws MediaFormatException {
        Map<Integer, Long> defaults = new HashMap<>();
        Box mvex = moov.child("mvex");
        if (mvex == null) {
            return defaults;
        }
        for (int at = mvex.payload(); at < mvex.end(); ) {
            Box trex = Box.at(mvex.buf(), at, mvex.end());
            at = trex.end();
            if (trex.type().equals("trex")) {
                // version/flags, track_ID, description index, duration, size, flags
                defaults.put((int) trex.u32(4), trex.u32(20));
            }
        }
        return defaults;
    }

    /** The codecs string of the first sample entry in an {@code stsd}, or null for a codec we do not name. */
    private static String codec(Box stsd) throws MediaFormatException {
        if (stsd.u32(4) < 1) {
            return null;
        }
        Box entry = Box.at(stsd.buf(), stsd.payload() + 8, stsd.end());
        switch (entry.type()) {
            case "avc1":
            case "avc3": {
                // VisualSampleEntry: 8 bytes SampleEntry + 70 bytes of visual fields, then child boxes
                Box avcC = entry.child("avcC", 78);
                if (avcC == null) {
                    throw Box.malformed("an H.264 track without avcC");
                }
                return String.format(Locale.ROOT, "%s.%02x%02x%02x", entry.type(), avcC.u8(1), avcC.u8(2), avcC.u8(3));
            }
            case "mp4a": {
                // AudioSampleEntry: 8 bytes SampleEntry + 20 bytes of audio fields, then child boxes
                Box esds = entry.child("esds", 28);
                return "mp4a.40." + (esds == null ? 2 : audioObjectType(esds));
            }
            default:
                return null;
        }
    }

    /** The AAC audio object type from an esds' DecoderSpecificInfo; 2 (AAC-LC) when it cannot be read. */
    private static int audioObjectType(Box esds) {
        byte[] b = esds.buf();
        // descriptors: tag (1 byte), length (1-4 bytes, 7 bits each); ES (0x03) > DecoderConfig (0x04) > DSI (0x05)
        for (int at = esds.payload() + 4; at + 2 < esds.end(); ) {
            int tag = b[at++] & 0xff;
            int length = 0;
            for (int i = 0; i < 4 && at < esds.end(); i++) {
                int v = b[at++] & 0xff;
                length = (length << 7) | (v & 0x7f);
                if ((v & 0x80) == 0) {
                    break;
                }
            }
            if (tag == 0x03) {
                at += 3; // ES_ID, flags (ignoring the optional fields, which ffmpeg does not write)
            } else if (tag == 0x04) {
                at += 13; // objectType, streamType, bufferSize, maxBitrate, avgBitrate
            } else if (tag == 0x05) {
                if (at < esds.end() && length > 0) {
                    int aot = (b[at] & 0xff) >> 3;
                    return aot == 0 || aot == 31 ? 2 : aot;
                }
                return 2;
            } else {
                at += length;
            }
        }
        return 2;
    }
}
