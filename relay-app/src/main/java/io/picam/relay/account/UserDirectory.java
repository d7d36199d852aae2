package io.picam.relay.account;

import io.picam.relay.domain.ConflictException;
import io.picam.relay.domain.NotFoundException;
import io.picam.relay.stream.CameraStream;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Creating, changing and deleting users, with the rules that keep an install administrable. */
@ApplicationScoped
public class UserDirectory {

    private final Event<CredentialsEnded> ended;
    private final Event<AccessChanged> accessChanged;

    public UserDirectory(Event<CredentialsEnded> ended, Event<AccessChanged> accessChanged) {
        this.ended = ended;
        this.accessChanged = accessChanged;
    }

    /** A user as the admin API shows it: never the password hash. */
    public record UserView(String username, Set<Role> roles, Instant createdAt, List<String> streams) {
        static UserView of(User u) {
            List<String> granted =
                    CameraStream.grantedTo(u.id).stream().map(s -> s.id).toList();
            return new UserView(u.username, u.roleSet(), u.createdAt, granted);
        }
    }

    @Transactional
    public List<UserView> list() {
        return User.<User>list("order by lower(username)").stream()
                .map(UserView::of)
                .toList();
    }

    @Transactional
    public UserView create(String username, String password, Set<Role> roles) {
        if (User.findByUsername(username).isPresent()) {
            throw new ConflictException("user " + username + " already exists");
        }
        User user = User.create(username, password, roles);
        User.flush(); // created_at comes from the database
        User.getEntityManager().refresh(user);
        return UserView.of(user);
    }

    /**
     * Changes the password and/or roles; an admin cannot take away their own admin role. A new password (often
     * the answer to a leaked one) or a removed role ends every session and token of the user, but the session
     * {@code actorSession} making the change (0: none).
     */
    @Transactional
    public UserView update(
            String actor, long actorSession, String username, Optional<String> password, Optional<Set<Role>> roles) {
        User user = find(username);
        if (roles.isPresent()
                && user.username.equalsIgnoreCase(actor)
                && !roles.get().contains(Role.ADMIN)) {
            throw new ConflictException("you cannot remove your own admin role; ask another admin");
        }
        boolean roleRemoved = roles.isPresent() && !roles.get().containsAll(user.roleSet());
        password.ifPresent(user::setPassword);
        roles.ifPresent(r -> user.roles = Role.join(r));
        if (password.isPresent() || roleRemoved) {
            endCredentials(user, user.username.equalsIgnoreCase(actor) ? actorSession : 0);
        }
        if (roles.isPresent()) {
            accessChanged.fire(AccessChanged.of(user.username));
        }
        return UserView.of(user);
    }

    private void endCredentials(User user, long keepSession) {
        Set<String> keys = new HashSet<>();
        LoginSession.ownedBy(user).stream().filter(s -> s.id != keepSession).forEach(s -> keys.add("s:" + s.id));
        AccessToken.ownedBy(user).forEach(t -> keys.add("t:" + t.id));
        LoginSession.delete("user = ?1 and id <> ?2", user, keepSession);
        AccessToken.delete("user", user);
        if (!keys.isEmpty()) {
            ended.fire(new CredentialsEnded(user.username, Set.copyOf(keys), false));
        }
    }

    /** Deletes a user with their grants and tokens; an admin cannot delete their own account. */
    @Transactional
    public void delete(String actor, String username) {
        User user = find(username);
        if (user.username.equalsIgnoreCase(actor)) {
            throw new ConflictException("you cannot delete your own account; ask another admin");
        }
        for (CameraStream stream : CameraStream.grantedTo(user.id)) {
            stream.viewers.remove(user);
        }
        AccessToken.delete("user", user);
        LoginSession.delete("user", user);
        user.delete();
        ended.fire(CredentialsEnded.all(user.username));
        accessChanged.fire(AccessChanged.of(user.username));
    }

    @Transactional
    public boolean isAdmin(String username) {
        return User.findByUsername(username)
                .map(u -> u.roleSet().contains(Role.ADMIN))
                .orElse(false);
    }

    static User find(String username) {
        return User.findByUsername(username).orElseThrow(() -> new NotFoundException("no user " + username));
    }
}
