package dev.tributary.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CompatibilityCheckerTest {
    private static Schema record(String fields) {
        return new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"R\",\"fields\":[" + fields + "]}");
    }

    private static final Schema A = record("{\"name\":\"a\",\"type\":\"int\"}");
    private static final Schema A_B_REQUIRED =
            record("{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":\"string\"}");
    private static final Schema A_B_DEFAULT =
            record("{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":\"string\",\"default\":\"x\"}");

    /**
     * History [A, A+b(default)], candidate A+b(required): the candidate reads the latest data but not the
     * oldest (b missing, no default); both old schemas read its data.
     */
    @ParameterizedTest(name = "{0} -> compatible={1}")
    @CsvSource({
        "NONE, true",
        "BACKWARD, true",
        "BACKWARD_TRANSITIVE, false",
        "FORWARD, true",
        "FORWARD_TRANSITIVE, true",
        "FULL, true",
        "FULL_TRANSITIVE, false",
    })
    void shouldApplyEachLevelToAddingARequiredField(CompatibilityLevel level, boolean compatible) {
        var result = CompatibilityChecker.check(level, A_B_REQUIRED, List.of(A_B_DEFAULT, A));
        assertThat(result.compatible()).isEqualTo(compatible);
        if (!compatible) {
            assertThat(result.reasons()).anySatisfy(r -> assertThat(r).contains("READER_FIELD_MISSING_DEFAULT_VALUE"));
        }
    }

    /**
     * History [A+b(required), A+b(default)], candidate A: the latest reads its data (default), the oldest
     * cannot (b required); the candidate reads both (ignores b).
     */
    @ParameterizedTest(name = "{0} -> compatible={1}")
    @CsvSource({
        "NONE, true",
        "BACKWARD, true",
        "BACKWARD_TRANSITIVE, true",
        "FORWARD, true",
        "FORWARD_TRANSITIVE, false",
        "FULL, true",
        "FULL_TRANSITIVE, false",
    })
    void shouldApplyEachLevelToRemovingAField(CompatibilityLevel level, boolean compatible) {
        var result = CompatibilityChecker.check(level, A, List.of(A_B_DEFAULT, A_B_REQUIRED));
        assertThat(result.compatible()).isEqualTo(compatible);
    }

    @ParameterizedTest
    @CsvSource({"BACKWARD", "FORWARD", "FULL"})
    void shouldRejectChangingAFieldTypeAtEveryCheckingLevel(CompatibilityLevel level) {
        Schema aAsString = record("{\"name\":\"a\",\"type\":\"string\"}");
        var result = CompatibilityChecker.check(level, aAsString, List.of(A));
        assertThat(result.compatible()).isFalse();
        assertThat(result.reasons())
                .anySatisfy(r -> assertThat(r).contains("TYPE_MISMATCH").contains("/fields/0/type"));
    }

    @ParameterizedTest
    @CsvSource({"NONE", "BACKWARD", "FULL_TRANSITIVE"})
    void shouldAcceptAnythingAsTheFirstVersion(CompatibilityLevel level) {
        assertThat(CompatibilityChecker.check(level, A, List.of()).compatible()).isTrue();
    }
}
