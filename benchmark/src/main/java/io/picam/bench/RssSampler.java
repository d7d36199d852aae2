package io.picam.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** A process's resident memory, sampled four times a second: the peak, and the mean of the window's last third. */
final class RssSampler {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<Double> samples = new ArrayList<>();

    RssSampler(long pid) {
        timer.scheduleAtFixedRate(
                () -> {
                    double mb = ProcessStats.rssMb(pid);
                    synchronized (samples) {
                        samples.add(mb);
                    }
                },
                0,
                250,
                TimeUnit.MILLISECONDS);
    }

    void stop() throws InterruptedException {
        timer.shutdown();
        timer.awaitTermination(5, TimeUnit.SECONDS);
    }

    double peakMb() {
        synchronized (samples) {
            return samples.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        }
    }

    /** Once the heap has grown to what the load needs: the mean over the last third of the window. */
    double steadyMb() {
        synchronized (samples) {
            return samples.subList(samples.size() * 2 / 3, samples.size()).stream()
                    .mapToDouble(Double::doubleValue)
                    .average()
                    .orElse(0);
        }
    }
}
