package io.picam.relay.recording;

import io.picam.relay.config.RelayConfig;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Response;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Lets one relay instance at a time run recording retention: {@code SET key me NX PX interval} in the shared Redis,
 * which expires by itself, so a crashed holder never blocks the others for longer than one interval. Without Redis
 * there is one instance and the lock is always granted. Blocking; called on a worker thread.
 */
@ApplicationScoped
public class RetentionLock {

    private static final Logger LOG = Logger.getLogger(RetentionLock.class);
    static final String KEY = "picam:recording:retention";

    private final String me = UUID.randomUUID().toString();
    private final Redis redis; // null: one instance

    public RetentionLock(RelayConfig config, Vertx vertx) {
        var url = config.redis().url().filter(u -> !u.isBlank());
        if (url.isEmpty()) {
            redis = null;
            return;
        }
        RedisOptions options = new RedisOptions().setConnectionString(url.get());
        options.getNetClientOptions().setConnectTimeout(5000).setSsl(url.get().startsWith("rediss:"));
        if (!config.redis().tlsVerify()) {
            options.getNetClientOptions().setTrustAll(true).setHostnameVerificationAlgorithm("");
        }
        redis = Redis.createClient(vertx, options);
    }

    /** True when this instance may run now (and holds the lock for {@code lease}). */
    public boolean tryAcquire(Duration lease) {
        if (redis == null) {
            return true;
        }
        try {
            Response answer = RedisAPI.api(redis)
                    .set(List.of(KEY, me, "NX", "PX", String.valueOf(Math.max(1000, lease.toMillis() - 1000))))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
            return answer != null && "OK".equals(answer.toString());
        } catch (Exception e) {
            LOG.infof("Recording retention lock not taken (Redis: %s); skipping this run", e.toString());
            return false;
        }
    }

    @PreDestroy
    void close() {
        if (redis != null) {
            redis.close();
        }
    }
}
