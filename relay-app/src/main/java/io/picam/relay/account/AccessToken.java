package io.picam.relay.account;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A personal access token: scripts and {@code picam setup} act as its user. Only its SHA-256 is stored. */
@Entity
@Table(name = "access_tokens")
public class AccessToken extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(optional = false)
    @JoinColumn(name = "user_id")
    public User user;

    public String name;

    @Column(name = "token_hash")
    public String tokenHash;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "last_used_at")
    public Instant lastUsedAt;

    /** What it may do within its owner's roles, comma-separated {@link Scope} ids. */
    public String scopes;

    public Set<Scope> scopeSet() {
        return Scope.split(scopes);
    }

    public static List<AccessToken> ownedBy(User user) {
        return list("user = ?1 order by createdAt desc, id desc", user);
    }

    public static Optional<AccessToken> findByHash(String hash) {
        return find("from AccessToken t join fetch t.user where t.tokenHash = ?1", hash)
                .firstResultOptional();
    }
}
