package io.picam.relay.cluster;

import static io.picam.relay.live.ClusterLink.INIT;
import static io.picam.relay.live.ClusterLink.JOIN_POINT;
import static org.assertj.core.api.Assertions.assertThat;

import io.picam.media.MediaSegment;
import io.picam.relay.live.ClusterLink;
import io.picam.relay.live.PublisherHandle;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A stream fed from another instance, against a fake hub and a fake cluster on a fake clock: what the viewers get
 * (the hub's log) when Redis delivers in order, loses bytes, or answers with a snapshot.
 */
class RemoteFeedTest {

    private static final long HERE = 1;
    private static final long THERE = 2;
    private static final long EPOCH = 77;

    /** The hub's side: what it was told, as short strings ("attach", "publish JOIN j1", "resync", "detach"). */
    static final class FakeHub implements RemoteFeed.Hub {
        final List<String> log = new ArrayList<>();
        boolean localPublisher;

        @Override
        public String streamId() {
            return "cam1";
        }

        @Override
        public boolean attachRemote(PublisherHandle feed) {
            log.add(localPublisher ? "refused" : "attach");
            return !localPublisher;
        }

        @Override
        public void detach(PublisherHandle feed) {
            log.add("detach");
        }

        @Override
        public void publish(PublisherHandle feed, MediaSegment segment) {
            log.add("publish " + segment.kind() + " " + new String(segment.data(), StandardCharsets.UTF_8));
        }

        @Override
        public void resync() {
            log.add("resync");
        }
    }

    static final class FakeCluster implements RemoteFeed.Cluster {
        final List<String> snapshotRequests = new ArrayList<>();
        int resyncs;
        boolean liveElsewhere;

        @Override
        public void requestSnapshot(String streamId) {
            snapshotRequests.add(streamId);
        }

        @Override
        public boolean liveElsewhere(String streamId) {
            return liveElsewhere;
        }

        @Override
        public void resynced() {
            resyncs++;
        }
    }

    private final FakeHub hub = new FakeHub();
    private final FakeCluster cluster = new FakeCluster();
    private long now = 1_000_000;
    private final RemoteFeed feed = new RemoteFeed(hub, HERE, cluster, () -> now);

    private static MediaMessage segment(long seq, int flags, String bytes) {
        return MediaMessage.parse(MediaMessage.segment(THERE, EPOCH, seq, flags, Buffer.buffer(bytes)));
    }

    private static MediaMessage snapshot(long lastSeq, String init, String... chunks) {
        List<Buffer> parts = new ArrayList<>();
        for (String chunk : chunks) {
            parts.add(Buffer.buffer(chunk));
        }
        return MediaMessage.parse(MediaMessage.snapshot(
                THERE, new ClusterLink.Snapshot(EPOCH, lastSeq, init == null ? null : Buffer.buffer(init), parts)));
    }

    @Test
    void segmentsInOrderReachTheHubAsTheyCameWithoutAskingForASnapshot() {
        feed.receive(segment(0, INIT, "init"));
        feed.receive(segment(1, JOIN_POINT, "j1"));
        feed.receive(segment(2, 0, "c2"));

        assertThat(hub.log)
                .containsExactly("attach", "publish INIT init", "publish JOIN j1", "publish CONTINUATION c2");
        assertThat(cluster.snapshotRequests).isEmpty();
    }

    @Test
    void aGapInTheNumbersResyncsTheHubAndAsksForASnapshotUntilAJoinPointComes() {
        feed.receive(segment(0, JOIN_POINT, "j0"));
        feed.receive(segment(1, 0, "c1"));
        hub.log.clear();

        feed.receive(segment(5, 0, "c5")); // 2..4 lost
        assertThat(hub.log).containsExactly("resync", "publish CONTINUATION c5");
        assertThat(cluster.resyncs).isEqualTo(1);
        assertThat(cluster.snapshotRequests).containsExactly("cam1");

        feed.receive(segment(6, 0, "c6"));
        assertThat(cluster.snapshotRequests).as("at most one request a second").hasSize(1);
        now += RemoteFeed.REQUEST_EVERY_MILLIS + 1;
        feed.receive(segment(7, 0, "c7"));
        assertThat(cluster.snapshotRequests).as("asked again a second later").hasSize(2);

        feed.receive(segment(8, JOIN_POINT, "j8"));
        now += RemoteFeed.REQUEST_EVERY_MILLIS + 1;
        feed.receive(segment(9, 0, "c9"));
        assertThat(cluster.snapshotRequests)
                .as("decodable again: no more requests")
                .hasSize(2);
    }

    @Test
    void aSnapshotGivesWaitingViewersTheInitAndTheBytesSinceTheJoinPointAndWhatItHeldIsNotRepeated() {
        feed.receive(segment(10, 0, "c10")); // joined mid-GOP: nothing decodable yet
        assertThat(cluster.snapshotRequests).containsExactly("cam1");

        feed.receive(snapshot(12, "init", "j11", "c12"));
        feed.receive(segment(11, 0, "c11")); // already in the snapshot
        feed.receive(segment(12, 0, "c12"));
        feed.receive(segment(13, 0, "c13"));

        assertThat(hub.log)
                .containsExactly(
                        "attach",
                        "publish CONTINUATION c10",
                        "publish INIT init",
                        "publish JOIN j11",
                        "publish CONTINUATION c12",
                        "publish CONTINUATION c13");
        assertThat(cluster.resyncs).isZero();
    }

    @Test
    void aSecondSnapshotOrAnOlderOneIsIgnoredAndAnInitTheViewersHaveIsNotSentAgain() {
        feed.receive(segment(0, INIT, "init"));
        feed.receive(segment(1, JOIN_POINT, "j1"));
        feed.receive(snapshot(1, "init", "j1")); // viewers can decode already
        feed.receive(segment(2, 0, "c2"));
        feed.receive(segment(9, 0, "c9")); // a gap: waiting again
        feed.receive(snapshot(5, "init", "j4", "c5")); // older than what came
        feed.receive(snapshot(10, "init", "j10"));

        assertThat(hub.log)
                .containsExactly(
                        "attach",
                        "publish INIT init",
                        "publish JOIN j1",
                        "publish CONTINUATION c2",
                        "resync",
                        "publish CONTINUATION c9",
                        "publish JOIN j10");
    }

    @Test
    void aLostSubscriptionResyncsAndTheNextPictureNeedsAJoinPointOrSnapshot() {
        feed.receive(segment(0, JOIN_POINT, "j0"));
        feed.lost();
        feed.receive(segment(40, 0, "c40"));

        assertThat(hub.log).containsExactly("attach", "publish JOIN j0", "resync", "publish CONTINUATION c40");
        assertThat(cluster.snapshotRequests).containsExactly("cam1");
        assertThat(cluster.resyncs)
                .as("a renewed subscription is not counted as a gap")
                .isZero();
    }

    @Test
    void aRequestMadeWhileRedisWasAwayIsMadeAgainAtOnceWhenItIsBack() {
        feed.receive(segment(3, 0, "c3"));
        feed.askIfWaiting();
        assertThat(cluster.snapshotRequests).hasSize(2);

        feed.receive(segment(4, JOIN_POINT, "j4"));
        feed.askIfWaiting();
        assertThat(cluster.snapshotRequests).as("nothing to wait for").hasSize(2);
    }

    @Test
    void itsOwnMessagesComingBackAreIgnored() {
        feed.receive(MediaMessage.parse(MediaMessage.segment(HERE, EPOCH, 0, JOIN_POINT, Buffer.buffer("echo"))));
        assertThat(hub.log).isEmpty();
    }

    @Test
    void theEndOfThePublishersEpochDetachesAndANewEpochAttachesAgain() {
        feed.receive(segment(0, JOIN_POINT, "j0"));
        feed.receive(MediaMessage.parse(MediaMessage.end(THERE, EPOCH - 1))); // an older publisher's end
        feed.receive(MediaMessage.parse(MediaMessage.end(THERE, EPOCH)));
        feed.receive(MediaMessage.parse(MediaMessage.segment(THERE, EPOCH + 1, 0, JOIN_POINT, Buffer.buffer("n0"))));

        assertThat(hub.log).containsExactly("attach", "publish JOIN j0", "detach", "attach", "publish JOIN n0");
    }

    @Test
    void aPublisherConnectedHereKeepsTheStream() {
        hub.localPublisher = true;
        feed.receive(segment(0, JOIN_POINT, "j0"));
        assertThat(hub.log).containsExactly("refused");
    }

    @Test
    void aSilentFeedGoesOfflineUnlessAnInstanceStillReportsThePublisher() {
        feed.receive(segment(0, JOIN_POINT, "j0"));
        cluster.liveElsewhere = true;
        feed.checkSilence(now + RemoteFeed.SILENCE_MILLIS + 1);
        assertThat(hub.log).doesNotContain("detach");

        cluster.liveElsewhere = false;
        feed.checkSilence(now + RemoteFeed.SILENCE_MILLIS - 1);
        assertThat(hub.log).doesNotContain("detach");
        feed.checkSilence(now + RemoteFeed.SILENCE_MILLIS + 1);
        assertThat(hub.log).containsExactly("attach", "publish JOIN j0", "detach");
    }
}
