package io.picam.relay.stream;

import io.picam.relay.account.User;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinTable;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** One camera: what viewers open at {@code /streams/{id}} and what a Pi publishes to. */
@Entity
@Table(name = "streams")
public class CameraStream extends PanacheEntityBase {

    @Id
    public String id;

    public String name;

    public StreamFormat format;

    /** SHA-256 of the publishing secret, hex; the secret itself is never stored. */
    @Column(name = "secret_hash")
    public String secretHash;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "secret_rotated_at")
    public Instant secretRotatedAt;

    /** Whether the users granted this stream may make share links of it (admins always may). */
    @Column(name = "viewers_may_share")
    public boolean viewersMayShare;

    /** Users (besides admins) who may watch. */
    @ManyToMany
    @JoinTable(
            name = "stream_grants",
            joinColumns = @JoinColumn(name = "stream_id"),
            inverseJoinColumns = @JoinColumn(name = "user_id"))
    public Set<User> viewers = new HashSet<>();

    public static List<CameraStream> listOrdered() {
        return list("order by name, id");
    }

    public static List<CameraStream> grantedTo(long userId) {
        return list("select s from CameraStream s join s.viewers v where v.id = ?1 order by s.name, s.id", userId);
    }

    public static boolean isGranted(String streamId, long userId) {
        return count(
                        "select count(s) from CameraStream s join s.viewers v where s.id = ?1 and v.id = ?2",
                        streamId,
                        userId)
                > 0;
    }
}
