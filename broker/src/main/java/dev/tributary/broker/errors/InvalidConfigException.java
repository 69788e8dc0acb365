package dev.tributary.broker.errors;

/**
 * A configuration key or value the broker rejects: a broker setting at start, or a topic or dynamic
 * config in a request. The message names the key and the value, and {@link #key()} and {@link #value()}
 * carry them when the exception is about one setting.
 */
public class InvalidConfigException extends BrokerException {
    private final String key;
    private final String value;

    public InvalidConfigException(String message) {
        super(message);
        this.key = null;
        this.value = null;
    }

    /** A bad value of one setting: "Invalid value 'v' for configuration k: reason". */
    public InvalidConfigException(String key, String value, String reason) {
        super("Invalid value '" + value + "' for configuration " + key + ": " + reason);
        this.key = key;
        this.value = value;
    }

    /** The setting, or null when the exception is not about one setting. */
    public String key() {
        return key;
    }

    /** The rejected value as given, or null. */
    public String value() {
        return value;
    }
}
