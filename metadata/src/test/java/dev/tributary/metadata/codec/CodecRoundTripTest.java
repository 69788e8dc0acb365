package dev.tributary.metadata.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.metadata.command.CommandResult;
import dev.tributary.metadata.command.MetadataCommand;
import dev.tributary.metadata.image.MetadataImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CodecRoundTripTest {

    /** The concrete record types of a sealed hierarchy, through nested sealed interfaces. */
    private static Set<Class<?>> leafTypes(Class<?> sealed) {
        Set<Class<?>> leaves = new HashSet<>();
        for (Class<?> sub : sealed.getPermittedSubclasses()) {
            if (sub.isSealed()) {
                leaves.addAll(leafTypes(sub));
            } else {
                leaves.add(sub);
            }
        }
        return leaves;
    }

    @Test
    void shouldRoundTripEveryCommandType() {
        List<MetadataCommand> samples = CodecSamples.commands();
        Set<Class<?>> sampled = new HashSet<>();
        samples.forEach(c -> sampled.add(c.getClass()));
        assertThat(sampled).isEqualTo(leafTypes(MetadataCommand.class));
        Set<Integer> typeCodes = new HashSet<>();
        for (MetadataCommand command : samples) {
            byte[] bytes = CommandCodec.encode(command);
            assertThat(bytes[0]).isEqualTo((byte) CommandCodec.VERSION);
            assertThat(typeCodes.add((int) bytes[1]))
                    .as("type code of %s is unique", command)
                    .isTrue();
            assertThat(CommandCodec.decode(bytes)).isEqualTo(command);
        }
    }

    @Test
    void shouldRoundTripEveryResultType() {
        List<CommandResult> samples = CodecSamples.results();
        Set<Class<?>> sampled = new HashSet<>();
        samples.forEach(r -> sampled.add(r.getClass()));
        assertThat(sampled).isEqualTo(leafTypes(CommandResult.class));
        for (CommandResult result : samples) {
            assertThat(ResultCodec.decode(ResultCodec.encode(result))).isEqualTo(result);
        }
    }

    @Test
    void shouldRoundTripTheImage() {
        MetadataImage image = CodecSamples.image();
        assertThat(ImageCodec.decode(ImageCodec.encode(image), "test")).isEqualTo(image);
        assertThat(ImageCodec.decode(ImageCodec.encode(MetadataImage.EMPTY), "test"))
                .isEqualTo(MetadataImage.EMPTY);
    }

    @Test
    void shouldRefuseAnUnknownCommandVersionNamingIt() {
        byte[] bytes = CommandCodec.encode(CodecSamples.commands().get(0));
        bytes[0] = 9;
        assertThatThrownBy(() -> CommandCodec.decode(bytes))
                .isInstanceOf(MetadataFormatException.class)
                .hasMessage("metadata command: format version 9 is unknown; this build reads version 1 and older");
    }

    @Test
    void shouldRefuseAnUnknownCommandType() {
        byte[] bytes = CommandCodec.encode(CodecSamples.commands().get(2));
        bytes[1] = 77;
        assertThatThrownBy(() -> CommandCodec.decode(bytes))
                .isInstanceOf(MetadataFormatException.class)
                .hasMessageContaining("command type 77 is unknown");
    }

    @Test
    void shouldRefuseTruncatedAndOverlongCommands() {
        for (MetadataCommand command : CodecSamples.commands()) {
            byte[] bytes = CommandCodec.encode(command);
            for (int cut = 0; cut < bytes.length; cut++) {
                byte[] truncated = Arrays.copyOf(bytes, cut);
                assertThatThrownBy(() -> CommandCodec.decode(truncated))
                        .as("%s cut at %d", command, cut)
                        .isInstanceOf(MetadataFormatException.class);
            }
            byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
            assertThatThrownBy(() -> CommandCodec.decode(longer))
                    .isInstanceOf(MetadataFormatException.class)
                    .hasMessageContaining("1 bytes left over");
        }
    }

    @Test
    void shouldRefuseALengthThatDoesNotFitTheBytesLeft() {
        byte[] bytes = CommandCodec.encode(new MetadataCommand.DeleteTopic("orders"));
        bytes[2] = 0x7f; // the string length's high byte
        assertThatThrownBy(() -> CommandCodec.decode(bytes))
                .isInstanceOf(MetadataFormatException.class)
                .hasMessageContaining("string length " + 0x7f000006 + " at byte 2 does not fit the 6 bytes left");
    }

    @Test
    void shouldRefuseAnImageWithAnUnknownVersionBadMagicOrFlippedByte() {
        byte[] good = ImageCodec.encode(CodecSamples.image());
        byte[] version = good.clone();
        version[4] = 2;
        assertThatThrownBy(() -> ImageCodec.decode(version, "/data/sm/snapshot.7_1234"))
                .isInstanceOf(MetadataFormatException.class)
                .hasMessageContaining("/data/sm/snapshot.7_1234")
                .satisfiesAnyOf(
                        e -> assertThat(e).hasMessageContaining("format version 2 is unknown"),
                        e -> assertThat(e).hasMessageContaining("CRC-32C"));
        byte[] magic = good.clone();
        magic[0] = 0;
        assertThatThrownBy(() -> ImageCodec.decode(magic, "x"))
                .hasMessageContaining("magic 0x524d49 is not 0x54524D49");
        List<Integer> positions = new ArrayList<>();
        for (int i = 5; i < good.length; i += 7) {
            positions.add(i);
        }
        for (int i : positions) {
            byte[] flipped = good.clone();
            flipped[i] ^= 0x10;
            assertThatThrownBy(() -> ImageCodec.decode(flipped, "x"))
                    .as("flip at %d", i)
                    .isInstanceOf(MetadataFormatException.class)
                    .hasMessageContaining("CRC-32C");
        }
    }

    @Test
    void shouldReadAnImageWithAFutureVersionAsUnknownEvenWithAValidChecksum() {
        byte[] good = ImageCodec.encode(MetadataImage.EMPTY);
        byte[] future = good.clone();
        future[4] = 2;
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(future, 0, future.length - 4);
        java.nio.ByteBuffer.wrap(future).putInt(future.length - 4, (int) crc.getValue());
        assertThatThrownBy(() -> ImageCodec.decode(future, "snap"))
                .isInstanceOf(MetadataFormatException.class)
                .hasMessage("metadata image snap: format version 2 is unknown; this build reads version 1 and older");
    }
}
