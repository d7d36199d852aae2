package io.picam.relay.stream;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Stream secrets and ids. A secret is 256 random bits, so a fast hash is as safe as a slow one:
 * guessing is hopeless either way, and SHA-256 keeps every publisher reconnect cheap.
 */
public final class StreamSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Compared against when the stream does not exist, so unknown and wrong look the same. */
    private static final String UNKNOWN_STREAM_HASH = hash("no such stream");

    private StreamSecrets() {}

    public static String newSecret() {
        return randomToken(32);
    }

    /** A short URL-safe id (64 random bits). */
    public static String newStreamId() {
        return randomToken(8);
    }

    public static String hash(String secret) {
        return HexFormat.of().formatHex(sha256(secret));
    }

    /** Constant-time check of a presented secret against a stored hash ({@code null}: unknown stream). */
    public static boolean matches(String presented, String storedHash) {
        byte[] expected = HexFormat.of().parseHex(storedHash == null ? UNKNOWN_STREAM_HASH : storedHash);
        byte[] actual = sha256(presented == null ? "" : presented);
        return MessageDigest.isEqual(expected, actual) && storedHash != null && presented != null;
    }

    private static String randomToken(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
