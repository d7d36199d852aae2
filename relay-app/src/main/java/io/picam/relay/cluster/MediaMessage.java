package io.picam.relay.cluster;

import io.picam.relay.live.ClusterLink;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary messages on a stream's media channel: a fixed header (kind, segment flags, sending instance,
 * publisher epoch, sequence number) and the bytes. A snapshot carries the init segment and the cached bytes
 * since the latest join point as parts, each with its flags and length.
 */
record MediaMessage(byte kind, int flags, long origin, long epoch, long seq, Buffer payload) {

    static final byte SEGMENT = 1;
    static final byte SNAPSHOT = 2;
    static final byte END = 3;
    static final int HEADER = 1 + 1 + 8 + 8 + 8;

    static Buffer segment(long origin, long epoch, long seq, int flags, Buffer chunk) {
        return header(SEGMENT, flags, origin, epoch, seq, chunk.length()).appendBuffer(chunk);
    }

    static Buffer end(long origin, long epoch) {
        return header(END, 0, origin, epoch, 0, 0);
    }

    static Buffer snapshot(long origin, ClusterLink.Snapshot snapshot) {
        int size = 0;
        if (snapshot.init() != null) {
            size += 5 + snapshot.init().length();
        }
        for (Buffer chunk : snapshot.chunks()) {
            size += 5 + chunk.length();
        }
        Buffer message = header(SNAPSHOT, 0, origin, snapshot.epoch(), snapshot.lastSeq(), size);
        if (snapshot.init() != null) {
            message.appendByte((byte) ClusterLink.INIT)
                    .appendInt(snapshot.init().length())
                    .appendBuffer(snapshot.init());
        }
        boolean first = true;
        for (Buffer chunk : snapshot.chunks()) {
            message.appendByte((byte) (first ? ClusterLink.JOIN_POINT : 0))
                    .appendInt(chunk.length())
                    .appendBuffer(chunk);
            first = false;
        }
        return message;
    }

    private static Buffer header(byte kind, int flags, long origin, long epoch, long seq, int payload) {
        // room for the signature too: appending it must not copy the message into a bigger buffer
        return Buffer.buffer(HEADER + payload + MessageSigner.TRAILER)
                .appendByte(kind)
                .appendByte((byte) flags)
                .appendLong(origin)
                .appendLong(epoch)
                .appendLong(seq);
    }

    /** Reads a message; throws IllegalArgumentException for one that is not ours (never trusted blindly). */
    static MediaMessage parse(Buffer message) {
        if (message.length() < HEADER) {
            throw new IllegalArgumentException("a media message of " + message.length() + " bytes");
        }
        byte kind = message.getByte(0);
        if (kind != SEGMENT && kind != SNAPSHOT && kind != END) {
            throw new IllegalArgumentException("a media message of unknown kind " + kind);
        }
        return new MediaMessage(
                kind,
                message.getByte(1),
                message.getLong(2),
                message.getLong(10),
                message.getLong(18),
                message.slice(HEADER, message.length()));
    }

    /** A snapshot's parts: flags and bytes, in order. */
    record Part(int flags, Buffer bytes) {}

    List<Part> parts() {
        List<Part> parts = new ArrayList<>();
        int at = 0;
        while (at < payload.length()) {
            if (at + 5 > payload.length()) {
                throw new IllegalArgumentException("a snapshot cut inside a part header");
            }
            int flags = payload.getByte(at);
            int length = payload.getInt(at + 1);
            if (length < 0 || at + 5L + length > payload.length()) { // long: a lying length must not wrap around
                throw new IllegalArgumentException("a snapshot part of " + length + " bytes past its end");
            }
            parts.add(new Part(flags, payload.slice(at + 5, at + 5 + length)));
            at += 5 + length;
        }
        return parts;
    }
}
