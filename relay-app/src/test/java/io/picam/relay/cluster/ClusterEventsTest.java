package io.picam.relay.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.NotificationOptions;
import jakarta.enterprise.util.TypeLiteral;

import org.junit.jupiter.api.Test;

import io.picam.relay.account.AccessChanged;
import io.picam.relay.account.CredentialsEnded;
import io.picam.relay.security.LoginBlocked;
import io.picam.relay.stream.SecretRotated;
import io.picam.relay.stream.StreamDeleted;

/** Domain events between instances, against a fake control channel: out once, back in marked remote, same content. */
class ClusterEventsTest {

    /** One instance's ClusterEvents, what it sent and what it fired. */
    static final class Instance {
        final List<Map<String, String>> sent = new ArrayList<>();
        final Recorded<Object> fired = new Recorded<>();
        final ClusterEvents events = new ClusterEvents(sent::add, fired.as(), fired.as(), fired.as(), fired.as(), fired.as());

        /** Hands over what this instance sent, as RedisCluster would after checking the signature. */
        void deliverTo(Instance other) {
            sent.forEach(message -> other.events.received(new ControlMessage(message)));
        }
    }

    @Test
    void changesMadeHereGoOutUnderTheirWireNames() {
        Instance a = new Instance();
        a.events.secretRotated(SecretRotated.of("cam1"));
        a.events.streamDeleted(StreamDeleted.of("cam2"));
        a.events.accessChanged(AccessChanged.of("lena"));
        a.events.credentialsEnded(CredentialsEnded.of("lena", "s:42"));
        a.events.loginBlocked(new LoginBlocked("u:lena", 1_700_000_000_000L, false));

        assertThat(a.sent).containsExactly(
                Map.of("t", "rotated", "s", "cam1"),
                Map.of("t", "deleted", "s", "cam2"),
                Map.of("t", "access", "u", "lena"),
                Map.of("t", "sessions", "u", "lena", "c", "s:42"),
                Map.of("t", "login-blocked", "k", "u:lena", "until", "1700000000000"));
    }

    @Test
    void everyChangeArrivesOnTheOtherInstanceAsTheSameEventMarkedRemote() {
        Instance a = new Instance();
        Instance b = new Instance();
        a.events.secretRotated(SecretRotated.of("cam1"));
        a.events.streamDeleted(StreamDeleted.of("cam2"));
        a.events.accessChanged(AccessChanged.of("lena"));
        a.events.credentialsEnded(new CredentialsEnded("lena", Set.of("s:42", "t:7"), false));
        a.events.credentialsEnded(CredentialsEnded.all("omar"));
        a.events.loginBlocked(new LoginBlocked("a:203.0.113.5", 1_700_000_000_000L, false));

        a.deliverTo(b);

        assertThat(b.fired.events).containsExactly(
                new SecretRotated("cam1", true),
                new StreamDeleted("cam2", true),
                new AccessChanged("lena", true),
                new CredentialsEnded("lena", Set.of("s:42", "t:7"), true),
                new CredentialsEnded("omar", Set.of(), true),
                new LoginBlocked("a:203.0.113.5", 1_700_000_000_000L, true));
    }

    @Test
    void aChangeThatCameFromAnotherInstanceIsNotSentBack() {
        Instance a = new Instance();
        Instance b = new Instance();
        a.events.accessChanged(AccessChanged.of("lena"));
        a.events.loginBlocked(new LoginBlocked("u:lena", 1L, false));
        a.deliverTo(b);

        // the CDI container hands b's re-fired events to b's observers too: they must stop there
        for (Object event : b.fired.events) {
            if (event instanceof AccessChanged e) {
                b.events.accessChanged(e);
            } else if (event instanceof LoginBlocked e) {
                b.events.loginBlocked(e);
            }
        }
        assertThat(b.sent).isEmpty();
    }

    @Test
    void kindsItDoesNotCarryAreIgnored() {
        Instance b = new Instance();
        b.events.received(new ControlMessage(Map.of("t", "something-newer", "s", "cam1")));
        assertThat(b.fired.events).isEmpty();
    }

    /** An {@link Event} that records what is fired; select() is not needed here. */
    static final class Recorded<T> implements Event<T> {
        final List<T> events = new ArrayList<>();

        @SuppressWarnings("unchecked")
        <U> Event<U> as() {
            return (Event<U>) this;
        }

        @Override
        public void fire(T event) {
            events.add(event);
        }

        @Override
        public <U extends T> CompletionStage<U> fireAsync(U event) {
            fire(event);
            return CompletableFuture.completedFuture(event);
        }

        @Override
        public <U extends T> CompletionStage<U> fireAsync(U event, NotificationOptions options) {
            return fireAsync(event);
        }

        @Override
        public Event<T> select(Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <U extends T> Event<U> select(Class<U> subtype, Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <U extends T> Event<U> select(TypeLiteral<U> subtype, Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }
    }
}
