package io.picam.relay.recording.store;

import java.io.InputStream;
import java.util.List;

/**
 * Where recorded segments live: a folder or an S3-compatible bucket. Keys are relative ({@code stream/…}); an
 * implementation adds its own prefix. Every method blocks and may throw {@link StoreException}; none is called on
 * an event loop.
 */
public interface RecordingStore {

    /** Writes an object of {@code length} bytes read from {@code data}, replacing any of that key. */
    void put(String key, InputStream data, long length);

    /** The bytes {@code [offset, offset + length)} of an object ({@code length < 0}: to its end); the caller closes it. */
    InputStream get(String key, long offset, long length);

    /** Deletes an object; nothing happens when there is none. */
    void delete(String key);

    /** Every object whose key starts with {@code prefix}, for the orphan sweeper and stream deletion. */
    List<StoredObject> list(String prefix);

    /** What the store is, for the log and the admin page (never a secret). */
    String describe();

    /** True while the store refuses to write to keep its disk's free-space floor. */
    default boolean belowFloor() {
        return false;
    }

    /** An object in the store. */
    record StoredObject(String key, long size) {}
}
