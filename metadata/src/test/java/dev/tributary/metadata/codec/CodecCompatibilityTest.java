package dev.tributary.metadata.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Bytes written by each released format version, read by today's code. When a format's version goes up,
 * keep the old constants and tests here and add the new version's: a node restarted after an upgrade reads
 * the log entries and snapshots its older build wrote.
 */
class CodecCompatibilityTest {

    // ---- command format version 1
    private static final String V1_REGISTER_BROKER =
            "010100000001112233445566778899aabbccddeeff000000000200000009504c41494e544558540000000831302e302e"
                    + "302e31000023840000000852454749535452590000000831302e302e302e3100001f910000018bcfe56800";
    private static final String V1_CREATE_TOPIC =
            "0106000000066f72646572730102030405060708090a0b0c0d0e0f100000000200000003000000010000000200000003"
                    + "00000003000000020000000300000001000000020000000e636c65616e75702e706f6c69637900000007636f6d706163"
                    + "740000000c726574656e74696f6e2e6d73000000083836343030303030";
    private static final String V1_ALTER_PARTITION =
            "0109000000066f72646572730102030405060708090a0b0c0d0e0f100000000100000002000000070000000c00000002"
                    + "0000000200000003";

    // ---- image (snapshot) format version 1
    private static final String V1_IMAGE =
            "54524d490100000000000004d200000000000000070000000000000bb800000000000000390000000200000001112233"
                    + "445566778899aabbccddeeff000000000200000009504c41494e544558540000000831302e302e302e31000023840000"
                    + "000852454749535452590000000831302e302e302e3100001f91000000018bcfe569f400000002010203040506070809"
                    + "0a0b0c0d0e0f1000000000010000000000000000000000020000000d656d7074792d636f6e6669677300000000000000"
                    + "00000000000000000a000000000000000100000001000000020000000100000002000000020000000000000000000000"
                    + "0000000000000000066f72646572730102030405060708090a0b0c0d0e0f1000000001000000136d696e2e696e73796e"
                    + "632e7265706c696361730000000132000000030000000200000001000000020000000200000001000000020000000100"
                    + "000000000000000000000000000000000000030000000200000003000000010000000100000002000000020000000400"
                    + "0000090000000100000003000000010000000100000001000000010000000100000001ffffffff000000030000000300"
                    + "000000000000009c34d2d7";

    private static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    @Test
    void shouldReadVersion1Commands() {
        assertThat(CommandCodec.decode(bytes(V1_REGISTER_BROKER)))
                .isEqualTo(CodecSamples.commands().get(0));
        assertThat(CommandCodec.decode(bytes(V1_CREATE_TOPIC)))
                .isEqualTo(CodecSamples.commands().get(5));
        assertThat(CommandCodec.decode(bytes(V1_ALTER_PARTITION)))
                .isEqualTo(CodecSamples.commands().get(8));
    }

    @Test
    void shouldReadAVersion1Image() {
        assertThat(ImageCodec.decode(bytes(V1_IMAGE), "v1 sample")).isEqualTo(CodecSamples.image());
    }

    @Test
    void shouldStillWriteVersion1() {
        // fails when the format changes without a version bump: bump VERSION, keep the V1 constants above
        assertThat(HexFormat.of()
                        .formatHex(CommandCodec.encode(CodecSamples.commands().get(5))))
                .isEqualTo(V1_CREATE_TOPIC);
        assertThat(HexFormat.of().formatHex(ImageCodec.encode(CodecSamples.image())))
                .isEqualTo(V1_IMAGE);
    }
}
