package io.picam.relay.recording;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The recording index in PostgreSQL and the recording settings. Listing a stream's recordings is one range scan of
 * the (stream, start) index, never a walk of the store. Every method is blocking (JDBC).
 */
@ApplicationScoped
public class RecordingIndex {

    /** Consecutive segments closer than this form one span (a cut is exact; this absorbs clock rounding). */
    static final long JOIN_TOLERANCE_MILLIS = 1500;

    /** A recorded span of time without a gap. */
    public record Span(Instant start, Instant end) {}

    /** A stored segment as the player sees it. */
    public record Segment(long id, Instant start, Instant end, long bytes) {
        static Segment of(RecordedSegment s) {
            return new Segment(s.id, s.start, s.end, s.bytes);
        }
    }

    /** A stream's recording settings, as the admin API shows and takes them. */
    public record Settings(boolean enabled, Integer retentionDays, Long retentionBytes) {
        public static final Settings OFF = new Settings(false, null, null);
    }

    private final EntityManager em;

    public RecordingIndex(EntityManager em) {
        this.em = em;
    }

    @Transactional
    public void add(FinishedSegment segment, String key) {
        RecordedSegment row = new RecordedSegment();
        row.streamId = segment.streamId();
        row.start = segment.start();
        row.end = segment.end();
        row.bytes = segment.bytes();
        row.storageKey = key;
        row.initSize = segment.initSize();
        row.initHash = segment.initHash();
        row.codec = segment.codec();
        row.persist();
    }

    @Transactional
    public List<Span> spans(String streamId, Instant from, Instant to) {
        List<Span> spans = new ArrayList<>();
        Instant start = null;
        Instant end = null;
        for (RecordedSegment s : RecordedSegment.overlapping(streamId, from, to)) {
            if (start != null && s.start.toEpochMilli() - end.toEpochMilli() <= JOIN_TOLERANCE_MILLIS) {
                end = s.end.isAfter(end) ? s.end : end;
                continue;
            }
            if (start != null) {
                spans.add(new Span(start, end));
            }
            start = s.start;
            end = s.end;
        }
        if (start != null) {
            spans.add(new Span(start, end));
        }
        return spans;
    }

    @Transactional
    public List<Segment> segments(String streamId, Instant from, Instant to) {
        return RecordedSegment.overlapping(streamId, from, to).stream()
                .map(Segment::of)
                .toList();
    }

    /** The rows of the segments overlapping the range, detached, for a clip. */
    @Transactional
    List<RecordedSegment> rows(String streamId, Instant from, Instant to) {
        List<RecordedSegment> rows = RecordedSegment.overlapping(streamId, from, to);
        rows.forEach(em::detach);
        return rows;
    }

    @Transactional
    Optional<RecordedSegment> find(String streamId, long id) {
        return RecordedSegment.<RecordedSegment>findByIdOptional(id)
                .filter(s -> s.streamId.equals(streamId))
                .map(s -> {
                    em.detach(s);
                    return s;
                });
    }

    /** Deletes the row (before its object, so the index never points at nothing); true when there was one. */
    @Transactional
    boolean remove(long id) {
        return RecordedSegment.deleteById(id);
    }

    @Transactional
    public Settings settings(String streamId) {
        RecordingSettings s = RecordingSettings.findById(streamId);
        return s == null ? Settings.OFF : new Settings(s.enabled, s.retentionDays, s.retentionBytes);
    }

    @Transactional
    public Map<String, Settings> allSettings() {
        return RecordingSettings.<RecordingSettings>listAll().stream()
                .collect(Collectors.toMap(
                        s -> s.streamId, s -> new Settings(s.enabled, s.retentionDays, s.retentionBytes)));
    }

    @Transactional
    public void saveSettings(String streamId, Settings settings) {
        RecordingSettings s = RecordingSettings.findById(streamId);
        if (s == null) {
            s = new RecordingSettings();
            s.streamId = streamId;
        }
        s.enabled = settings.enabled();
        s.retentionDays = settings.retentionDays();
        s.retentionBytes = settings.retentionBytes();
        s.updatedAt = Instant.now();
        s.persist();
    }

    /** Segments of a stream that ended before {@code before}, oldest first, at most {@code limit}. */
    @Transactional
    List<RecordedSegment> endedBefore(String streamId, Instant before, int limit) {
        return detached(RecordedSegment.find("streamId = ?1 and end < ?2 order by start", streamId, before)
                .page(0, limit)
                .list());
    }

    /** The oldest segments of a stream, at most {@code limit}. */
    @Transactional
    List<RecordedSegment> oldest(String streamId, int limit) {
        return detached(RecordedSegment.find("streamId = ?1 order by start", streamId)
                .page(0, limit)
                .list());
    }

    /** The oldest segments of every stream, at most {@code limit}. */
    @Transactional
    List<RecordedSegment> oldestOfAll(int limit) {
        return detached(RecordedSegment.find("order by start").page(0, limit).list());
    }

    @Transactional
    public long storedBytes(String streamId) {
        Long sum = em.createQuery("select sum(s.bytes) from RecordedSegment s where s.streamId = ?1", Long.class)
                .setParameter(1, streamId)
                .getSingleResult();
        return sum == null ? 0 : sum;
    }

    /** Stored bytes of every stream that has recordings. */
    @Transactional
    public Map<String, Long> storedBytesByStream() {
        return em.createQuery(
                        "select s.streamId, sum(s.bytes) from RecordedSegment s group by s.streamId", Object[].class)
                .getResultStream()
                .collect(Collectors.toMap(r -> (String) r[0], r -> ((Number) r[1]).longValue()));
    }

    /** Which of these keys have a row. */
    @Transactional
    Set<String> knownKeys(List<String> keys) {
        Set<String> known = new HashSet<>();
        for (int i = 0; i < keys.size(); i += 500) {
            known.addAll(em.createQuery(
                            "select s.storageKey from RecordedSegment s where s.storageKey in ?1", String.class)
                    .setParameter(1, keys.subList(i, Math.min(keys.size(), i + 500)))
                    .getResultList());
        }
        return known;
    }

    private List<RecordedSegment> detached(List<RecordedSegment> rows) {
        rows.forEach(em::detach);
        return rows;
    }
}
