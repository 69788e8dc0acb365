package dev.tributary.broker.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.broker.errors.StorageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionMetadataFileTest {
    @TempDir
    Path dir;

    @Test
    void writesTheTopicIdInKafkasFormatAndReadsItBack() throws Exception {
        UUID id = UUID.randomUUID();
        PartitionMetadataFile.write(dir, id);

        String text = Files.readString(dir.resolve("partition.metadata"));
        Uuid kafkas = new Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits());
        assertThat(text).isEqualTo("version: 0\ntopic_id: " + kafkas + "\n");
        assertThat(PartitionMetadataFile.read(dir)).contains(id);
    }

    @Test
    void readsAFileWrittenByKafka() throws Exception {
        Uuid kafkas = Uuid.randomUuid();
        Files.writeString(dir.resolve("partition.metadata"), "version: 0\ntopic_id: " + kafkas + "\n");
        assertThat(PartitionMetadataFile.read(dir))
                .contains(new UUID(kafkas.getMostSignificantBits(), kafkas.getLeastSignificantBits()));
    }

    @Test
    void noFileIsNoTopicAndABrokenFileIsAnErrorNamingIt() throws Exception {
        assertThat(PartitionMetadataFile.read(dir)).isEmpty();
        Files.writeString(dir.resolve("partition.metadata"), "version: 0\ntopic_id: not-base64!\n");
        assertThatThrownBy(() -> PartitionMetadataFile.read(dir))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("partition.metadata");
    }
}
