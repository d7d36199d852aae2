package io.picam.client.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;

import org.junit.jupiter.api.Test;

/** The upload's body against a fake HTTP client that asks for bytes when the test says so, as a socket would. */
class UploadBodyTest {

    /** Takes what it is given and asks for more only when told. */
    static final class FakeClient implements Flow.Subscriber<ByteBuffer> {
        final List<Byte> received = new ArrayList<>();
        Flow.Subscription subscription;
        Throwable error;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
        }

        @Override
        public void onNext(ByteBuffer item) {
            while (item.hasRemaining()) {
                received.add(item.get());
            }
        }

        @Override
        public void onError(Throwable t) {
            error = t;
        }

        @Override
        public void onComplete() {
        }
    }

    private static byte[] bytes(int n, int value) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }

    @Test
    void bytesGoOutInOrderAsTheClientAsksAndItsFirstRequestMeansTheHeadIsSent() {
        UploadBody body = new UploadBody(100);
        FakeClient client = new FakeClient();
        body.subscribe(client);
        assertThat(body.started()).isNotDone();
        assertThat(body.offer(bytes(3, 1))).isTrue();
        assertThat(body.offer(bytes(2, 2))).isTrue();
        assertThat(client.received).isEmpty();

        client.subscription.request(1);
        assertThat(body.started()).isDone();
        assertThat(client.received).containsExactly((byte) 1, (byte) 1, (byte) 1);
        client.subscription.request(5);
        assertThat(client.received).hasSize(5).endsWith((byte) 2, (byte) 2);
        assertThat(body.offer(bytes(1, 3))).isTrue();
        assertThat(client.received).hasSize(6).endsWith((byte) 3);
        assertThat(body.bytesTaken()).isEqualTo(6);
    }

    @Test
    void whenTheSocketTakesNothingMoreIsRefusedRatherThanBufferedAndItCountsAsStalled() throws Exception {
        UploadBody body = new UploadBody(100);
        FakeClient client = new FakeClient();
        body.subscribe(client);
        client.subscription.request(1);
        assertThat(body.offer(bytes(60, 1))).as("handed to the client").isTrue();
        assertThat(body.offer(bytes(60, 2))).as("queued: the client has not asked for more").isTrue();
        assertThat(body.offer(bytes(60, 3))).as("over the limit: refused, so the caller drops to a join point").isFalse();
        assertThat(body.stalledFor(0)).isTrue();
        assertThat(body.stalledFor(java.util.concurrent.TimeUnit.SECONDS.toNanos(15))).isFalse();

        client.subscription.request(1); // the socket took the first bytes
        assertThat(client.received).hasSize(120);
        client.subscription.request(1); // and the next: now it waits for more
        assertThat(body.stalledFor(0)).as("an idle encoder is not a stalled upload").isFalse();
    }

    @Test
    void aFailureEndsTheBodySoTheClientAbortsTheRequest() {
        UploadBody body = new UploadBody(100);
        FakeClient client = new FakeClient();
        body.subscribe(client);
        body.fail(new java.io.IOException("no progress for 15 s"));
        assertThat(client.error).hasMessage("no progress for 15 s");
        assertThat(body.offer(bytes(1, 1))).isFalse();
    }
}
