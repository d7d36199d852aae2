package io.picam.relay.cluster;

import io.picam.relay.security.LoginBlocked;
import io.picam.relay.security.LoginCounter;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import jakarta.enterprise.event.Event;
import java.time.Duration;
import java.util.List;

/**
 * Failed logins summed over every instance in Redis ({@code picam:login:<key>}, expiring with the window), on
 * the cluster's commands connection. While Redis is away nothing is counted: each instance's own limits still hold.
 */
final class RedisLoginCounter implements LoginCounter {

    static final String LOGIN = "picam:login:";

    private final RedisLinks links;
    private final Event<LoginBlocked> blocked;

    RedisLoginCounter(RedisLinks links, Event<LoginBlocked> blocked) {
        this.links = links;
        this.blocked = blocked;
    }

    @Override
    public void failed(String key, int limit, Duration window) {
        RedisConnection c = links.commands();
        if (c == null) {
            return;
        }
        String counter = LOGIN + key;
        c.batch(List.of(
                        Request.cmd(Command.INCR).arg(counter),
                        Request.cmd(Command.PEXPIRE).arg(counter).arg(window.toMillis())))
                .onSuccess(replies -> {
                    if (replies.get(0) != null && replies.get(0).toLong() >= limit) {
                        // the guard here observes it, and ClusterEvents tells the other instances
                        blocked.fire(new LoginBlocked(key, System.currentTimeMillis() + window.toMillis(), false));
                    }
                });
    }

    @Override
    public void succeeded(String key) {
        RedisConnection c = links.commands();
        if (c != null) {
            c.send(Request.cmd(Command.DEL).arg(LOGIN + key));
        }
    }
}
