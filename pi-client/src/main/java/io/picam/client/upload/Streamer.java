package io.picam.client.upload;

import io.picam.client.relay.RelayHttp;
import io.picam.media.MediaSegment;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Keeps the encoder's output flowing to the relay: one upload at a time, reconnecting with exponential
 * backoff and full jitter (reset after 30 s of healthy streaming), a 401 reported clearly and retried only
 * at the cap, a stalled upload (no progress for 15 s) treated as a failure. Logs one line per change of state
 * (connected, upload ended and when it retries, relay away and back, wrong secret); {@link #stats} feeds the
 * status line.
 */
public final class Streamer {

    private static final Logger LOG = Logger.getLogger(Streamer.class);
    static final Duration HEALTHY = Duration.ofSeconds(30);
    static final Duration STALL = Duration.ofSeconds(15);

    private final URI ingest;
    private final URI readiness;
    private final String secret;
    private final String contentType;
    private final SegmentGate gate = new SegmentGate();
    private final Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), Math::random);
    private final AtomicLong dropped = new AtomicLong();
    private volatile RelayUpload current;
    private volatile boolean stopped;
    private volatile StreamStats.State state = StreamStats.State.STARTING;
    private volatile String lastError = "none";
    private volatile long reconnects;
    private volatile long sentBefore;
    private boolean relayAwaySeen; // the readiness check failed during this outage; upload thread only

    /**
     * The upload and the readiness checks are plain sockets ({@link ChunkedPost}, {@link HttpSocket}), no HTTP
     * client: the upload must see the relay's answer as soon as it comes while the body is still being sent, also
     * when a proxy in front of the relay (Heroku's router) answers and keeps the connection open, and the JDK's
     * HTTP/1.1 client returns an answer only once the whole body is sent or the far side closes, so such an upload
     * would never end. Vert.x could, but its classes and Netty's buffers cost the Pi more memory than the client
     * may use.
     */
    public Streamer(URI ingest, URI readiness, String secret, String contentType) {
        this.ingest = ingest;
        this.readiness = readiness;
        this.secret = secret;
        this.contentType = contentType;
    }

    /** Called with each encoder segment, on the encoder's reader thread. */
    public void accept(MediaSegment segment) {
        RelayUpload upload = current;
        if (upload == null) {
            gate.observe(segment);
            return;
        }
        for (byte[] bytes : gate.admit(segment)) {
            if (!upload.write(bytes)) {
                dropped.incrementAndGet();
                gate.resync(); // the uplink is behind: skip to the next join point rather than pile up latency
                return;
            }
        }
    }

    public void encoderRestarted() {
        gate.encoderRestarted();
    }

    /** So far; from any thread. */
    public StreamStats stats() {
        RelayUpload upload = current;
        return new StreamStats(
                state, sentBefore + (upload == null ? 0 : upload.bytesSent()), reconnects, dropped.get(), lastError);
    }

    /** Uploads until {@link #stop}; call on a thread of its own. */
    public void run() {
        while (!stopped) {
            RelayUpload upload = new RelayUpload();
            long started = System.nanoTime();
            state = StreamStats.State.CONNECTING;
            RelayUpload.Outcome outcome;
            try {
                upload.open(ingest, secret, contentType);
                gate.resync();
                current = upload;
                state = StreamStats.State.STREAMING;
                LOG.infof("Connected to the relay: uploading to %s", ingest);
                while (!upload.outcome().isDone() && !stopped) {
                    try {
                        upload.outcome().get(1, TimeUnit.SECONDS);
                    } catch (TimeoutException tick) {
                        if (upload.stalled(STALL.toNanos())) {
                            upload.abort("no progress for " + STALL.toSeconds() + " s");
                        }
                    }
                }
                outcome = upload.outcome().getNow(new RelayUpload.Outcome(0, "stopped"));
            } catch (Exception e) {
                upload.abort("connect failed");
                outcome = new RelayUpload.Outcome(0, "cannot reach the relay: " + RelayHttp.reason(e));
            }
            current = null;
            sentBefore += upload.bytesSent();
            // the relay answered (a 503, a 409) before the body ended: drop the connection rather than leave it to
            // the far side to close
            upload.abort(stopped ? "stopping" : "ended");
            if (stopped) {
                return;
            }
            if (System.nanoTime() - started > HEALTHY.toNanos()) {
                backoff.reset();
                relayAwaySeen = false;
            }
            Duration wait;
            if (outcome.status() == 401) {
                lastError = "401: the relay does not accept this stream id and secret";
                wait = backoff.cap();
                LOG.errorf(
                        "The relay refused the stream secret (401) for %s: wrong secret or stream id; check --stream and"
                                + " --secret-file (picam doctor tells); retrying in %s",
                        ingest, seconds(wait));
            } else {
                lastError = outcome.status() > 0 ? outcome.status() + ": " + outcome.reason() : outcome.reason();
                wait = backoff.next();
                LOG.warnf("Upload ended (%s); retrying in %s", lastError, seconds(wait));
            }
            reconnects++;
            state = StreamStats.State.WAITING;
            if (outcome.status() == 0 || outcome.status() >= 500) {
                waitOrBack(wait); // the relay was away or restarting: come back as soon as it is ready again
            } else {
                sleep(wait);
            }
        }
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    public void stop() {
        stopped = true;
        RelayUpload upload = current;
        if (upload != null) {
            upload.abort("stopping");
        }
    }

    /**
     * Waits out the backoff, but asks the relay's readiness once a second, and goes at once (after a short
     * random delay) when it turns ready after having been away: the relay restarted (Heroku's daily restart,
     * a deploy), its database came back, or the Wi-Fi did. Behind Heroku's router a restarting relay answers
     * 503s rather than refusing connections, so a TCP check alone would wait out the whole backoff, which has
     * grown with every 503 by then. "Away" may have been seen during an earlier wait of the same outage. A relay
     * that was ready all along (it refused this upload for another reason) is not hammered: the full backoff
     * applies.
     */
    private void waitOrBack(Duration wait) {
        long end = System.nanoTime() + wait.toNanos();
        while (!stopped && System.nanoTime() < end) {
            sleep(Duration.ofMillis(Math.min(1000, Math.max(0, (end - System.nanoTime()) / 1_000_000))));
            if (!ready()) {
                if (!relayAwaySeen) {
                    LOG.warnf(
                            "The relay is away (%s does not answer 200); reconnecting as soon as it is back",
                            readiness);
                }
                relayAwaySeen = true;
            } else if (relayAwaySeen) {
                relayAwaySeen = false;
                LOG.info("The relay is back; reconnecting");
                sleep(Duration.ofMillis((long) (Math.random() * 500)));
                return;
            }
        }
    }

    /**
     * {@code GET …/q/health/ready} answers 200 (public, cheap, true only when the relay can take an upload); asked
     * on this thread, no more than 2 s per step.
     */
    private boolean ready() {
        try {
            return HttpSocket.get(readiness, 2000) == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
