package io.picam.relay.share;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A link to watch one stream without an account. Only the SHA-256 of its token is stored, and a bcrypt of its PIN. */
@Entity
@Table(name = "share_links")
public class ShareLink extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "stream_id")
    public String streamId;

    @Column(name = "token_hash")
    public String tokenHash;

    public String label;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "pin_hash")
    public String pinHash;

    @Column(name = "max_viewers")
    public Integer maxViewers;

    public boolean recordings;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "last_used_at")
    public Instant lastUsedAt;

    /** Made by a viewer (not an admin): it ends when its maker may no longer share the stream. */
    @Column(name = "by_viewer")
    public boolean byViewer;

    public static List<ShareLink> ofStream(String streamId) {
        return list("streamId = ?1 order by createdAt desc, id desc", streamId);
    }

    public static Optional<ShareLink> findByHash(String hash) {
        return find("tokenHash", hash).firstResultOptional();
    }
}
