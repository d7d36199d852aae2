package io.picam.bench;

import java.io.IOException;
import java.util.stream.DoubleStream;

/** The relay's recording figures at /q/metrics (Prometheus text, summed over streams). */
record RelayMetrics(
        double segments,
        double bytes,
        double uploads,
        double uploadSeconds,
        double uploadMaxSeconds,
        double failures,
        double gaps,
        double dropped) {

    static RelayMetrics read(PicamRelay relay) throws IOException, InterruptedException {
        var answer = relay.get("/q/metrics");
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("/q/metrics answered " + answer.statusCode());
        }
        String text = answer.body();
        return new RelayMetrics(
                sum(text, "picam_recording_segments_total"),
                sum(text, "picam_recording_bytes_total"),
                sum(text, "picam_recording_upload_seconds_count"),
                sum(text, "picam_recording_upload_seconds_sum"),
                max(text, "picam_recording_upload_seconds_max"),
                sum(text, "picam_recording_failures_total"),
                sum(text, "picam_recording_gaps_total"),
                sum(text, "picam_recording_dropped_segments_total"));
    }

    /** What happened between {@code before} and this reading; the max is the relay's recent maximum. */
    RelayMetrics minus(RelayMetrics before) {
        return new RelayMetrics(
                segments - before.segments,
                bytes - before.bytes,
                uploads - before.uploads,
                uploadSeconds - before.uploadSeconds,
                uploadMaxSeconds,
                failures - before.failures,
                gaps - before.gaps,
                dropped - before.dropped);
    }

    double uploadMeanMs() {
        return uploads == 0 ? Double.NaN : uploadSeconds / uploads * 1000;
    }

    /** The values of every series of the metric (any labels), summed. */
    private static double sum(String text, String name) {
        return values(text, name).sum();
    }

    private static double max(String text, String name) {
        return values(text, name).max().orElse(0);
    }

    private static DoubleStream values(String text, String name) {
        return text.lines()
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
    }
}
