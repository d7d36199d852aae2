package io.picam.bench;

import java.util.List;
import java.util.Locale;

/** The results as a Markdown table, each picam figure also as a ratio to the baseline's. */
final class Report {

    private static final String HEADER =
            "| target | bitrate | viewers | stalled | delivered | p50 ms | p99 ms | max ms "
                    + "| CPU s | CPU vs baseline | peak RSS MB | late join p50 / max ms |";
    private static final String RULE = "|---|---|---|---|---|---|---|---|---|---|---|---|";

    private Report() {}

    static String table(List<Scenario.Result> results, int gop, int seconds) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "%n%d s measured per run after %d s of warm-up; GOP %d frames at 25 fps.%n%n",
                seconds,
                Scenario.warmupSeconds(),
                gop));
        out.append(HEADER).append('\n').append(RULE).append('\n');
        for (Scenario.Result r : results) {
            out.append(row(r, results)).append('\n');
        }
        return out.toString();
    }

    static String row(Scenario.Result r, List<Scenario.Result> all) {
        Scenario.Result base = all.stream()
                .filter(b -> b.target().equals("baseline")
                        && b.bitrate() == r.bitrate()
                        && b.viewers() == r.viewers()
                        && b.stalled() == r.stalled())
                .findFirst()
                .orElse(null);
        String ratio = base == null || r == base
                ? ""
                : String.format(Locale.ROOT, "%.2fx", r.cpuSeconds() / base.cpuSeconds());
        String late = String.format(
                Locale.ROOT,
                "%.1f / %.1f%s",
                r.lateJoinP50(),
                r.lateJoinMax(),
                r.lateJoinsNotDecodable() > 0 ? " (" + r.lateJoinsNotDecodable() + " not at a join point)" : "");
        return String.format(
                Locale.ROOT,
                "| %s | %.1f Mb/s | %d | %.0f%% | %.1f%% | %.1f | %.1f | %.1f | %.1f | %s | %.0f | %s |",
                r.target(),
                r.bitrate() / 1e6,
                r.viewers(),
                r.stalled() * 100,
                r.deliveredPercent(),
                r.p50(),
                r.p99(),
                r.max(),
                r.cpuSeconds(),
                ratio,
                r.peakRssMb(),
                late);
    }
}
