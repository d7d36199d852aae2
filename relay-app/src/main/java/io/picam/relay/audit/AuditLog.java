package io.picam.relay.audit;

import io.picam.relay.domain.StoredText;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Writes the audit log (and the same line to the application log). Callers pass names, ids and addresses only,
 * never a secret, token or password; control characters are replaced so that nobody forges a log line.
 */
@ApplicationScoped
public class AuditLog {

    private static final Logger LOG = Logger.getLogger(AuditLog.class);

    /** What an admin or a login did. */
    public enum Action {
        LOGIN,
        LOGIN_FAILED,
        LOGIN_THROTTLED,
        USER_CREATED,
        USER_UPDATED,
        USER_DELETED,
        STREAM_CREATED,
        STREAM_CHANGED,
        STREAM_DELETED,
        SECRET_ROTATED,
        GRANT_ADDED,
        GRANT_REVOKED,
        TOKEN_CREATED,
        TOKEN_REVOKED,
        RECORDING_CHANGED,
        RECORDING_DOWNLOADED,
        RECORDING_GAP,
        WEBHOOK_CREATED,
        WEBHOOK_DELETED,
        SHARE_LINK_CREATED,
        SHARE_LINK_USED,
        SHARE_LINK_REVOKED;

        public String id() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    @Transactional
    public void record(String actor, Action action, String target, String detail, String address) {
        AuditEntry entry = new AuditEntry();
        entry.at = Instant.now();
        entry.actor = StoredText.clip(actor, 64);
        entry.action = action.id();
        entry.target = StoredText.clip(target, 200);
        entry.detail = StoredText.clip(detail, 500);
        entry.address = StoredText.clip(address, 64);
        entry.persist();
        LOG.infof(
                "audit: %s %s%s%s from %s",
                entry.actor,
                entry.action,
                entry.target == null ? "" : " " + entry.target,
                entry.detail == null ? "" : " (" + entry.detail + ")",
                entry.address);
    }

    @Transactional
    public long deleteOlderThan(Instant before) {
        return AuditEntry.delete("at < ?1", before);
    }

    @Transactional
    public List<AuditEntry> newest(int limit) {
        return AuditEntry.newest(limit);
    }
}
