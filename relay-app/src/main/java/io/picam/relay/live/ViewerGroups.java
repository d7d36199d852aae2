package io.picam.relay.live;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A hub's viewers grouped by the event loop that owns their connection. Delivering to a group is one task
 * on that loop, which then writes to each of its viewers, instead of one cross-thread hand-off per viewer
 * and message; and a viewer's state is only ever touched on its own loop. Guarded by the hub's lock; each
 * delivery works on the array as it was when it was asked for, so a viewer who joins later is not handed
 * bytes it already got from the join-point cache.
 *
 * <p>Deliveries asked for while a loop's task is still waiting to run join that task instead of making one each:
 * when a loop falls behind (thousands of viewers, a busy moment), it catches up in one pass that writes all of
 * them and then flushes each socket once, one system call per socket for several frames. When it keeps up, every
 * frame goes out on its own at once: batching only ever happens when frames were waiting anyway.
 */
final class ViewerGroups {

    private static final Viewer[] NONE = new Viewer[0];
    private final Map<Context, Viewer[]> groups = new HashMap<>();
    private final Map<Context, Pass> passes = new HashMap<>();

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
            Context context = group.getKey();
            Pass pass = passes.computeIfAbsent(context, Pass::new);
            if (context != here || !pass.deliverInPlace(group.getValue(), action)) {
                pass.add(group.getValue(), action);
            }
        }
    }

    /** One action for the viewers of one loop as they were when it was asked for. */
    private record Delivery(Viewer[] viewers, Consumer<Viewer> action) {}

    /** What waits for one event loop: at most one task there at a time, carrying every delivery asked for meanwhile. */
    private static final class Pass implements Handler<Void> {
        private final Context context;
        private final ArrayDeque<Delivery> waiting = new ArrayDeque<>(); // guarded by this
        private boolean scheduled; // guarded by this: a task is queued on the loop, or running

        Pass(Context context) {
            this.context = context;
        }

        /** On the loop itself with nothing of this hub waiting there: writes now and answers true. */
        boolean deliverInPlace(Viewer[] viewers, Consumer<Viewer> action) {
            synchronized (this) {
                if (scheduled) {
                    return false; // queued deliveries first: this one joins them
                }
            }
            deliver(List.of(new Delivery(viewers, action)));
            return true;
        }

        void add(Viewer[] viewers, Consumer<Viewer> action) {
            boolean schedule;
            synchronized (this) {
                waiting.add(new Delivery(viewers, action));
                schedule = !scheduled;
                scheduled = true;
            }
            if (schedule) {
                context.runOnContext(this);
            }
        }

        private static void offerAll(Delivery delivery) {
            for (Viewer viewer : delivery.viewers()) {
                delivery.action().accept(viewer);
            }
        }

        @Override
        public void handle(Void ignored) {
            List<Delivery> batch;
            synchronized (this) {
                batch = new ArrayList<>(waiting);
                waiting.clear();
            }
            try {
                deliver(batch);
            } finally {
                boolean again;
                synchronized (this) {
                    again = !waiting.isEmpty(); // asked for while this pass ran: the next task, after what else waits
                    scheduled = again;
                }
                if (again) {
                    context.runOnContext(this);
                }
            }
        }

        private static void deliver(List<Delivery> batch) {
            if (batch.size() == 1) {
                offerAll(batch.get(0)); // one frame per socket: straight to the sockets that keep up
            } else {
                // several frames per socket: into Netty's queues, to leave in one gathering write per socket below
                MediaFrameWriter.gathering(() -> batch.forEach(Pass::offerAll));
            }
            for (Delivery delivery : batch) {
                for (Viewer viewer : delivery.viewers()) {
                    viewer.flush(); // nothing to do for one flushed already in this pass
                }
            }
        }
    }
}
