package io.picam.bench;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** The recording benchmark's results as Markdown: recording off against on, then the time to a first frame. */
final class RecordingReport {

    private RecordingReport() {}

    static String table(List<RecordingBenchmark.Side> sides, int streams, double clipMbps, int seconds, String jvm) {
        RecordingBenchmark.Side off = sides.get(0);
        RecordingBenchmark.Side on = sides.get(1);
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "%n%d fMP4 streams at %.2f Mb/s each (ffmpeg, H.264 720p25, a keyframe every 2 s) into one relay (%s),"
                        + " S3Proxy as the store, %d s measured per side after the warm-up; load generator niced.%n%n",
                streams,
                clipMbps,
                jvm,
                seconds));
        out.append("| | recording off | recording on | on − off |\n|---|---|---|---|\n");
        row(out, "relay CPU s (share of one core)", off, on, s -> s.cpuSeconds(), seconds, true);
        row(out, "relay peak RSS MB", off, on, s -> s.peakRssMb(), 0, false);
        row(out, "relay steady RSS MB (last third)", off, on, s -> s.steadyRssMb(), 0, false);
        row(out, "S3Proxy CPU s", off, on, s -> s.storeCpuSeconds(), seconds, true);
        out.append(String.format(
                Locale.ROOT,
                "| segments stored (relay's count) | %.0f | %.0f | |%n",
                off.window().segments(),
                on.window().segments()));
        out.append(String.format(
                Locale.ROOT,
                "| MB stored (relay's count) | %.1f | %.1f | |%n",
                off.window().bytes() / 1e6,
                on.window().bytes() / 1e6));
        out.append(String.format(
                Locale.ROOT,
                "| objects / MB on S3Proxy's disk (whole run) | %d / %.1f | %d / %.1f | |%n",
                off.storedOnDisk()[0],
                off.storedOnDisk()[1] / 1e6,
                on.storedOnDisk()[0],
                on.storedOnDisk()[1] / 1e6));
        out.append(String.format(
                Locale.ROOT,
                "| upload (object + row) mean / max ms | – | %.0f / %.0f | |%n",
                on.window().uploadMeanMs(),
                on.window().uploadMaxSeconds() * 1000));
        out.append(String.format(
                Locale.ROOT,
                "| failed attempts / gaps / dropped | %.0f / %.0f / %.0f | %.0f / %.0f / %.0f | |%n",
                off.window().failures(),
                off.window().gaps(),
                off.window().dropped(),
                on.window().failures(),
                on.window().gaps(),
                on.window().dropped()));
        out.append(String.format(
                Locale.ROOT, "| publishers still up | %d | %d | |%n", off.publishersUp(), on.publishersUp()));
        List<FirstFrame.Timing> t = on.firstFrames();
        out.append(String.format(
                Locale.ROOT,
                "%nTime from choosing a moment in the past to its first frame, %d moments spread over what was"
                        + " recorded, asked while the %d cameras went on publishing and recording: list the day's spans"
                        + " and segments (together, as the page does), then the segment holding the moment until its"
                        + " init segment and first fragment are in hand.%n%n",
                t.size(),
                streams));
        out.append("| ms | p50 | p90 | max |\n|---|---|---|---|\n");
        timing(out, "list spans + segments", t, FirstFrame.Timing::listMs);
        timing(out, "first frame (init + first fragment)", t, FirstFrame.Timing::firstFrameMs);
        timing(out, "whole segment", t, FirstFrame.Timing::wholeSegmentMs);
        return out.toString();
    }

    /** One line for the console after each side. */
    static String summary(RecordingBenchmark.Side s, int seconds) {
        return String.format(
                Locale.ROOT,
                "recording %s: CPU %.1f s (%.0f%% of a core), RSS peak %.0f / steady %.0f MB, %.0f segments,"
                        + " %.1f MB, upload mean %.0f ms, %d publishers up",
                s.recorded() ? "on" : "off",
                s.cpuSeconds(),
                s.cpuSeconds() / seconds * 100,
                s.peakRssMb(),
                s.steadyRssMb(),
                s.window().segments(),
                s.window().bytes() / 1e6,
                s.window().uploadMeanMs(),
                s.publishersUp());
    }

    private static void row(
            StringBuilder out,
            String label,
            RecordingBenchmark.Side off,
            RecordingBenchmark.Side on,
            ToDoubleFunction<RecordingBenchmark.Side> value,
            int seconds,
            boolean cpu) {
        double a = value.applyAsDouble(off);
        double b = value.applyAsDouble(on);
        if (cpu) {
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %.1f (%.0f%%) | %.1f (%.0f%%) | %+.1f (%+.0f%%) |%n",
                    label,
                    a,
                    a / seconds * 100,
                    b,
                    b / seconds * 100,
                    b - a,
                    (b - a) / seconds * 100));
        } else {
            out.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %+.0f |%n", label, a, b, b - a));
        }
    }

    private static void timing(
            StringBuilder out, String label, List<FirstFrame.Timing> timings, ToDoubleFunction<FirstFrame.Timing> f) {
        double[] sorted = timings.stream().mapToDouble(f).sorted().toArray();
        if (sorted.length == 0) {
            return;
        }
        out.append(String.format(
                Locale.ROOT,
                "| %s | %.0f | %.0f | %.0f |%n",
                label,
                sorted[(sorted.length - 1) / 2],
                sorted[(int) Math.ceil(sorted.length * 0.9) - 1],
                sorted[sorted.length - 1]));
    }
}
