package io.picam.relay.ops;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import org.jboss.logging.Logger;

/**
 * Gives the start-up's garbage back to the operating system, once. Flyway, Hibernate's boot and the first requests
 * leave 30–50 MB of dead objects in the old generation, and the serial collector of the Procfile only shrinks the
 * heap after a full collection, which a relay that allocates little may not see for days. One full collection
 * 45 s after start-up lets {@code -XX:MaxHeapFreeRatio} take the heap down to what is live: about 27 MB less
 * resident memory on a 512 MB dyno (docs/BENCHMARKS.md, "Memory"). {@code -XX:+DisableExplicitGC} turns it off.
 */
@ApplicationScoped
public class StartupHeap {

    private static final Logger LOG = Logger.getLogger(StartupHeap.class);
    // after the first runs of the jobs that start 20 and 30 s after start-up (recording and audit retention), whose
    // garbage would otherwise fill the old generation this collection sizes, and bring a second full collection,
    // a 120-150 ms pause for every viewer at 1000 of them, within the first minute (docs/BENCHMARKS.md)
    static final long AFTER_START_MILLIS = 45_000;

    void onStart(@Observes StartupEvent event, Vertx vertx) {
        vertx.setTimer(
                AFTER_START_MILLIS,
                id -> vertx.executeBlocking(
                        () -> {
                            collect();
                            return null;
                        },
                        false));
    }

    static void collect() {
        long before = committed();
        System.gc();
        LOG.debugf("Heap after start-up: %d MB committed, %d MB after one full collection", before, committed());
    }

    private static long committed() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return heap.getCommitted() >> 20;
    }
}
