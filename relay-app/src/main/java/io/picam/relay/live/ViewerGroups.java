package io.picam.relay.live;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A hub's viewers grouped by the event loop that owns their connection. Delivering to a group is one task
 * on that loop, which then writes to each of its viewers, instead of one cross-thread hand-off per viewer
 * and message; and a viewer's state is only ever touched on its own loop. Guarded by the hub's lock; each
 * task works on the array as it was when the task was made, so a viewer who joins later is not handed
 * bytes it already got from the join-point cache.
 */
final class ViewerGroups {

    private static final Viewer[] NONE = new Viewer[0];
    private final Map<Context, Viewer[]> groups = new HashMap<>();
    // tasks made for a loop and not yet run there: while any is, a delivery on that loop queues behind it
    private final Map<Context, AtomicInteger> queued = new HashMap<>();

    void add(Viewer viewer) {
        groups.merge(viewer.context(), new Viewer[] {viewer}, (a, b) -> {
            Viewer[] c = Arrays.copyOf(a, a.length + 1);
            c[a.length] = b[0];
            return c;
        });
    }

    void remove(Viewer viewer) {
        Viewer[] current = groups.getOrDefault(viewer.context(), NONE);
        Viewer[] kept = Arrays.stream(current).filter(v -> v != viewer).toArray(Viewer[]::new);
        if (kept.length == 0) {
            groups.remove(viewer.context());
        } else if (kept.length != current.length) {
            groups.put(viewer.context(), kept);
        }
    }

    /**
     * Runs the action for every viewer on its own event loop; in order with earlier calls. Each viewer's channel is
     * flushed once after the whole group had its turn: one system call per socket and pass, however many frames.
     */
    void forEach(Consumer<Viewer> action) {
        Context current = Vertx.currentContext();
        Context here = current == null ? null : ((ContextInternal) current).unwrap();
        for (Map.Entry<Context, Viewer[]> group : groups.entrySet()) {
            Viewer[] snapshot = group.getValue();
            Context context = group.getKey();
            AtomicInteger waiting = queued.computeIfAbsent(context, c -> new AtomicInteger());
            if (context == here && waiting.get() == 0) {
                // already on that loop and nothing for it still queued: deliver in place, saving a task
                deliver(snapshot, action);
            } else {
                waiting.incrementAndGet();
                context.runOnContext(v -> {
                    try {
                        deliver(snapshot, action);
                    } finally {
                        waiting.decrementAndGet();
                    }
                });
            }
        }
    }

    private static void deliver(Viewer[] group, Consumer<Viewer> action) {
        for (Viewer viewer : group) {
            action.accept(viewer);
        }
        for (Viewer viewer : group) {
            viewer.flush();
        }
    }
}
