package io.picam.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Two picam instances on one PostgreSQL and one Redis, as two Heroku web dynos: the camera publishes to A, the
 * viewers connect to A ({@code crossInstance} false: the cluster is set up but idle) or to B (every byte takes
 * the hop through Redis). CPU and memory are both instances' and Redis' together.
 */
final class RelayPair implements RelayUnderTest {

    private final PicamRelay a;
    private final PicamRelay b;
    private final boolean crossInstance;
    private final long redisPid;

    RelayPair(Path jar, String jvmOptions, String databaseUrl, String redisUrl, long redisPid, boolean crossInstance)
            throws IOException, InterruptedException {
        String password = UUID.randomUUID().toString();
        Map<String, String> env = Map.of(
                "DATABASE_URL",
                databaseUrl,
                "REDIS_URL",
                redisUrl,
                "QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY",
                "bench-session-key-" + password);
        a = new PicamRelay(jar, jvmOptions, Bench.freePort(), env, password, null);
        PicamRelay started = null;
        try {
            started = new PicamRelay(jar, jvmOptions, Bench.freePort(), env, password, a);
        } finally {
            if (started == null) {
                a.close();
            }
        }
        b = started;
        this.crossInstance = crossInstance;
        this.redisPid = redisPid;
    }

    @Override
    public String name() {
        return crossInstance ? "picam A→Redis→B" : "picam A (cluster idle)";
    }

    @Override
    public int port() {
        return a.port();
    }

    @Override
    public int viewerPort() {
        return crossInstance ? b.port() : a.port();
    }

    @Override
    public String streamId() {
        return a.streamId();
    }

    @Override
    public String secret() {
        return a.secret();
    }

    @Override
    public String cookie() {
        return a.cookie();
    }

    @Override
    public long pid() {
        return a.pid();
    }

    @Override
    public List<Long> pids() {
        return List.of(a.pid(), b.pid(), redisPid);
    }

    @Override
    public int viewerStartOffset(byte[] published) {
        return a.viewerStartOffset(published);
    }

    @Override
    public void close() {
        b.close();
        a.close();
    }
}
