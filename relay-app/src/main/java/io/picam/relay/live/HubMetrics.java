package io.picam.relay.live;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Collection;
import java.util.function.Supplier;

/**
 * The hubs' figures at {@code /q/metrics}. Everything is read from the hubs' own counters when scraped, so
 * the media path pays nothing for it; per-stream series are cheap because streams are few (an admin makes
 * each one) and are removed with their stream.
 */
final class HubMetrics {

    private static final String STREAM = "stream";

    private final MeterRegistry registry;
    private final Counter stalledViewers;

    /** {@code hubs} is held strongly: a gauge alone keeps only a weak reference, and a lambda would be collected. */
    HubMetrics(MeterRegistry registry, Supplier<Collection<StreamHub>> hubs) {
        this.registry = registry;
        Gauge.builder(
                        "picam.publishers",
                        hubs,
                        h -> h.get().stream().filter(StreamHub::publishedHere).count())
                .description("Streams with a publisher connected to this instance")
                .strongReference(true)
                .register(registry);
        Gauge.builder(
                        "picam.viewers.all",
                        hubs,
                        h -> h.get().stream().mapToInt(StreamHub::viewerCount).sum())
                .description("Open viewer WebSockets, all streams")
                .strongReference(true)
                .register(registry);
        stalledViewers = Counter.builder("picam.viewers.stalled")
                .description("Viewers closed because their queue did not drain for the stall timeout")
                .register(registry);
    }

    void add(StreamHub hub) {
        Tags tags = Tags.of(STREAM, hub.streamId());
        Gauge.builder("picam.stream.live", hub, h -> h.live() ? 1 : 0)
                .tags(tags)
                .description("1 while the stream has a publisher")
                .register(registry);
        Gauge.builder("picam.viewers", hub, StreamHub::viewerCount)
                .tags(tags)
                .description("Open viewer WebSockets of the stream")
                .register(registry);
        FunctionCounter.builder("picam.ingest.bytes", hub, StreamHub::bytesIn)
                .tags(tags)
                .baseUnit("bytes")
                .description("Media bytes received from publishers")
                .register(registry);
        FunctionCounter.builder("picam.delivered.bytes", hub, StreamHub::bytesOut)
                .tags(tags)
                .baseUnit("bytes")
                .description("Media bytes handed to viewers' sockets")
                .register(registry);
        FunctionCounter.builder("picam.skipped.segments", hub, StreamHub::skippedSegments)
                .tags(tags)
                .description("Segments slow viewers skipped to catch up at the next join point")
                .register(registry);
        FunctionCounter.builder("picam.publisher.connects", hub, StreamHub::publisherConnects)
                .tags(tags)
                .description("Publisher connections that took over the stream (reconnects included)")
                .register(registry);
        FunctionCounter.builder("picam.viewer.joins", hub, StreamHub::viewerJoins)
                .tags(tags)
                .description("Viewer WebSockets opened")
                .register(registry);
    }

    /** The connection limits and the budget of bytes held for viewers, relay-wide. */
    void watch(ViewerLimits limits, HeldBytesBudget budget) {
        for (ViewerLimits.Refusal refusal : ViewerLimits.Refusal.values()) {
            FunctionCounter.builder("picam.viewers.refused", limits, l -> l.refused(refusal))
                    .tag("reason", refusal.tag)
                    .description(
                            "Viewer upgrades refused: the user's sockets (429) or this relay's (503) at their limit")
                    .register(registry);
        }
        Gauge.builder("picam.viewers.held", budget, HeldBytesBudget::held)
                .baseUnit("bytes")
                .strongReference(true)
                .description("Bytes handed to viewers' sockets and not yet written, all viewers")
                .register(registry);
        FunctionCounter.builder("picam.viewers.budget.skips", budget, HeldBytesBudget::skips)
                .description("Viewers made to skip to the next join point because the held-bytes budget was spent")
                .register(registry);
        FunctionCounter.builder("picam.viewers.budget.closes", budget, HeldBytesBudget::closes)
                .description("Viewers closed because their bytes did not drain while the held-bytes budget was spent")
                .register(registry);
    }

    void remove(String streamId) {
        for (Meter meter : registry.getMeters()) {
            if (streamId.equals(meter.getId().getTag(STREAM))) {
                registry.remove(meter);
            }
        }
    }

    void viewerStalled() {
        stalledViewers.increment();
    }
}
