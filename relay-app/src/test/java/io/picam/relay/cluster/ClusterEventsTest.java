package io.picam.relay.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.picam.relay.account.AccessChanged;
import io.picam.relay.account.CredentialsEnded;
import io.picam.relay.cluster.ControlMessage.AccessChangedMessage;
import io.picam.relay.cluster.ControlMessage.Beat;
import io.picam.relay.cluster.ControlMessage.LoginBlockedMessage;
import io.picam.relay.cluster.ControlMessage.PublisherStartedMessage;
import io.picam.relay.cluster.ControlMessage.SecretRotatedMessage;
import io.picam.relay.cluster.ControlMessage.SessionsEndedMessage;
import io.picam.relay.cluster.ControlMessage.ShareLinkEndedMessage;
import io.picam.relay.cluster.ControlMessage.SnapshotRequest;
import io.picam.relay.cluster.ControlMessage.StreamDeletedMessage;
import io.picam.relay.security.LoginBlocked;
import io.picam.relay.share.ShareLinkEnded;
import io.picam.relay.stream.SecretRotated;
import io.picam.relay.stream.StreamDeleted;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.NotificationOptions;
import jakarta.enterprise.util.TypeLiteral;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * Domain events between instances, against a fake control channel: out once, back in marked remote, same content;
 * and the control messages' wire shape.
 */
class ClusterEventsTest {

    /** One instance's ClusterEvents, what it sent and what it fired. */
    static final class Instance {
        final List<ControlMessage> sent = new ArrayList<>();
        final Recorded<Object> fired = new Recorded<>();
        final ClusterEvents events =
                new ClusterEvents(sent::add, fired.as(), fired.as(), fired.as(), fired.as(), fired.as(), fired.as());

        /** Hands over what this instance sent through the wire format, as RedisCluster would after the signature. */
        void deliverTo(Instance other) {
            sent.forEach(message -> other.receive(new ControlEnvelope("a1", message).toJson()));
        }

        /** What RedisCluster does with the bytes of a control message from another instance. */
        void receive(Buffer json) {
            ControlEnvelope.parse(json).ifPresent(envelope -> events.received(envelope.message()));
        }
    }

    @Test
    void changesMadeHereGoOutAsTheirMessages() {
        Instance a = new Instance();
        a.events.secretRotated(SecretRotated.of("cam1"));
        a.events.streamDeleted(StreamDeleted.of("cam2"));
        a.events.accessChanged(AccessChanged.of("lena"));
        a.events.credentialsEnded(CredentialsEnded.of("lena", "s:42"));
        a.events.loginBlocked(new LoginBlocked("u:lena", 1_700_000_000_000L, false));
        a.events.shareLinkEnded(ShareLinkEnded.revoked(9));
        a.events.shareLinkEnded(new ShareLinkEnded(Set.of(3L), true)); // an expiry every instance finds itself

        assertThat(a.sent)
                .containsExactly(
                        new SecretRotatedMessage("cam1"),
                        new StreamDeletedMessage("cam2"),
                        new AccessChangedMessage("lena"),
                        new SessionsEndedMessage("lena", List.of("s:42")),
                        new LoginBlockedMessage("u:lena", 1_700_000_000_000L),
                        new ShareLinkEndedMessage(List.of(9L)));
    }

    @Test
    void everyKindHasReadableFieldsOnTheWireAndReadsBackTheSame() {
        String from = "\"from\":\"1f2e\",";
        assertWire(
                new SecretRotatedMessage("cam1"),
                "{" + from + "\"message\":{\"type\":\"rotated\",\"streamId\":\"cam1\"}}");
        assertWire(
                new StreamDeletedMessage("cam2"),
                "{" + from + "\"message\":{\"type\":\"deleted\",\"streamId\":\"cam2\"}}");
        assertWire(
                new AccessChangedMessage("lena"),
                "{" + from + "\"message\":{\"type\":\"access\",\"username\":\"lena\"}}");
        assertWire(
                new SessionsEndedMessage("lena", List.of("s:42", "t:7")),
                "{" + from
                        + "\"message\":{\"type\":\"sessions\",\"username\":\"lena\",\"credentials\":[\"s:42\",\"t:7\"]}}");
        assertWire(
                new LoginBlockedMessage("a:203.0.113.5", 1_700_000_000_000L),
                "{" + from
                        + "\"message\":{\"type\":\"login-blocked\",\"key\":\"a:203.0.113.5\",\"untilMillis\":1700000000000}}");
        assertWire(
                new ShareLinkEndedMessage(List.of(3L, 9L)),
                "{" + from + "\"message\":{\"type\":\"share-link-ended\",\"linkIds\":[3,9]}}");
        assertWire(
                new PublisherStartedMessage("cam1"),
                "{" + from + "\"message\":{\"type\":\"publisher\",\"streamId\":\"cam1\"}}");
        assertWire(
                new SnapshotRequest("cam1"), "{" + from + "\"message\":{\"type\":\"snapshot\",\"streamId\":\"cam1\"}}");
        assertWire(new Beat(), "{" + from + "\"message\":{\"type\":\"beat\"}}");
    }

    private static void assertWire(ControlMessage message, String json) {
        ControlEnvelope envelope = new ControlEnvelope("1f2e", message);
        assertThat(envelope.toJson().toString(StandardCharsets.UTF_8)).isEqualTo(json);
        assertThat(ControlEnvelope.parse(Buffer.buffer(json))).contains(envelope);
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
        a.events.shareLinkEnded(ShareLinkEnded.revoked(9));

        a.deliverTo(b);

        assertThat(b.fired.events)
                .containsExactly(
                        new SecretRotated("cam1", true),
                        new StreamDeleted("cam2", true),
                        new AccessChanged("lena", true),
                        new CredentialsEnded("lena", Set.of("s:42", "t:7"), true),
                        new CredentialsEnded("omar", Set.of(), true),
                        new LoginBlocked("a:203.0.113.5", 1_700_000_000_000L, true),
                        new ShareLinkEnded(Set.of(9L), true));
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
        b.events.received(new PublisherStartedMessage("cam1"));
        b.events.received(new SnapshotRequest("cam1"));
        b.events.received(new Beat());
        assertThat(b.fired.events).isEmpty();
    }

    @Test
    void unknownOrMalformedMessagesAreDroppedWithoutAnException() {
        Instance b = new Instance();
        List<String> broken = List.of(
                "{\"from\":\"1f2e\",\"message\":{\"type\":\"something-newer\",\"streamId\":\"cam1\"}}",
                "{\"from\":\"1f2e\",\"message\":{\"streamId\":\"cam1\"}}",
                "{\"from\":\"1f2e\",\"message\":{\"type\":\"rotated\"}}",
                "{\"from\":\"1f2e\",\"message\":{\"type\":\"rotated\",\"streamId\":null}}",
                "{\"from\":\"1f2e\",\"message\":{\"type\":\"login-blocked\",\"key\":\"u:lena\",\"untilMillis\":\"soon\"}}",
                "{\"from\":\"1f2e\",\"message\":{\"type\":\"sessions\",\"username\":\"lena\",\"credentials\":[null]}}",
                "{\"from\":\"1f2e\",\"message\":{\"type\":\"sessions\",\"username\":\"lena\"}}",
                "{\"from\":\"1f2e\",\"message\":null}",
                "{\"from\":\"1f2e\"}",
                "{\"t\":\"rotated\",\"s\":\"cam1\",\"from\":\"1f2e\"}", // the old one-letter format
                "{\"from\":\"1f2e\",\"message\":{\"type\":\"rotated\",\"streamId\":\"cam1\"}} trailing",
                "[\"rotated\",\"cam1\"]",
                "null",
                "42",
                "",
                "{\"from\":");
        for (String json : broken) {
            assertThatCode(() -> b.receive(Buffer.buffer(json))).as(json).doesNotThrowAnyException();
        }
        assertThatCode(() -> b.receive(Buffer.buffer(new byte[] {(byte) 0xff, (byte) 0xfe, 0})))
                .doesNotThrowAnyException();
        assertThat(b.fired.events).isEmpty();
    }

    @Test
    void fieldsANewerInstanceAddsDoNotStopAMessage() {
        Instance b = new Instance();
        b.receive(
                Buffer.buffer(
                        "{\"from\":\"1f2e\",\"v\":2,\"message\":{\"type\":\"access\",\"username\":\"lena\",\"reason\":\"grant\"}}"));
        assertThat(b.fired.events).containsExactly(new AccessChanged("lena", true));
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
