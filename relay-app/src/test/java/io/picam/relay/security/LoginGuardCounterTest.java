package io.picam.relay.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.picam.relay.config.RelayConfig;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** LoginGuard and its {@link LoginCounter} port, against a fake counter: no Redis, no Quarkus. */
class LoginGuardCounterTest {

    private static final Duration PENALTY = Duration.ofSeconds(60);
    private static final String ADDRESS = "203.0.113.5";

    /** Remembers what the guard told it. */
    static final class FakeCounter implements LoginCounter {
        final List<String> failed = new ArrayList<>();
        final List<String> succeeded = new ArrayList<>();

        @Override
        public void failed(String key, int limit, Duration window) {
            failed.add(key + " " + limit + " " + window.toSeconds());
        }

        @Override
        public void succeeded(String key) {
            succeeded.add(key);
        }
    }

    private final FakeCounter counter = new FakeCounter();
    private final LoginGuard guard = new LoginGuard(config(3, 6, 20), null, null, new SimpleMeterRegistry(), counter);

    @Test
    void eachFailureCountsBeyondThisInstanceUnderItsThreeKeysWithTheirLimits() {
        guard.failed(" Lena ", ADDRESS);
        assertThat(counter.failed)
                .containsExactly("a:" + ADDRESS + " 20 60", "ua:lena|" + ADDRESS + " 3 60", "u:lena 6 60");
    }

    @Test
    void aKeyBlockedByTheCounterIsRefusedHereBeforeAnyFailureHere() {
        guard.blocked(new LoginBlocked("a:" + ADDRESS, System.currentTimeMillis() + 30_000, true));

        LoginGuard.Verdict verdict = guard.before("lena", ADDRESS, () -> true);
        assertThat(verdict).isInstanceOf(LoginGuard.Verdict.Wait.class);
        assertThat(((LoginGuard.Verdict.Wait) verdict).retryAfter())
                .isBetween(Duration.ofSeconds(25), Duration.ofSeconds(30));
        assertThat(guard.before("lena", "198.51.100.1", () -> true))
                .as("another address")
                .isInstanceOf(LoginGuard.Verdict.Go.class);
    }

    @Test
    void aBlockThatHasRunOutRefusesNothing() {
        guard.blocked(new LoginBlocked("a:" + ADDRESS, System.currentTimeMillis() - 1, true));
        assertThat(guard.before("lena", ADDRESS, () -> true)).isInstanceOf(LoginGuard.Verdict.Go.class);
    }

    @Test
    void theUsernameBlockedEverywhereStillLogsInFromAnAddressItKnows() {
        guard.blocked(new LoginBlocked("u:lena", System.currentTimeMillis() + 30_000, true));
        assertThat(guard.before("Lena", ADDRESS, () -> true)).isInstanceOf(LoginGuard.Verdict.Go.class);
        assertThat(guard.before("Lena", ADDRESS, () -> false)).isInstanceOf(LoginGuard.Verdict.Wait.class);
    }

    @Test
    void aSuccessStartsThePairAfreshHereAndInTheCounter() {
        String pair = "ua:lena|" + ADDRESS;
        guard.blocked(new LoginBlocked(pair, System.currentTimeMillis() + 30_000, true));
        assertThat(guard.before("lena", ADDRESS, () -> true)).isInstanceOf(LoginGuard.Verdict.Wait.class);

        guard.succeeded("lena", ADDRESS);

        assertThat(counter.succeeded).containsExactly(pair);
        assertThat(guard.before("lena", ADDRESS, () -> true)).isInstanceOf(LoginGuard.Verdict.Go.class);
    }

    @Test
    void oneAddressGuessingManyUsernamesIsRefusedAtItsLimitWhileOtherAddressesAndTheUsersGoOn() {
        // the Quarkus tests run with a per-address limit of 1000 (they share 127.0.0.1): here it is 20
        for (int i = 0; i < 19; i++) {
            guard.failed("user-" + i, ADDRESS);
        }
        assertThat(guard.before("user-19", ADDRESS, () -> false))
                .as("the 20th attempt")
                .isInstanceOf(LoginGuard.Verdict.Go.class);
        guard.failed("user-19", ADDRESS);

        LoginGuard.Verdict verdict = guard.before("someone-else", ADDRESS, () -> false);
        assertThat(verdict).as("the 21st, for a username never tried").isInstanceOf(LoginGuard.Verdict.Wait.class);
        assertThat(((LoginGuard.Verdict.Wait) verdict).retryAfter()).isBetween(Duration.ofSeconds(1), PENALTY);
        assertThat(guard.before("someone-else", "198.51.100.1", () -> false))
                .as("from another address")
                .isInstanceOf(LoginGuard.Verdict.Go.class);
        assertThat(guard.before("user-0", "198.51.100.1", () -> false))
                .as("a username tried once, elsewhere")
                .isInstanceOf(LoginGuard.Verdict.Go.class);
    }

    /** A RelayConfig that answers only login(): the guard reads nothing else. */
    private static RelayConfig config(int perUser, int perUserAllAddresses, int perAddress) {
        RelayConfig.Login login = new RelayConfig.Login() {
            @Override
            public int failuresPerUser() {
                return perUser;
            }

            @Override
            public int failuresPerUserAllAddresses() {
                return perUserAllAddresses;
            }

            @Override
            public int failuresPerAddress() {
                return perAddress;
            }

            @Override
            public Duration penalty() {
                return PENALTY;
            }
        };
        return (RelayConfig) Proxy.newProxyInstance(
                RelayConfig.class.getClassLoader(), new Class<?>[] {RelayConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("login")) {
                        return login;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
