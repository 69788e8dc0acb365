package dev.tributary.log.record;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A record header: a UTF-8 key and a value that may be null. */
public record Header(String key, byte[] value) {
    public Header {
        if (key == null) {
            throw new IllegalArgumentException("header key must not be null");
        }
    }

    public static Header of(String key, String value) {
        return new Header(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Header h && key.equals(h.key) && Arrays.equals(value, h.value);
    }

    @Override
    public int hashCode() {
        return key.hashCode() * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return key + "=" + (value == null ? "null" : new String(value, StandardCharsets.UTF_8));
    }
}
