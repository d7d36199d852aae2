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

/** One login: the browser holds a random id, the database only its SHA-256. */
@Entity
@Table(name = "sessions")
public class LoginSession extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(optional = false)
    @JoinColumn(name = "user_id")
    public User user;

    @Column(name = "id_hash")
    public String idHash;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "last_seen_at")
    public Instant lastSeenAt;

    public String address;

    @Column(name = "user_agent")
    public String userAgent;

    static Optional<LoginSession> findByHash(String hash) {
        return find("from LoginSession s join fetch s.user where s.idHash = ?1", hash)
                .firstResultOptional();
    }

    static List<LoginSession> ownedBy(User user) {
        return list("user = ?1 order by lastSeenAt desc, id desc", user);
    }
}
