package dev.tributary.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.registry.store.CorruptStoreRecordException;
import dev.tributary.registry.store.SchemasTopicFormat;
import dev.tributary.registry.store.StoreRecord;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SchemasTopicFormatTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldRoundTripEveryEntryKind() {
        StoreRecord[] records = {
            new StoreRecord.SchemaVersion("s", 3, 7, "\"int\"", true),
            new StoreRecord.SubjectConfig("s", CompatibilityLevel.FULL),
            new StoreRecord.SubjectConfig(null, CompatibilityLevel.NONE),
            new StoreRecord.Tombstone(StoreRecord.StoreKey.schema("s", 3)),
        };
        for (StoreRecord r : records) {
            byte[] key = SchemasTopicFormat.key(r.key());
            assertThat(SchemasTopicFormat.decode(key, SchemasTopicFormat.value(r), 0))
                    .contains(r);
        }
    }

    @Test
    void shouldReadConfluentWrittenRecordsAndSkipTheirOtherKeyTypes() {
        byte[] key = utf8("{\"keytype\":\"SCHEMA\",\"subject\":\"test\",\"version\":1,\"magic\":1}");
        byte[] value = utf8(
                "{\"subject\":\"test\",\"version\":1,\"id\":1,\"schemaType\":\"AVRO\",\"schema\":\"\\\"string\\\"\",\"deleted\":false}");
        assertThat(SchemasTopicFormat.decode(key, value, 0))
                .contains(new StoreRecord.SchemaVersion("test", 1, 1, "\"string\"", false));
        assertThat(SchemasTopicFormat.decode(utf8("{\"keytype\":\"NOOP\",\"magic\":0}"), null, 1))
                .isEmpty();
    }

    @Test
    void shouldNameOffsetAndBytesOfAnUnreadableRecord() {
        assertThatThrownBy(() -> SchemasTopicFormat.decode(utf8("garbage!"), null, 42))
                .isInstanceOf(CorruptStoreRecordException.class)
                .hasMessageContaining("offset 42")
                .hasMessageContaining("garbage!");
        byte[] key = utf8("{\"keytype\":\"SCHEMA\",\"subject\":\"s\",\"version\":1,\"magic\":1}");
        assertThatThrownBy(() -> SchemasTopicFormat.decode(key, utf8("{\"id\":\"x\"}"), 9))
                .isInstanceOf(CorruptStoreRecordException.class)
                .hasMessageContaining("offset 9");
    }
}
