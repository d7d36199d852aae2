package io.picam.relay.snapshot;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/** The latest still picture of a stream: a JPEG, when it was decoded, and its entity tag (a digest of the bytes). */
public record Snapshot(byte[] jpeg, Instant takenAt, String etag) {

    static Snapshot of(byte[] jpeg, Instant takenAt) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(jpeg);
            return new Snapshot(jpeg, takenAt, "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
