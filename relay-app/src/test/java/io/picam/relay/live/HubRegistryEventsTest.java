package io.picam.relay.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.picam.relay.account.AccessChanged;
import io.picam.relay.config.RelayConfig;
import io.picam.relay.stream.SecretRotated;
import io.picam.relay.stream.StreamAccess;
import io.picam.relay.stream.StreamAccess.StreamRef;
import io.picam.relay.stream.StreamDeleted;
import io.picam.relay.stream.StreamFormat;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.Vertx;
import java.lang.reflect.Proxy;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** HubRegistry's observers of changes of rights, against fake publishers and a fake StreamAccess: no Quarkus. */
class HubRegistryEventsTest {

    private final Vertx vertx = Vertx.vertx();
    private final HubRegistry registry =
            new HubRegistry(config(), vertx, new SimpleMeterRegistry(), NoCluster.INSTANCE, new ViewerLimits(10, 100));

    /** A publisher that remembers how it was told to stop. */
    static final class FakePublisher implements PublisherHandle {
        final List<String> told = new ArrayList<>();

        @Override
        public void replaced() {
            told.add("replaced");
        }

        @Override
        public void disconnect(int status, String reason) {
            told.add(status + " " + reason);
        }
    }

    @AfterEach
    void closeVertx() {
        vertx.close();
    }

    @Test
    void aRotatedSecretCutsThatStreamsPublisherOnly() {
        FakePublisher cam1 = publishing("cam1");
        FakePublisher cam2 = publishing("cam2");

        registry.secretRotated(new SecretRotated("cam1", true));

        assertThat(cam1.told).containsExactly("401 the stream secret was rotated");
        assertThat(cam2.told).isEmpty();
        assertThat(registry.find("cam1"))
                .as("viewers stay for the next publisher")
                .isPresent();
    }

    @Test
    void aDeletedStreamCutsItsPublisherAndItsHubIsForgotten() {
        FakePublisher cam1 = publishing("cam1");

        registry.streamDeleted(StreamDeleted.of("cam1"));
        registry.streamDeleted(StreamDeleted.of("never-seen"));

        assertThat(cam1.told).containsExactly("404 the stream was deleted");
        assertThat(registry.find("cam1")).isEmpty();
    }

    @Test
    void anAccessChangeReadsTheRightsOnAWorkerNotOnTheCallersThread() {
        publishing("cam1");
        publishing("cam2");
        Map<String, String> askedOn = new ConcurrentHashMap<>();
        StreamAccess access = new StreamAccess() {
            @Override
            public boolean mayWatch(String username, String streamId) {
                askedOn.put(username + " " + streamId, Thread.currentThread().getName());
                return true;
            }
        };

        // the cluster fires remote events on an event loop, and a transaction observer must not start another
        registry.accessChanged(new AccessChanged("lena", true), access);

        await().atMost(Duration.ofSeconds(5)).until(() -> askedOn.size() == 2);
        assertThat(askedOn).containsOnlyKeys("lena cam1", "lena cam2");
        assertThat(askedOn.values())
                .allMatch(
                        thread -> thread.startsWith("vert.x-worker-thread"),
                        "a Vert.x worker, not " + Thread.currentThread().getName());
    }

    private FakePublisher publishing(String streamId) {
        FakePublisher publisher = new FakePublisher();
        registry.hubFor(new StreamRef(streamId, streamId, StreamFormat.MPEGTS)).attach(publisher);
        return publisher;
    }

    /** A RelayConfig whose sizes are the ones the registry reads; nested groups answer from the same table. */
    private static RelayConfig config() {
        Map<String, Object> values = Map.of(
                "heldBudget",
                new MemorySize(BigInteger.valueOf(64L << 20)),
                "joinCacheLimit",
                new MemorySize(BigInteger.valueOf(4L << 20)),
                "queueLimit",
                new MemorySize(BigInteger.valueOf(1L << 20)),
                "stallTimeout",
                Duration.ofSeconds(10));
        return fake(RelayConfig.class, values);
    }

    @SuppressWarnings("unchecked")
    private static <T> T fake(Class<T> type, Map<String, Object> values) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (values.containsKey(method.getName())) {
                return values.get(method.getName());
            }
            if (method.getReturnType().isInterface()) {
                return fake(method.getReturnType(), values);
            }
            throw new UnsupportedOperationException(method.getName());
        });
    }
}
