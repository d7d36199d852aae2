package io.picam.bench;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** One measured run: a relay, a paced publisher, N viewers (some stalled), late joiners every second. */
final class Scenario {

    record Result(
            String target,
            long bitrate,
            int viewers,
            double stalled,
            double deliveredPercent,
            double p50,
            double p99,
            double max,
            double cpuSeconds,
            double peakRssMb,
            double lateJoinP50,
            double lateJoinMax,
            int lateJoinsNotDecodable) {}

    // seconds between the publisher's start and the measured window; FanoutBenchmark's --warmup sets it
    private static int warmupSeconds = 5;

    private Scenario() {}

    static void warmup(int seconds) {
        warmupSeconds = seconds;
    }

    static int warmupSeconds() {
        return warmupSeconds;
    }

    private static double cpuSeconds(RelayUnderTest relay) {
        return relay.pids().stream().mapToDouble(ProcessStats::cpuSeconds).sum();
    }

    static Result run(
            RelayUnderTest relay,
            byte[] clip,
            long bitrate,
            int viewerCount,
            double stalled,
            int seconds,
            boolean checkJoinPoints)
            throws Exception {
        Vertx clients = Vertx.vertx();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        AtomicLong peakRssKb = new AtomicLong();
        sampler.scheduleAtFixedRate(
                () -> peakRssKb.accumulateAndGet(
                        (long) (relay.pids().stream()
                                        .mapToDouble(ProcessStats::rssMb)
                                        .sum()
                                * 1024),
                        Math::max),
                0,
                100,
                TimeUnit.MILLISECONDS);
        try {
            WriteLog log = new WriteLog((warmupSeconds + seconds + 30) * 60);
            LatencyHistogram latency = new LatencyHistogram();
            long[] measureFrom = {Long.MAX_VALUE};
            ViewerFleet fleet = new ViewerFleet(clients, relay);
            long startOffset = relay.viewerStartOffset(clip);
            fleet.connect(viewerCount, stalled, startOffset, log, latency, measureFrom);

            Publisher publisher = new Publisher(clients, clip, bitrate, log);
            publisher.start(relay);
            Thread.sleep(warmupSeconds * 1000L);
            double cpuStart = cpuSeconds(relay);
            measureFrom[0] = System.nanoTime();
            List<Double> lateJoins = new ArrayList<>();
            int notDecodable = 0;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < end) {
                long next = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                double ms = fleet.lateJoin(checkJoinPoints);
                if (ms < 0) {
                    notDecodable++;
                }
                lateJoins.add(Math.abs(ms));
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
            double cpu = cpuSeconds(relay) - cpuStart;
            publisher.stop();

            long expected = log.bytes() - startOffset;
            long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < drainDeadline
                    && fleet.healthy().stream().anyMatch(v -> v.received.get() < expected)) {
                Thread.sleep(100);
            }
            long worst = fleet.healthy().stream()
                    .mapToLong(v -> v.received.get())
                    .min()
                    .orElse(0);
            fleet.close();
            if (Boolean.getBoolean("bench.timeline")) {
                System.out.print(relay.name() + " latency per second of the window:\n" + latency.timeline());
            }
            Collections.sort(lateJoins);
            return new Result(
                    relay.name(),
                    bitrate,
                    viewerCount,
                    stalled,
                    100.0 * worst / expected,
                    latency.percentileMillis(0.50),
                    latency.percentileMillis(0.99),
                    latency.maxMillis(),
                    cpu,
                    peakRssKb.get() / 1024.0,
                    lateJoins.isEmpty() ? Double.NaN : lateJoins.get(lateJoins.size() / 2),
                    lateJoins.isEmpty() ? Double.NaN : lateJoins.get(lateJoins.size() - 1),
                    notDecodable);
        } finally {
            sampler.shutdownNow();
            clients.close(); // not awaited: paused sockets may take their time to go
        }
    }
}
