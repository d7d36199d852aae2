package io.picam.media.fmp4;

import io.picam.media.ContainerFramer;
import io.picam.media.MediaFormatException;
import io.picam.media.MediaSegment;
import io.picam.media.MediaSegment.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Cuts fragmented MP4 (as {@code ffmpeg -movflags +frag_keyframe+empty_moov+default_base_moof} writes it)
 * into what a MediaSource consumes: the init segment ({@code ftyp}+{@code moov}) as {@link Kind#INIT}, then
 * each {@code moof}+{@code mdat} as {@link Kind#JOIN} when its video starts with a keyframe, else
 * {@link Kind#CONTINUATION}. {@code styp}, {@code sidx}, {@code prft}, {@code emsg} and unknown boxes travel
 * with the next fragment; {@code free} and {@code skip} are dropped. A new {@code ftyp}+{@code moov}
 * mid-stream (the encoder restarted) is a new init segment.
 *
 * <p>Memory is bounded: a box is collected only up to its type's limit, and a declared size is checked
 * against that limit before a byte of it is stored, so a lying header costs nothing.
 */
public final class Fmp4Framer implements ContainerFramer {

    static final int MAX_MOOV = 4 << 20;
    static final int MAX_MOOF = 4 << 20;
    static final int MAX_MDAT = 16 << 20;
    static final int MAX_OTHER = 1 << 20;
    private static final String HINT =
            " (send fragmented MP4: ffmpeg -f mp4 -movflags +frag_keyframe+empty_moov+default_base_moof)";

    private byte[] buf = new byte[64 * 1024];
    private int length;
    private boolean started;
    private byte[] ftyp;
    private Movie movie;
    private byte[] pendingMoof;
    private boolean pendingSync;
    private byte[] prefix = new byte[0];

    @Override
    public List<MediaSegment> feed(byte[] data, int offset, int count) throws MediaFormatException {
        append(data, offset, count);
        List<MediaSegment> out = new ArrayList<>();
        int at = 0;
        while (true) {
            int size = completeBoxSize(at);
            if (size < 0) {
                break;
            }
            Box box = Box.at(buf, at, at + size);
            handle(box, out);
            at += size;
        }
        System.arraycopy(buf, at, buf, 0, length - at);
        length -= at;
        if (buf.length > (1 << 20) && length < buf.length / 4) {
            buf = Arrays.copyOf(buf, Math.max(64 * 1024, length * 2)); // give back what a large mdat needed
        }
        return out;
    }

    /** The codecs of the latest init segment, e.g. {@code avc1.64001f,mp4a.40.2}. */
    public Optional<String> codecs() {
        return movie == null ? Optional.empty() : Optional.ofNullable(movie.codecs());
    }

    /** The MIME type a MediaSource needs for the latest init segment, e.g. {@code video/mp4; codecs="avc1.64001f"}. */
    public Optional<String> mimeType() {
        return codecs().map(Fmp4Framer::mime);
    }

    /** The MIME type for an init segment this framer produced. */
    public static String mimeTypeOf(byte[] init) throws MediaFormatException {
        for (int at = 0; at < init.length; ) {
            Box box = Box.at(init, at, init.length);
            if (box.type().equals("moov")) {
                String codecs = Movie.parse(box).codecs();
                return codecs == null ? "video/mp4" : mime(codecs);
            }
            at = box.end();
        }
        throw Box.malformed("an init segment without moov");
    }

    private static String mime(String codecs) {
        return "video/mp4; codecs=\"" + codecs + "\"";
    }

    /** Size of the box at {@code at} if all of it is here, -1 if more bytes are needed; throws on a bad header. */
    private int completeBoxSize(int at) throws MediaFormatException {
        int available = length - at;
        if (available < 8) {
            return -1;
        }
        long size = Box.u32(buf, at);
        String type = Box.fourCc(buf, at + 4);
        if (!started) {
            if (!Box.plausibleType(buf, at + 4)) {
                throw new MediaFormatException("not fragmented MP4: the stream does not start with a box" + HINT);
            }
            if (!type.equals("ftyp") && !type.equals("styp")) {
                throw new MediaFormatException(
                        "not fragmented MP4: starts with '" + type + "', expected 'ftyp'" + HINT);
            }
        } else if (!Box.plausibleType(buf, at + 4)) {
            throw Box.malformed("no box header where one should start (lost sync)");
        }
        if (size == 0) {
            throw Box.malformed(
                    "box '" + type + "' has size 0 (up to the end of the file), which a live stream cannot have");
        }
        if (size == 1) {
            if (available < 16) {
                return -1;
            }
            size = Box.u64(buf, at + 8);
            if (size < 16) {
                throw Box.malformed("box '" + type + "' declares a 64-bit size of " + size);
            }
        } else if (size < 8) {
            throw Box.malformed("box '" + type + "' declares a size of " + size);
        }
        long limit = limit(type);
        if (size > limit) {
            throw Box.malformed("box '" + type + "' declares " + size + " bytes, more than the " + limit + " allowed");
        }
        return available >= size ? (int) size : -1;
    }

    private static long limit(String type) {
        switch (type) {
            case "moov":
                return MAX_MOOV;
            case "moof":
                return MAX_MOOF;
            case "mdat":
                return MAX_MDAT;
            default:
                return MAX_OTHER;
        }
    }

    private void handle(Box box, List<MediaSegment> out) throws MediaFormatException {
        started = true;
        switch (box.type()) {
            case "ftyp":
                if (pendingMoof != null) {
                    throw Box.malformed("'moof' without its 'mdat' before a new 'ftyp'");
                }
                ftyp = copy(box);
                break;
            case "moov":
                if (ftyp == null) {
                    throw new MediaFormatException("not fragmented MP4: 'moov' without 'ftyp' before it" + HINT);
                }
                movie = Movie.parse(box);
                out.add(new MediaSegment(Kind.INIT, concat(ftyp, copy(box))));
                ftyp = null;
                prefix = new byte[0];
                break;
            case "moof":
                if (movie == null) {
                    throw new MediaFormatException(
                            "not fragmented MP4: 'moof' before the init segment (ftyp+moov)" + HINT);
                }
                if (pendingMoof != null) {
                    throw Box.malformed("two 'moof' boxes without an 'mdat' between them");
                }
                pendingSync = Fragment.startsWithSync(box, movie);
                pendingMoof = concat(prefix, copy(box));
                prefix = new byte[0];
                break;
            case "mdat":
                if (pendingMoof == null) {
                    throw movie == null
                            ? new MediaFormatException("not fragmented MP4: media data before any fragment" + HINT)
                            : Box.malformed("'mdat' without a 'moof' before it");
                }
                out.add(new MediaSegment(pendingSync ? Kind.JOIN : Kind.CONTINUATION, concat(pendingMoof, copy(box))));
                pendingMoof = null;
                break;
            case "free":
            case "skip":
                break;
            default:
                // styp, sidx, prft, emsg and boxes we do not know: keep them with the next fragment
                if (prefix.length + box.end() - box.start() > MAX_OTHER) {
                    throw Box.malformed("more than " + MAX_OTHER + " bytes of boxes between fragments");
                }
                prefix = concat(prefix, copy(box));
        }
    }

    private void append(byte[] data, int offset, int count) {
        if (length + count > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, length + count));
        }
        System.arraycopy(data, offset, buf, length, count);
        length += count;
    }

    private static byte[] copy(Box box) {
        return Arrays.copyOfRange(box.buf(), box.start(), box.end());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
