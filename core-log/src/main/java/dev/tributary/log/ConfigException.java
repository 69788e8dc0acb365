package dev.tributary.log;

/** An invalid configuration value; the message names the key and the value. */
public class ConfigException extends RuntimeException {
    private final String key;
    private final String value;

    public ConfigException(String key, String value, String reason) {
        super("Invalid value '" + value + "' for configuration " + key + ": " + reason);
        this.key = key;
        this.value = value;
    }

    public String key() {
        return key;
    }

    public String value() {
        return value;
    }
}
