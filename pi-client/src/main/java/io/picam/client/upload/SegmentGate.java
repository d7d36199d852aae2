package io.picam.client.upload;

import io.picam.media.MediaSegment;
import java.util.List;

/**
 * Decides which encoder output goes to the relay: after every (re)connect, and after anything was dropped,
 * the upload resumes at the next join point, with the latest fMP4 init segment in front of it, so the
 * relay (and every viewer) always gets something decodable. Called from the encoder reader thread.
 */
public final class SegmentGate {

    private byte[] latestInit;
    private boolean waitingForJoinPoint = true;

    /** The bytes to send now for this segment, in order; empty when it must be dropped. */
    public synchronized List<byte[]> admit(MediaSegment segment) {
        if (segment.kind() == MediaSegment.Kind.INIT) {
            latestInit = segment.data();
            // mid-stream (the encoder restarted): the relay re-initialises its viewers with it
            return waitingForJoinPoint ? List.of() : List.of(segment.data());
        }
        if (waitingForJoinPoint) {
            if (!segment.isJoinPoint()) {
                return List.of();
            }
            waitingForJoinPoint = false;
            return latestInit == null ? List.of(segment.data()) : List.of(latestInit, segment.data());
        }
        return List.of(segment.data());
    }

    /** Not connected: nothing is sent, but an init segment is kept for the next connection. */
    public synchronized void observe(MediaSegment segment) {
        if (segment.kind() == MediaSegment.Kind.INIT) {
            latestInit = segment.data();
        }
    }

    /** Start again at the next join point (a new connection, or bytes were dropped). */
    public synchronized void resync() {
        waitingForJoinPoint = true;
    }

    /** A new encoder: its init segment replaces the old one, which does not describe its output. */
    public synchronized void encoderRestarted() {
        latestInit = null;
        waitingForJoinPoint = true;
    }
}
