package io.picam.relay.stream;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores {@link StreamFormat} by its contract name ({@code mpegts}, {@code fmp4}). */
@Converter(autoApply = true)
public class StreamFormatConverter implements AttributeConverter<StreamFormat, String> {
    @Override
    public String convertToDatabaseColumn(StreamFormat format) {
        return format == null ? null : format.id();
    }

    @Override
    public StreamFormat convertToEntityAttribute(String id) {
        return id == null ? null : StreamFormat.fromId(id);
    }
}
