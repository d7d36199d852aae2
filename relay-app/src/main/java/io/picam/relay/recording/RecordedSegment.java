package io.picam.relay.recording;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

/** One row of the recording index: a segment stored under {@code storageKey}. */
@Entity
@Table(name = "recordings")
public class RecordedSegment extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "stream_id", nullable = false)
    public String streamId;

    @Column(name = "start_at", nullable = false)
    public Instant start;

    @Column(name = "end_at", nullable = false)
    public Instant end;

    @Column(nullable = false)
    public long bytes;

    @Column(name = "storage_key", nullable = false)
    public String storageKey;

    @Column(name = "init_size", nullable = false)
    public int initSize;

    @Column(name = "init_hash")
    public String initHash;

    public String codec;

    /** Segments of a stream overlapping {@code [from, to)}, oldest first: one range scan of the (stream, start) index. */
    static List<RecordedSegment> overlapping(String streamId, Instant from, Instant to) {
        // a segment is at most a few GOPs long, so one that overlaps 'from' starts less than an hour before it
        return list(
                "streamId = ?1 and start >= ?2 and start < ?3 and end > ?4 order by start",
                streamId,
                from.minusSeconds(3600),
                to,
                from);
    }
}
