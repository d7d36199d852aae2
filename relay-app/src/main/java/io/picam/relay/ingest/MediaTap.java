package io.picam.relay.ingest;

import io.picam.media.MediaSegment;
import io.picam.relay.stream.StreamFormat;

/**
 * What ingest offers besides the live hub: every segment a publisher connected to this instance got accepted, in
 * order (the recorder uses it). Called on the publisher's event loop, so an implementation only hands the bytes on.
 */
public interface MediaTap {

    /** One publisher connection's segments. */
    interface Session {
        void accept(MediaSegment segment);

        /** The publisher is gone or was replaced. */
        void close();
    }

    Session open(String streamId, StreamFormat format);

    /** Taps nothing. */
    MediaTap NONE = (streamId, format) -> new Session() {
        @Override
        public void accept(MediaSegment segment) {}

        @Override
        public void close() {}
    };
}
