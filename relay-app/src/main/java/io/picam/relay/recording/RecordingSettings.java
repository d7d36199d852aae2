package io.picam.relay.recording;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** Whether a stream is recorded and how long its recordings are kept; no row means not recorded. */
@Entity
@Table(name = "recording_settings")
public class RecordingSettings extends PanacheEntityBase {

    @Id
    @Column(name = "stream_id")
    public String streamId;

    @Column(nullable = false)
    public boolean enabled;

    @Column(name = "retention_days")
    public Integer retentionDays;

    @Column(name = "retention_bytes")
    public Long retentionBytes;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
