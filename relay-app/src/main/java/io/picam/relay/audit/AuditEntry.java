package io.picam.relay.audit;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

/** One line of the audit log: who did what to what, when, from where. Never a secret. */
@Entity
@Table(name = "audit_log")
public class AuditEntry extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public Instant at;
    public String actor;
    public String action;
    public String target;
    public String detail;
    public String address;

    public static List<AuditEntry> newest(int limit) {
        return find("order by at desc, id desc").page(0, limit).list();
    }
}
