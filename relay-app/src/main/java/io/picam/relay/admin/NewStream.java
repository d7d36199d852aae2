package io.picam.relay.admin;

import io.picam.relay.stream.StreamFormat;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /api/admin/streams}. */
public record NewStream(
        @NotBlank(message = "name is required")
        @Size(max = 100, message = "name is at most 100 characters")
        @Pattern(regexp = "[^\\p{Cntrl}]*", message = "name must not contain control characters")
        String name,

        @NotNull(message = "format is required: mpegts or fmp4")
        StreamFormat format) {}
