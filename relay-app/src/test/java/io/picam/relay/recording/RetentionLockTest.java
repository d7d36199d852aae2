package io.picam.relay.recording;

import static org.assertj.core.api.Assertions.assertThat;

import io.picam.relay.config.RelayConfig;
import io.picam.relay.it.RedisServer;
import io.vertx.core.Vertx;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** One instance at a time runs retention: a lease in a real Redis, which expires by itself; without Redis, always. */
class RetentionLockTest {

    private static RelayConfig withRedis(String url) {
        RelayConfig.Redis redis = (RelayConfig.Redis) Proxy.newProxyInstance(
                RelayConfig.class.getClassLoader(),
                new Class<?>[] {RelayConfig.Redis.class},
                (proxy, method, args) -> method.getName().equals("url") ? Optional.ofNullable(url) : Boolean.TRUE);
        return (RelayConfig) Proxy.newProxyInstance(
                RelayConfig.class.getClassLoader(), new Class<?>[] {RelayConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("redis")) {
                        return redis;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void twoInstancesNeverHoldTheLeaseAtOnceAndItExpiresByItself() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (RedisServer redis = new RedisServer()) {
            redis.start();
            RetentionLock one = new RetentionLock(withRedis(redis.url()), vertx);
            RetentionLock two = new RetentionLock(withRedis(redis.url()), vertx);
            assertThat(one.tryAcquire(Duration.ofSeconds(3))).isTrue();
            assertThat(two.tryAcquire(Duration.ofSeconds(3))).isFalse();
            assertThat(one.tryAcquire(Duration.ofSeconds(3)))
                    .as("not twice in one interval, even by the holder")
                    .isFalse();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> two.tryAcquire(Duration.ofSeconds(3)));
            one.close();
            two.close();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    @Test
    void withoutRedisTheOneInstanceAlwaysRuns() {
        RetentionLock alone = new RetentionLock(withRedis(null), null);
        assertThat(alone.tryAcquire(Duration.ofMinutes(5))).isTrue();
        assertThat(alone.tryAcquire(Duration.ofMinutes(5))).isTrue();
    }

    @Test
    void redisAwayMeansThisRunIsSkipped() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            RetentionLock lock = new RetentionLock(withRedis("redis://127.0.0.1:1"), vertx);
            assertThat(lock.tryAcquire(Duration.ofMinutes(5))).isFalse();
            lock.close();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }
}
