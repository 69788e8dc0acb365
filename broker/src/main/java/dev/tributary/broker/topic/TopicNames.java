package dev.tributary.broker.topic;

import dev.tributary.broker.errors.InvalidTopicException;

/**
 * Kafka's topic name rules: 1-249 characters from [a-zA-Z0-9._-], not "." or "..". The limit of 249
 * leaves room for "-" and a partition number in a 255-byte directory name.
 */
public final class TopicNames {
    public static final int MAX_LENGTH = 249;
    /** The schema registry's store topic (registry module's {@code KafkaRegistryStore.DEFAULT_TOPIC}). */
    public static final String SCHEMAS_TOPIC = "_schemas";

    private TopicNames() {}

    /**
     * Topics the broker's own services keep their state in: Kafka's internal topics ({@code __} prefix,
     * e.g. {@code __consumer_offsets}) and the hosted schema registry's {@code _schemas}. DeleteTopics
     * refuses them, as Kafka's tools refuse to delete internal topics.
     */
    public static boolean isProtectedFromDeletion(String name) {
        return name.startsWith("__") || name.equals(SCHEMAS_TOPIC);
    }

    public static void validate(String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidTopicException("Topic name is empty");
        }
        if (name.equals(".") || name.equals("..")) {
            throw new InvalidTopicException("Topic name cannot be '" + name + "'");
        }
        if (name.length() > MAX_LENGTH) {
            throw new InvalidTopicException(
                    "Topic name '" + name + "' is " + name.length() + " characters long; the limit is " + MAX_LENGTH);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '_'
                    || c == '-';
            if (!ok) {
                throw new InvalidTopicException("Topic name '" + name + "' contains '" + c
                        + "'; only ASCII letters, digits, '.', '_' and '-' are allowed");
            }
        }
    }
}
