package io.picam.relay.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.picam.media.MediaSegment;
import io.picam.media.MediaSegment.Kind;
import io.picam.relay.live.FakeConnection.Sent;
import io.picam.relay.stream.StreamFormat;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One stream's hub without Quarkus: fake publishers, fake viewer sockets on a real two-loop Vert.x, and a cluster
 * link that records what the hub tells the other instances. Each viewer's socket is read back as a list of
 * messages: its text messages in short form ({@code hello(...)}, {@code status(...)}) and the labels of its binary
 * chunks.
 */
class StreamHubTest {

    private static final String STREAM = "stream-1";
    private static final long CACHE = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final EventLoops loops = new EventLoops();

    private Context a;
    private Context b;
    private RecordingLink link;

    @BeforeEach
    void twoLoops() {
        Context[] two = loops.twoLoops();
        a = two[0];
        b = two[1];
        link = new RecordingLink();
    }

    // --- fakes ---

    static final class FakePublisher implements PublisherHandle {
        private final boolean remote;
        final AtomicInteger replaced = new AtomicInteger();
        final List<String> disconnected = new ArrayList<>();

        FakePublisher(boolean remote) {
            this.remote = remote;
        }

        @Override
        public void replaced() {
            replaced.incrementAndGet();
        }

        @Override
        public synchronized void disconnect(int status, String reason) {
            disconnected.add(status + " " + reason);
        }

        @Override
        public boolean remote() {
            return remote;
        }
    }

    /** The other relay instances, as far as the hub can tell: it records the calls and reports set figures. */
    static final class RecordingLink implements ClusterLink {
        final List<String> calls = new ArrayList<>();
        final List<Long> epochs = new ArrayList<>();
        volatile boolean liveElsewhere;
        volatile int viewersElsewhere;

        private synchronized void record(String call) {
            calls.add(call);
        }

        synchronized List<String> calls() {
            return List.copyOf(calls);
        }

        @Override
        public synchronized void publisherStarted(String streamId, long epoch) {
            epochs.add(epoch);
            record("started " + streamId + " e" + (epochs.size()));
        }

        @Override
        public synchronized void forward(String streamId, long epoch, long seq, int flags, Buffer chunk) {
            record("forward " + streamId + " e" + (epochs.indexOf(epoch) + 1) + " #" + seq + " flags=" + flags + " "
                    + FakeConnection.label(chunk));
        }

        @Override
        public synchronized void publisherEnded(String streamId, long epoch) {
            record("ended " + streamId + " e" + (epochs.indexOf(epoch) + 1));
        }

        @Override
        public void viewerJoined(StreamHub hub) {
            record("viewerJoined " + hub.streamId());
        }

        @Override
        public boolean liveElsewhere(String streamId) {
            return liveElsewhere;
        }

        @Override
        public int viewersElsewhere(String streamId) {
            return viewersElsewhere;
        }

        @Override
        public long bitrateElsewhere(String streamId) {
            return 0;
        }
    }

    // --- helpers ---

    private final Map<Viewer, FakeConnection> sockets = new ConcurrentHashMap<>();

    private StreamHub hub(StreamFormat format) {
        return new StreamHub(STREAM, format, CACHE, link);
    }

    /** A viewer whose socket writes everything at once, joining on {@code context} as ViewerSocket's @OnOpen does. */
    private Viewer join(StreamHub hub, Context context) {
        FakeConnection socket = FakeConnection.draining();
        Viewer viewer = loops.viewer(context, socket, 1_000_000, new HeldBytesBudget(Long.MAX_VALUE / 4));
        sockets.put(viewer, socket);
        loops.run(context, () -> hub.join(viewer));
        return viewer;
    }

    private static MediaSegment segment(Kind kind, String label) {
        byte[] data = new byte[40];
        Arrays.fill(data, (byte) '.');
        byte[] name = label.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(name, 0, data, 0, name.length);
        return new MediaSegment(kind, data);
    }

    private static MediaSegment init(String label) {
        return segment(Kind.INIT, label);
    }

    private static MediaSegment join(String label) {
        return segment(Kind.JOIN, label);
    }

    private static MediaSegment more(String label) {
        return segment(Kind.CONTINUATION, label);
    }

    /** What the viewer's socket got, once every delivery queued so far has run. */
    private List<String> received(Viewer viewer) {
        loops.settle(a, b);
        return sockets.get(viewer).sent().stream().map(StreamHubTest::shortForm).toList();
    }

    private static String shortForm(Sent sent) {
        if (!sent.text()) {
            return sent.content();
        }
        try {
            JsonNode m = JSON.readTree(sent.content());
            String type = m.get("type").asText();
            if (type.equals("stream")) {
                String mime = m.has("mime") ? ", mime=" + m.get("mime").asText() : "";
                return "hello(" + m.get("format").asText() + ", live="
                        + m.get("live").asBoolean() + ", viewers="
                        + m.get("viewers").asInt() + mime + ")";
            }
            return type + "(live=" + m.get("live").asBoolean() + ", viewers="
                    + m.get("viewers").asInt() + ")";
        } catch (Exception e) {
            throw new IllegalStateException("not JSON: " + sent.content(), e);
        }
    }

    // --- joining ---

    @Test
    void aJoiningViewerGetsTheHelloTheCachedGopAndThenLiveBytesInOrder() {
        StreamHub hub = hub(StreamFormat.MPEGTS);
        Viewer early = join(hub, a);
        FakePublisher camera = new FakePublisher(false);
        hub.attach(camera);
        assertThat(hub.publish(camera, more("C0"))).isTrue(); // mid-GOP: nobody can start here
        hub.publish(camera, join("J1"));
        hub.publish(camera, more("C1"));
        Viewer late = join(hub, b);
        hub.publish(camera, more("C2"));
        hub.publish(camera, join("J2"));

        assertThat(received(early))
                .containsExactly(
                        "hello(mpegts, live=false, viewers=1)", "status(live=true, viewers=1)", "J1", "C1", "C2", "J2");
        assertThat(received(late)).containsExactly("hello(mpegts, live=true, viewers=2)", "J1", "C1", "C2", "J2");
        assertThat(hub.bytesIn()).isEqualTo(5 * 40);
        assertThat(hub.cachedBytes()).isEqualTo(40);
        assertThat(hub.viewerJoins()).isEqualTo(2);
    }

    @Test
    void fmp4ViewersGetTheInitSegmentBeforeAnyFragment() {
        StreamHub hub = hub(StreamFormat.FMP4);
        Viewer early = join(hub, a);
        FakePublisher camera = new FakePublisher(false);
        hub.attach(camera);
        hub.publish(camera, init("INIT"));
        Viewer beforeKeyframe = join(hub, b);
        hub.publish(camera, join("J1"));
        hub.publish(camera, more("C1"));
        Viewer late = join(hub, a);
        hub.publish(camera, more("C2"));

        assertThat(received(early))
                .containsExactly(
                        "hello(fmp4, live=false, viewers=1)",
                        "status(live=true, viewers=1)",
                        "hello(fmp4, live=true, viewers=1, mime=video/mp4)",
                        "INIT",
                        "J1",
                        "C1",
                        "C2");
        assertThat(received(beforeKeyframe))
                .containsExactly("hello(fmp4, live=true, viewers=2, mime=video/mp4)", "INIT", "J1", "C1", "C2");
        assertThat(received(late))
                .containsExactly("hello(fmp4, live=true, viewers=3, mime=video/mp4)", "INIT", "J1", "C1", "C2");
    }

    @Test
    void aViewerJoiningMidGopWithoutACachedGopStartsAtTheNextJoinPoint() {
        StreamHub hub = new StreamHub(STREAM, StreamFormat.MPEGTS, 60, link); // one segment and a half
        FakePublisher camera = new FakePublisher(false);
        hub.attach(camera);
        hub.publish(camera, join("J1"));
        hub.publish(camera, more("C1")); // 80 > 60: the GOP is no longer cached
        Viewer viewer = join(hub, a);
        hub.publish(camera, more("C2"));
        hub.publish(camera, join("J2"));
        hub.publish(camera, more("C3"));
        assertThat(received(viewer)).containsExactly("hello(mpegts, live=true, viewers=1)", "J2", "C3");
    }

    // --- publishers ---

    @Test
    void aNewerPublisherReplacesTheOldOneAndViewersWaitForItsFirstJoinPoint() {
        StreamHub hub = hub(StreamFormat.MPEGTS);
        FakePublisher first = new FakePublisher(false);
        hub.attach(first);
        hub.publish(first, join("J1"));
        Viewer viewer = join(hub, a);
        hub.publish(first, more("C1"));

        FakePublisher second = new FakePublisher(false);
        hub.attach(second);
        assertThat(first.replaced).hasValue(1);
        assertThat(second.replaced).hasValue(0);
        assertThat(hub.publish(first, more("C1b")))
                .as("the replaced publisher is no longer heard")
                .isFalse();
        assertThat(hub.cachedBytes())
                .as("the old GOP does not join up with the new bytes")
                .isZero();
        Viewer newcomer = join(hub, b);
        hub.publish(second, more("X0")); // the new publisher's bytes do not continue the old GOP
        hub.publish(second, join("K1"));
        hub.publish(second, more("X1"));

        assertThat(received(viewer)).containsExactly("hello(mpegts, live=true, viewers=1)", "J1", "C1", "K1", "X1");
        assertThat(received(newcomer)).containsExactly("hello(mpegts, live=true, viewers=2)", "K1", "X1");
        assertThat(hub.live()).isTrue();
        assertThat(hub.publisherConnects()).isEqualTo(2);

        hub.attach(second); // the same one again: nobody to replace
        assertThat(second.replaced).hasValue(0);
    }

    @Test
    void detachAnnouncesOfflineOnceTheCurrentPublisherLeaves() {
        StreamHub hub = hub(StreamFormat.MPEGTS);
        FakePublisher old = new FakePublisher(false);
        FakePublisher current = new FakePublisher(false);
        hub.attach(old);
        hub.attach(current);
        hub.publish(current, join("J1"));
        Viewer viewer = join(hub, a);

        hub.detach(old); // already replaced: ignored
        assertThat(hub.live()).isTrue();
        hub.detach(current);
        assertThat(hub.live()).isFalse();
        assertThat(hub.publishedHere()).isFalse();
        assertThat(hub.cachedBytes()).isZero();
        assertThat(hub.publish(current, more("C1"))).isFalse();
        Viewer later = join(hub, b);

        assertThat(received(viewer))
                .containsExactly("hello(mpegts, live=true, viewers=1)", "J1", "status(live=false, viewers=1)");
        assertThat(received(later))
                .as("nothing cached from the publisher that left")
                .containsExactly("hello(mpegts, live=false, viewers=2)");

        FakePublisher back = new FakePublisher(false);
        hub.attach(back);
        assertThat(received(later))
                .containsExactly("hello(mpegts, live=false, viewers=2)", "status(live=true, viewers=2)");
    }

    @Test
    void disconnectingThePublisherDetachesItAndTellsItWhy() {
        StreamHub hub = hub(StreamFormat.MPEGTS);
        FakePublisher camera = new FakePublisher(false);
        hub.attach(camera);
        Viewer viewer = join(hub, a);
        hub.disconnectPublisher(1008, "secret rotated");
        assertThat(camera.disconnected).containsExactly("1008 secret rotated");
        assertThat(camera.replaced).hasValue(0);
        assertThat(hub.live()).isFalse();
        assertThat(received(viewer))
                .containsExactly("hello(mpegts, live=true, viewers=1)", "status(live=false, viewers=1)");
        hub.disconnectPublisher(1008, "again"); // nobody left to tell
        assertThat(camera.disconnected).hasSize(1);
    }

    @Test
    void resyncMakesViewersWaitForTheNextJoinPoint() {
        StreamHub hub = hub(StreamFormat.MPEGTS);
        FakePublisher feed = new FakePublisher(true);
        hub.attach(feed);
        hub.publish(feed, join("J1"));
        Viewer viewer = join(hub, a);
        hub.resync(); // bytes were lost between instances
        assertThat(hub.cachedBytes()).isZero();
        hub.publish(feed, more("C5"));
        hub.publish(feed, join("J2"));
        assertThat(received(viewer)).containsExactly("hello(mpegts, live=true, viewers=1)", "J1", "J2");
    }

    // --- viewers and audience ---

    @Test
    void aViewerWhoLeftGetsNothingMoreAndItsBytesStillCount() {
        StreamHub hub = hub(StreamFormat.MPEGTS);
        FakePublisher camera = new FakePublisher(false);
        hub.attach(camera);
        Viewer stays = join(hub, a);
        Viewer leaves = join(hub, b);
        hub.publish(camera, join("J1"));
        loops.settle(a, b);
        hub.leave(sockets.get(leaves).id());
        hub.leave("nobody"); // unknown: harmless
        hub.publish(camera, more("C1"));

        assertThat(hub.viewerCount()).isEqualTo(1);
        assertThat(hub.viewers()).containsExactly(stays);
        assertThat(received(leaves)).containsExactly("hello(mpegts, live=true, viewers=2)", "J1");
        assertThat(received(stays)).containsExactly("hello(mpegts, live=true, viewers=1)", "J1", "C1");
        assertThat(hub.bytesOut())
                .as("what the departed viewer was sent still counts")
                .isEqualTo(3 * 40);
    }

    @Test
    void theAudienceIsAnnouncedOnlyWhenItChanged() {
        StreamHub hub = hub(StreamFormat.MPEGTS);
        hub.announceAudience(); // nobody to tell
        Viewer first = join(hub, a);
        hub.announceAudience(); // the only viewer was told in its hello
        Viewer second = join(hub, b);
        hub.announceAudience(); // the first does not know of the second yet
        hub.announceAudience(); // unchanged
        hub.leave(sockets.get(second).id());
        hub.announceAudience();
        link.viewersElsewhere = 3;
        hub.announceAudience();
        hub.announceAudience();

        assertThat(received(first))
                .containsExactly(
                        "hello(mpegts, live=false, viewers=1)",
                        "status(live=false, viewers=2)",
                        "status(live=false, viewers=1)",
                        "status(live=false, viewers=4)");
        assertThat(received(second))
                .containsExactly("hello(mpegts, live=false, viewers=2)", "status(live=false, viewers=2)");
    }

    @Test
    void theHelloCountsViewersAndThePublisherOnOtherInstances() {
        StreamHub hub = hub(StreamFormat.MPEGTS);
        link.liveElsewhere = true;
        link.viewersElsewhere = 5;
        Viewer viewer = join(hub, a);
        assertThat(received(viewer)).containsExactly("hello(mpegts, live=true, viewers=6)");
        assertThat(hub.live()).as("live here means a publisher here").isFalse();
    }

    // --- the other instances ---

    @Test
    void aPublisherHereIsAnnouncedToTheOtherInstancesAndItsSegmentsNumberedWithinItsEpoch() {
        StreamHub hub = hub(StreamFormat.FMP4);
        FakePublisher first = new FakePublisher(false);
        hub.attach(first);
        hub.publish(first, init("INIT"));
        hub.publish(first, join("J1"));
        hub.publish(first, more("C1"));
        hub.detach(first);
        FakePublisher second = new FakePublisher(false);
        hub.attach(second);
        hub.publish(second, join("K1"));

        assertThat(link.calls())
                .containsExactly(
                        "started stream-1 e1",
                        "forward stream-1 e1 #1 flags=2 INIT",
                        "forward stream-1 e1 #2 flags=1 J1",
                        "forward stream-1 e1 #3 flags=0 C1",
                        "ended stream-1 e1",
                        "started stream-1 e2",
                        "forward stream-1 e2 #1 flags=1 K1");
        assertThat(link.epochs).doesNotHaveDuplicates().doesNotContain(0L);
    }

    @Test
    void aRemoteFeedIsNotForwardedAndGivesWayToNoPublisherHere() {
        StreamHub hub = hub(StreamFormat.MPEGTS);
        FakePublisher feed = new FakePublisher(true);
        assertThat(hub.attachRemote(feed)).isTrue();
        assertThat(hub.publishedHere()).isFalse();
        Viewer viewer = join(hub, a);
        hub.publish(feed, join("J1"));
        hub.detach(feed);
        assertThat(link.calls())
                .as("the other instances know their own publisher")
                .isEmpty();
        assertThat(hub.publisherConnects()).isZero();
        assertThat(received(viewer))
                .containsExactly("hello(mpegts, live=true, viewers=1)", "J1", "status(live=false, viewers=1)");

        FakePublisher camera = new FakePublisher(false);
        hub.attach(camera);
        assertThat(hub.attachRemote(new FakePublisher(true)))
                .as("the publisher here is the newest")
                .isFalse();
        assertThat(hub.publishedHere()).isTrue();
        assertThat(camera.replaced).hasValue(0);
    }

    @Test
    void aPublisherElsewhereReplacesTheOneHere() {
        StreamHub hub = hub(StreamFormat.MPEGTS);
        FakePublisher camera = new FakePublisher(false);
        hub.attach(camera);
        Viewer viewer = join(hub, a);
        hub.publisherElsewhere();
        assertThat(camera.replaced).hasValue(1);
        assertThat(hub.publishedHere()).isFalse();
        assertThat(link.calls()).containsExactly("started stream-1 e1", "ended stream-1 e1");
        assertThat(received(viewer))
                .containsExactly("hello(mpegts, live=true, viewers=1)", "status(live=false, viewers=1)");

        FakePublisher feed = new FakePublisher(true);
        hub.attachRemote(feed);
        hub.publisherElsewhere(); // a remote feed is not "here": nothing to replace
        assertThat(feed.replaced).hasValue(0);
    }

    @Test
    void aSnapshotHandsTheInitAndTheCachedGopOfThePublisherHere() {
        StreamHub hub = hub(StreamFormat.FMP4);
        List<ClusterLink.Snapshot> sent = new ArrayList<>();
        assertThat(hub.snapshot(sent::add)).as("no publisher").isFalse();
        FakePublisher camera = new FakePublisher(false);
        hub.attach(camera);
        hub.publish(camera, init("INIT"));
        hub.publish(camera, join("J1"));
        hub.publish(camera, more("C1"));
        assertThat(hub.snapshot(sent::add)).isTrue();
        ClusterLink.Snapshot snapshot = sent.get(0);
        assertThat(snapshot.epoch()).isEqualTo(link.epochs.get(0));
        assertThat(snapshot.lastSeq()).isEqualTo(3);
        assertThat(FakeConnection.label(snapshot.init())).isEqualTo("INIT");
        assertThat(snapshot.chunks()).extracting(FakeConnection::label).containsExactly("J1", "C1");

        FakePublisher feed = new FakePublisher(true);
        hub.attach(feed);
        assertThat(hub.snapshot(sent::add))
                .as("a remote feed is another instance's to hand over")
                .isFalse();
    }
}
