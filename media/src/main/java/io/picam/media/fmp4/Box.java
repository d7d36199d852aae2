package io.picam.media.fmp4;

import io.picam.media.MediaFormatException;

/**
 * An ISO-BMFF box inside a byte array: where its payload starts and ends. Every read is bounds-checked,
 * so a lying size field is a {@link MediaFormatException}, never an index error.
 */
record Box(String type, byte[] buf, int start, int payload, int end) {

    /** The box at {@code offset}, which must lie within {@code [offset, limit)}. */
    static Box at(byte[] buf, int offset, int limit) throws MediaFormatException {
        if (limit - offset < 8) {
            throw malformed("truncated box header");
        }
        long size = u32(buf, offset);
        String type = fourCc(buf, offset + 4);
        int header = 8;
        if (size == 1) {
            if (limit - offset < 16) {
                throw malformed("truncated large box header of '" + type + "'");
            }
            size = u64(buf, offset + 8);
            header = 16;
        }
        if (size < header || size > limit - offset) {
            throw malformed("box '" + type + "' declares " + size + " bytes but has room for " + (limit - offset));
        }
        return new Box(type, buf, offset, offset + header, offset + (int) size);
    }

    /** The first child of this box (whose children start {@code skip} bytes into its payload) of a type. */
    Box child(String childType, int skip) throws MediaFormatException {
        for (int at = payload + skip; at < end; ) {
            Box child = at(buf, at, end);
            if (child.type.equals(childType)) {
                return child;
            }
            at = child.end;
        }
        return null;
    }

    Box child(String childType) throws MediaFormatException {
        return child(childType, 0);
    }

    /** Follows a path of first children, e.g. {@code "mdia", "minf", "stbl"}; null when one is missing. */
    Box path(String... types) throws MediaFormatException {
        Box box = this;
        for (String t : types) {
            box = box.child(t);
            if (box == null) {
                return null;
            }
        }
        return box;
    }

    int u8(int offset) throws MediaFormatException {
        check(offset, 1);
        return buf[payload + offset] & 0xff;
    }

    long u32(int offset) throws MediaFormatException {
        check(offset, 4);
        return u32(buf, payload + offset);
    }

    int size() {
        return end - payload;
    }

    private void check(int offset, int length) throws MediaFormatException {
        if (offset < 0 || payload + offset + length > end) {
            throw malformed("box '" + type + "' too short for its fields");
        }
    }

    static long u32(byte[] b, int at) {
        return ((b[at] & 0xffL) << 24) | ((b[at + 1] & 0xffL) << 16) | ((b[at + 2] & 0xffL) << 8) | (b[at + 3] & 0xffL);
    }

    static long u64(byte[] b, int at) {
        return (u32(b, at) << 32) | u32(b, at + 4);
    }

    /** The box type; bytes that are not printable ASCII become '?', so that an error message stays one clean line. */
    static String fourCc(byte[] b, int at) {
        char[] c = new char[4];
        for (int i = 0; i < 4; i++) {
            int v = b[at + i] & 0xff;
            c[i] = v >= 0x20 && v <= 0x7e ? (char) v : '?';
        }
        return new String(c);
    }

    /** True for four printable ASCII characters, as every registered box type is. */
    static boolean plausibleType(byte[] b, int at) {
        for (int i = at; i < at + 4; i++) {
            if (b[i] < 0x20 || b[i] > 0x7e) {
                return false;
            }
        }
        return true;
    }

    static MediaFormatException malformed(String reason) {
        return new MediaFormatException("malformed fragmented MP4: " + reason);
    }
}
