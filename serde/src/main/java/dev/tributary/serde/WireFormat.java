package dev.tributary.serde;

import java.util.Locale;

/** How a serialized value names its writer schema. */
public enum WireFormat {
    /** Confluent framing: magic byte 0, then the registry's 4-byte schema id (see {@link ConfluentFraming}). */
    CONFLUENT,
    /**
     * Avro single-object encoding: {@code C3 01}, then the schema's 8-byte CRC-64-AVRO fingerprint, little-endian
     * (Avro's {@code BinaryMessageEncoder}); the fingerprint is resolved through the registry.
     */
    SINGLE_OBJECT;

    static WireFormat parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        switch (v) {
            case "confluent":
                return CONFLUENT;
            case "single-object":
                return SINGLE_OBJECT;
            default:
                throw new IllegalArgumentException("Unknown " + AvroSerdeConfig.WIRE_FORMAT + " '" + value
                        + "'; expected confluent or single-object");
        }
    }
}
