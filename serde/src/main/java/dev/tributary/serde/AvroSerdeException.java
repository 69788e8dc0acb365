package dev.tributary.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A value the deserializer cannot read (unknown magic byte, unknown schema, truncated or corrupt body). The
 * message names the topic, whether it was the key or the value, the reason and the first bytes seen. The
 * consumer wraps it in a {@code RecordDeserializationException} that adds the partition and offset.
 */
public class AvroSerdeException extends SerializationException {
    /** How many leading bytes the message shows: enough for either header plus the start of the body. */
    static final int SHOWN_BYTES = 16;

    public AvroSerdeException(String topic, boolean isKey, byte[] data, String reason, Throwable cause) {
        super(
                "Cannot deserialize Avro " + (isKey ? "key" : "value") + " of topic '" + topic + "': " + reason + "; "
                        + data.length + " bytes, first bytes: " + firstBytes(data),
                cause);
    }

    static String firstBytes(byte[] data) {
        StringBuilder sb = new StringBuilder();
        int n = Math.min(data.length, SHOWN_BYTES);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(Character.forDigit((data[i] >> 4) & 0xF, 16)).append(Character.forDigit(data[i] & 0xF, 16));
        }
        return n < data.length ? sb.append(" ...").toString() : sb.toString();
    }
}
