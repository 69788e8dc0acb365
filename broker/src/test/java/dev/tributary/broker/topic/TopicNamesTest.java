package dev.tributary.broker.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.broker.errors.InvalidTopicException;
import org.junit.jupiter.api.Test;

class TopicNamesTest {

    @Test
    void shouldAcceptKafkasCharacterSet() {
        assertThatCode(() -> TopicNames.validate("orders.v1_eu-west")).doesNotThrowAnyException();
        assertThatCode(() -> TopicNames.validate("x".repeat(249))).doesNotThrowAnyException();
    }

    @Test
    void shouldRejectNamesThatCannotBeADirectory() {
        assertThatThrownBy(() -> TopicNames.validate("")).isInstanceOf(InvalidTopicException.class);
        assertThatThrownBy(() -> TopicNames.validate("..")).isInstanceOf(InvalidTopicException.class);
        assertThatThrownBy(() -> TopicNames.validate("a/b"))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessageContaining("'/'");
        assertThatThrownBy(() -> TopicNames.validate("x".repeat(250))).hasMessageContaining("250");
    }

    @Test
    void shouldProtectInternalTopicsAndTheSchemasTopicFromDeletion() {
        assertThat(TopicNames.isProtectedFromDeletion("__consumer_offsets")).isTrue();
        assertThat(TopicNames.isProtectedFromDeletion("_schemas")).isTrue();
        assertThat(TopicNames.isProtectedFromDeletion("_schemas2")).isFalse();
        assertThat(TopicNames.isProtectedFromDeletion("orders")).isFalse();
    }
}
