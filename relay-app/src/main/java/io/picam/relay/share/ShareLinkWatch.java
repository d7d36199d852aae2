package io.picam.relay.share;

import io.picam.relay.live.HubRegistry;
import io.quarkus.runtime.Startup;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Once a second, the share links with sockets open on this instance are checked against the database (one query,
 * only while there are any): one revoked or expired meanwhile ends here ({@link ShareLinkEnded}) even if its
 * revocation never reached this instance, and an expiry written by hand (or a clock far off) counts too. The
 * sockets' own expiry instant is enforced besides, by the hub housekeeping.
 */
@Startup // nothing injects it: it must start by itself
@ApplicationScoped
public class ShareLinkWatch {

    private static final Logger LOG = Logger.getLogger(ShareLinkWatch.class);

    private final Vertx vertx;
    private final HubRegistry hubs;
    private final ShareLinks links;
    private final Event<ShareLinkEnded> ended;
    private final AtomicBoolean running = new AtomicBoolean();
    private long timerId = -1;

    public ShareLinkWatch(Vertx vertx, HubRegistry hubs, ShareLinks links, Event<ShareLinkEnded> ended) {
        this.vertx = vertx;
        this.hubs = hubs;
        this.links = links;
        this.ended = ended;
    }

    @PostConstruct
    void start() {
        timerId = vertx.setPeriodic(1000, id -> {
            Set<Long> open = hubs.openShareLinks();
            if (open.isEmpty() || !running.compareAndSet(false, true)) {
                return; // nothing to check, or the last check is still waiting for the database
            }
            vertx.executeBlocking(
                            () -> {
                                check(new ArrayList<>(open));
                                return null;
                            },
                            false)
                    .onComplete(done -> running.set(false));
        });
    }

    @PreDestroy
    void stop() {
        vertx.cancelTimer(timerId);
    }

    void check(List<Long> open) {
        try {
            List<Long> gone = links.endedAmong(open);
            if (!gone.isEmpty()) {
                // every instance finds this itself: nothing for the cluster to carry (remote)
                ended.fire(new ShareLinkEnded(new HashSet<>(gone), true));
            }
        } catch (RuntimeException e) {
            LOG.debugf("Share links not checked now (%s); again in a second", e.toString());
        }
    }
}
