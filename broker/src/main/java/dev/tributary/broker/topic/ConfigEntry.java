package dev.tributary.broker.topic;

/**
 * One config as DescribeConfigs reports it.
 *
 * @param source where the effective value comes from
 * @param type the value's type, for tools that format it
 */
public record ConfigEntry(String name, String value, Source source, boolean readOnly, Type type, String documentation) {

    /** Where a value comes from, most specific first (Kafka's ConfigSource). */
    public enum Source {
        TOPIC_OVERRIDE,
        DYNAMIC_BROKER,
        DYNAMIC_BROKER_DEFAULT,
        STATIC_BROKER,
        DEFAULT
    }

    public enum Type {
        BOOLEAN,
        STRING,
        INT,
        LONG,
        DOUBLE,
        LIST
    }
}
