package io.picam.relay.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.picam.relay.account.AccessChanged;
import io.picam.relay.account.AccessToken;
import io.picam.relay.account.AccessTokens;
import io.picam.relay.account.CredentialsEnded;
import io.picam.relay.account.LoginSession;
import io.picam.relay.account.LoginSessions;
import io.picam.relay.account.Scope;
import io.picam.relay.account.User;
import io.picam.relay.stream.CameraStream;
import io.picam.relay.stream.StreamDeleted;
import io.picam.relay.stream.StreamFormat;
import io.picam.relay.support.LiveViewer;
import io.picam.relay.support.TestAccounts;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The viewer upgrade answers from memory, and the events another instance sends through the cluster (fired here
 * marked remote, outside any transaction) make it forget at once. The changes are made straight in the database,
 * as the other instance made them; without the event the relay would still let the viewer in.
 */
@QuarkusTest
class UpgradeMemoryTest {

    @TestHTTPResource("/")
    URI relay;

    @Inject
    TestAccounts accounts;

    @Inject
    LoginSessions sessions;

    @Inject
    AccessTokens tokens;

    @Inject
    Event<AccessChanged> accessChanged;

    @Inject
    Event<CredentialsEnded> credentialsEnded;

    @Inject
    Event<StreamDeleted> streamDeleted;

    @Test
    void aRevocationFromAnotherInstanceRefusesTheNextUpgradeAtOnce() {
        String user = accounts.newViewer();
        String streamId = accounts.newStream(StreamFormat.MPEGTS).stream().id();
        accounts.grant(streamId, user);
        LoginSessions.NewSession session = sessions.create(user, "127.0.0.1", "memory test");
        var token = tokens.issue(user, "memory test", Duration.ofHours(1), Set.of(Scope.VIEW));
        Map<String, String> bearer = Map.of("Authorization", "Bearer " + token.token());
        LiveViewer.open(relay, streamId, session.cookie()).close();
        LiveViewer.open(relay, streamId, null, bearer).close();

        // another instance revokes the grant: the database changes, the event comes later over Redis
        QuarkusTransaction.requiringNew()
                .run(() -> CameraStream.<CameraStream>findById(streamId)
                        .viewers
                        .remove(User.findByUsername(user).orElseThrow()));
        LiveViewer.open(relay, streamId, session.cookie()).close(); // still remembered
        accessChanged.fire(new AccessChanged(user, true));
        assertThat(LiveViewer.refusal(relay, streamId, session.cookie()))
                .as("grant revoked elsewhere")
                .isEqualTo(403);
        assertThat(LiveViewer.refusal(relay, streamId, null, bearer))
                .as("same, with a token")
                .isEqualTo(403);
        accounts.grant(streamId, user); // also forgets the user's sessions and tokens (their roles may have changed)
        LiveViewer.open(relay, streamId, session.cookie()).close();
        LiveViewer.open(relay, streamId, null, bearer).close();

        // another instance ends the session, then revokes the token
        QuarkusTransaction.requiringNew()
                .run(() -> LoginSession.deleteById(session.owner().id()));
        LiveViewer.open(relay, streamId, session.cookie()).close();
        credentialsEnded.fire(
                new CredentialsEnded(user, Set.of(session.owner().credential().key()), true));
        assertThat(LiveViewer.refusal(relay, streamId, session.cookie()))
                .as("session ended elsewhere")
                .isEqualTo(401);

        QuarkusTransaction.requiringNew().run(() -> AccessToken.deleteById(token.id()));
        LiveViewer.open(relay, streamId, null, bearer).close();
        credentialsEnded.fire(new CredentialsEnded(user, Set.of("t:" + token.id()), true));
        assertThat(LiveViewer.refusal(relay, streamId, null, bearer))
                .as("token revoked elsewhere")
                .isEqualTo(401);
    }

    @Test
    void aStreamDeletedOnAnotherInstanceIsGoneHereAtOnce() {
        String user = accounts.newViewer();
        String streamId = accounts.newStream(StreamFormat.MPEGTS).stream().id();
        accounts.grant(streamId, user);
        String cookie = sessions.create(user, "127.0.0.1", "memory test").cookie();
        LiveViewer.open(relay, streamId, cookie).close();

        QuarkusTransaction.requiringNew()
                .run(() -> CameraStream.<CameraStream>findById(streamId).delete());
        streamDeleted.fire(new StreamDeleted(streamId, true));
        assertThat(LiveViewer.refusal(relay, streamId, cookie)).isEqualTo(403);
    }
}
