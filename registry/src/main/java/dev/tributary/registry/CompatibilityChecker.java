package dev.tributary.registry;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaValidationException;
import org.apache.avro.SchemaValidator;
import org.apache.avro.SchemaValidatorBuilder;

/**
 * Decides whether a candidate schema may join a subject under a {@link CompatibilityLevel}. No I/O.
 *
 * <p>The decision is Avro's own {@link SchemaValidatorBuilder}: BACKWARD is "the candidate can read the
 * existing", FORWARD "the existing can read the candidate", FULL both; the transitive levels validate against
 * every earlier version, the others against the latest only. When the validator refuses, the reason is
 * spelled out with {@link SchemaCompatibility}, which names the incompatibility type and the path in the
 * schema, because the validator's own message only prints the two schemas.
 */
public final class CompatibilityChecker {

    private CompatibilityChecker() {}

    /**
     * @param existingNewestFirst the subject's live versions, newest first (the order {@code validateLatest}
     *                            relies on)
     */
    public static CompatibilityResult check(
            CompatibilityLevel level, Schema candidate, List<Schema> existingNewestFirst) {
        if (level == CompatibilityLevel.NONE || existingNewestFirst.isEmpty()) {
            return CompatibilityResult.COMPATIBLE;
        }
        SchemaValidator validator = validator(level);
        try {
            validator.validate(candidate, existingNewestFirst);
            return CompatibilityResult.COMPATIBLE;
        } catch (SchemaValidationException e) {
            return CompatibilityResult.incompatible(explain(level, candidate, existingNewestFirst, e));
        }
    }

    private static SchemaValidator validator(CompatibilityLevel level) {
        SchemaValidatorBuilder builder = new SchemaValidatorBuilder();
        switch (level.nonTransitive()) {
            case BACKWARD:
                builder.canReadStrategy();
                break;
            case FORWARD:
                builder.canBeReadStrategy();
                break;
            case FULL:
                builder.mutualReadStrategy();
                break;
            default:
                throw new IllegalArgumentException("no validator for level " + level);
        }
        return level.transitive() ? builder.validateAll() : builder.validateLatest();
    }

    private static List<String> explain(
            CompatibilityLevel level, Schema candidate, List<Schema> existingNewestFirst, SchemaValidationException e) {
        List<String> reasons = new ArrayList<>();
        List<Schema> checked = level.transitive() ? existingNewestFirst : existingNewestFirst.subList(0, 1);
        CompatibilityLevel direction = level.nonTransitive();
        for (Schema existing : checked) {
            if (direction == CompatibilityLevel.BACKWARD || direction == CompatibilityLevel.FULL) {
                describe("new schema cannot read data written with an existing one", candidate, existing, reasons);
            }
            if (direction == CompatibilityLevel.FORWARD || direction == CompatibilityLevel.FULL) {
                describe("an existing schema cannot read data written with the new one", existing, candidate, reasons);
            }
        }
        reasons.add(e.getMessage().replaceAll("\\s+", " ").trim());
        return reasons;
    }

    private static void describe(String what, Schema reader, Schema writer, List<String> out) {
        SchemaCompatibility.SchemaCompatibilityResult result = SchemaCompatibility.checkReaderWriterCompatibility(
                        reader, writer)
                .getResult();
        for (SchemaCompatibility.Incompatibility i : result.getIncompatibilities()) {
            String line = what + ": " + i.getType() + " at '" + i.getLocation() + "': " + i.getMessage();
            if (!out.contains(line)) {
                out.add(line);
            }
        }
    }

    /** The outcome: compatible, or the list of Avro's reasons. */
    public record CompatibilityResult(boolean compatible, List<String> reasons) {
        public static final CompatibilityResult COMPATIBLE = new CompatibilityResult(true, List.of());

        static CompatibilityResult incompatible(List<String> reasons) {
            return new CompatibilityResult(false, List.copyOf(reasons));
        }
    }
}
