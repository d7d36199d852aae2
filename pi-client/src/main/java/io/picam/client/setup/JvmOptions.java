package io.picam.client.setup;

/**
 * The JVM options the client runs with, in the {@code picam} launcher and in the systemd unit: a small JVM for a
 * 512 MB Pi (docs/BENCHMARKS.md, "The Pi client", has the numbers). Serial GC (one collector thread, no concurrent
 * structures); a heap that starts at 8 MB with a 2 MB young generation, so the pages that allocation touches stay
 * few, and may grow to 32 MB for a large keyframe; C1 only (C2's compiler thread and its memory buy nothing at
 * 2 Mb/s); small code cache, metaspace, thread stacks and direct memory; no perf-data file (jcmd still attaches); freed
 * metaspace and malloc'd memory given back to the system (what boot and the compiler used; TrimNativeHeapInterval
 * exists from Java 17.0.9, IgnoreUnrecognizedVMOptions lets an older 17 start without it).
 * {@code src/main/sh/picam} holds the same string, which a test checks.
 */
public final class JvmOptions {

    public static final String DEFAULTS = "-XX:+UseSerialGC -Xms8m -Xmx32m -Xmn2m -XX:TieredStopAtLevel=1"
            + " -XX:CICompilerCount=1 -XX:ReservedCodeCacheSize=16m -XX:MaxMetaspaceSize=48m -Xss256k"
            + " -XX:MaxDirectMemorySize=8m -XX:-UsePerfData -XX:MetaspaceReclaimPolicy=aggressive"
            + " -XX:+IgnoreUnrecognizedVMOptions -XX:TrimNativeHeapInterval=5000";

    /** Class data sharing without a line in the journal when the archive is missing or stale. */
    public static final String QUIET_CDS = "-Xlog:cds=off -Xlog:cds+dynamic=off";

    /** The class data archive beside the jar, which the launcher makes on the Pi (see src/main/sh/picam). */
    public static final String ARCHIVE = "picam.jsa";

    /** glibc's malloc would otherwise give each thread an arena of its own. */
    public static final String MALLOC_ARENA_MAX = "2";

    private JvmOptions() {}
}
