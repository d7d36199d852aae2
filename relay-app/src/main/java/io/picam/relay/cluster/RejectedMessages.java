package io.picam.relay.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Counts the messages from Redis that {@link MessageSigner} refused ({@code picam.cluster.messages.rejected},
 * tagged by reason) and says so in the log at most once a minute: a flood of forgeries must not flood the log
 * too. Only the channel and the reason are logged, never a message's bytes.
 */
final class RejectedMessages {

    private static final Logger LOG = Logger.getLogger(RejectedMessages.class);
    private static final long WARN_EVERY_MILLIS = 60_000;

    private final Map<MessageSigner.Rejection, Counter> counters = new EnumMap<>(MessageSigner.Rejection.class);
    private final LongSupplier clock;
    private final AtomicLong nextWarning = new AtomicLong();
    private final AtomicLong unreported = new AtomicLong();

    RejectedMessages(MeterRegistry metrics, LongSupplier clock) {
        for (MessageSigner.Rejection reason : MessageSigner.Rejection.values()) {
            counters.put(
                    reason,
                    Counter.builder("picam.cluster.messages.rejected")
                            .tag("reason", reason.tag)
                            .description(
                                    "Messages from Redis dropped: unsigned, signed with another key or for another channel, or too old")
                            .register(metrics));
        }
        this.clock = clock;
    }

    void count(String channel, MessageSigner.Rejection reason) {
        counters.get(reason).increment();
        long more = unreported.incrementAndGet() - 1;
        long now = clock.getAsLong();
        long due = nextWarning.get();
        if (now >= due && nextWarning.compareAndSet(due, now + WARN_EVERY_MILLIS)) {
            unreported.addAndGet(-(more + 1));
            LOG.warnf(
                    "Dropped a message on %s from Redis (%s)%s; is another instance using a different "
                            + "QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY, or is someone else publishing to this Redis?",
                    channel, reason.tag, more > 0 ? " and " + more + " more since the last warning" : "");
        }
    }
}
