package io.picam.relay.api;

import io.picam.relay.share.ShareLinks.NewLink;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /api/admin/streams/{id}/links} and {@code POST /api/streams/{id}/links}. */
public record NewShareLink(
        @NotBlank(message = "label is required")
        @Size(max = 100, message = "label is at most 100 characters")
        @Pattern(regexp = "[^\\p{Cntrl}]*", message = "label must not contain control characters")
        String label,

        @NotNull(message = "expiresInHours is required: 1 to 720 (30 days)")
        @Min(value = 1, message = "expiresInHours is 1 to 720 (30 days)")
        @Max(value = 720, message = "expiresInHours is 1 to 720 (30 days)")
        Integer expiresInHours,

        @Pattern(regexp = "[0-9]{4,12}", message = "pin is 4 to 12 digits")
        String pin,

        @Min(value = 1, message = "maxViewers is 1 to 1000") @Max(value = 1000, message = "maxViewers is 1 to 1000")
        Integer maxViewers,

        Boolean recordings) {

    /** What the link is made of. */
    public NewLink request() {
        return new NewLink(label, expiresInHours, pin, maxViewers, Boolean.TRUE.equals(recordings));
    }

    /** The audit log's detail of a link made from this body: never the PIN itself. */
    public String describe(String streamId) {
        return label.strip() + ", stream " + streamId + ", " + expiresInHours + " h"
                + (pin != null ? ", PIN" : "")
                + (maxViewers != null ? ", at most " + maxViewers + " viewers" : "")
                + (Boolean.TRUE.equals(recordings) ? ", recordings" : "");
    }
}
