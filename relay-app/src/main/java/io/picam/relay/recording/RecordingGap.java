package io.picam.relay.recording;

import java.time.Instant;

/**
 * A stretch of a stream that was not recorded (its segments were dropped because the store did not keep up), told
 * once the recording resumes; fired on the instance that records the stream.
 *
 * @param start where the first dropped segment began
 * @param end where the recording resumed
 */
public record RecordingGap(String streamId, Instant start, Instant end) {}
