package dev.tributary.broker.config;

import dev.tributary.broker.errors.InvalidConfigException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses one setting's text into a typed value within inclusive bounds; every bad value is an
 * {@link InvalidConfigException} naming the key and the value. Used by {@link BrokerConfig}'s typed getters.
 */
final class ConfigValues {
    private ConfigValues() {}

    static double parseDouble(String key, String v, double min, double max) {
        double d;
        try {
            d = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new InvalidConfigException(key, v, "not a number");
        }
        if (!(d >= min && d <= max)) { // also rejects NaN
            throw new InvalidConfigException(key, v, "must be between " + min + " and " + max);
        }
        return d;
    }

    static long parseLong(String key, String value, long min, long max, String unit) {
        long n;
        try {
            n = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new InvalidConfigException(key, value, "not an integer");
        }
        if (n < min) {
            throw new InvalidConfigException(key, value, "must be at least " + min + unit);
        }
        if (n > max) {
            throw new InvalidConfigException(key, value, "must be at most " + max + unit);
        }
        return n;
    }

    static boolean parseBoolean(String key, String value) {
        String v = value.trim();
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw new InvalidConfigException(key, value, "expected true or false");
    }

    static List<String> parseList(String value) {
        List<String> out = new ArrayList<>();
        for (String item : value.split(",")) {
            if (!item.isBlank()) {
                out.add(item.trim());
            }
        }
        return out;
    }
}
