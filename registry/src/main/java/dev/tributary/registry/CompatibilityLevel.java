package dev.tributary.registry;

import java.util.Locale;

/**
 * The seven compatibility levels of the Confluent API. "Backward" means the new schema can read data written
 * with the old ones; "forward" means the old ones can read data written with the new one; "transitive" checks
 * every earlier version instead of only the latest.
 */
public enum CompatibilityLevel {
    NONE,
    BACKWARD,
    BACKWARD_TRANSITIVE,
    FORWARD,
    FORWARD_TRANSITIVE,
    FULL,
    FULL_TRANSITIVE;

    /** Confluent's default for a registry without configuration. */
    public static final CompatibilityLevel DEFAULT = BACKWARD;

    public boolean transitive() {
        return this == BACKWARD_TRANSITIVE || this == FORWARD_TRANSITIVE || this == FULL_TRANSITIVE;
    }

    /** The same direction checked only against the latest version (used to check one chosen version). */
    public CompatibilityLevel nonTransitive() {
        switch (this) {
            case BACKWARD_TRANSITIVE:
                return BACKWARD;
            case FORWARD_TRANSITIVE:
                return FORWARD;
            case FULL_TRANSITIVE:
                return FULL;
            default:
                return this;
        }
    }

    /** Parses a level name case-insensitively; unknown names are a 42203 error naming the value. */
    public static CompatibilityLevel parse(String name) {
        if (name != null) {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                // fall through to the error naming the value
            }
        }
        throw RegistryError.INVALID_COMPATIBILITY_LEVEL.exception(
                "Invalid compatibility level '" + name + "'. Valid values are: " + java.util.Arrays.toString(values()));
    }
}
