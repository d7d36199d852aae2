package io.picam.relay.account;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.security.jpa.Password;
import io.quarkus.security.jpa.Roles;
import io.quarkus.security.jpa.UserDefinition;
import io.quarkus.security.jpa.Username;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** A person who logs in; Quarkus Security JPA reads it for form login (bcrypt passwords). */
@Entity
@Table(name = "users")
@UserDefinition
public class User extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Username
    public String username;

    @Password
    @Column(name = "password_hash")
    public String passwordHash;

    @Roles
    public String roles;

    @Column(name = "created_at", insertable = false, updatable = false)
    public Instant createdAt;

    public static User create(String username, String password, Set<Role> roles) {
        User user = new User();
        user.username = username;
        user.setPassword(password);
        user.roles = Role.join(roles);
        user.persist();
        return user;
    }

    public static Optional<User> findByUsername(String username) {
        return find("lower(username) = lower(?1)", username).firstResultOptional();
    }

    public void setPassword(String password) {
        passwordHash = BcryptUtil.bcryptHash(password);
    }

    public Set<Role> roleSet() {
        return Role.split(roles);
    }
}
