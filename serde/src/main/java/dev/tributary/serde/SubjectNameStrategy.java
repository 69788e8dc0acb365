package dev.tributary.serde;

import java.util.Locale;
import org.apache.avro.Schema;

/**
 * Which registry subject a topic's schema is registered under, with Confluent's three strategies and names.
 */
public enum SubjectNameStrategy {
    /** {@code <topic>-key} / {@code <topic>-value}: one schema lineage per topic (the default). */
    TOPIC {
        @Override
        public String subject(String topic, boolean isKey, Schema schema) {
            return topic + (isKey ? "-key" : "-value");
        }
    },
    /** The record's full name: one lineage per record type, shared by every topic. */
    RECORD {
        @Override
        public String subject(String topic, boolean isKey, Schema schema) {
            return schema.getFullName();
        }
    },
    /** {@code <topic>-<record full name>}: several record types per topic, each with its own lineage. */
    TOPIC_RECORD {
        @Override
        public String subject(String topic, boolean isKey, Schema schema) {
            return topic + "-" + schema.getFullName();
        }
    };

    public abstract String subject(String topic, boolean isKey, Schema schema);

    /** Accepts {@code topic}, {@code record}, {@code topic_record} or Confluent's strategy class names. */
    public static SubjectNameStrategy parse(String value) {
        String v = value.trim();
        int dot = v.lastIndexOf('.');
        v = v.substring(dot + 1)
                .toLowerCase(Locale.ROOT)
                .replace("namestrategy", "")
                .replace('-', '_');
        switch (v) {
            case "topic":
                return TOPIC;
            case "record":
                return RECORD;
            case "topic_record":
            case "topicrecord":
                return TOPIC_RECORD;
            default:
                throw new IllegalArgumentException(
                        "Unknown subject name strategy '" + value + "'; expected topic, record or topic_record");
        }
    }
}
