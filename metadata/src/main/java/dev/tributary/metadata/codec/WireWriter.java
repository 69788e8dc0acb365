package dev.tributary.metadata.codec;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes the primitive fields every metadata format is built from, big-endian:
 * <pre>
 *   int8/int32/int64   as Java's DataOutput
 *   boolean            int8, 0 or 1
 *   string             int32 byte length, then UTF-8 bytes
 *   uuid               int64 most significant bits, int64 least significant bits
 *   int list           int32 count, then int32 each
 *   string map         int32 count, then (string key, string value) each, in key order
 * </pre>
 */
final class WireWriter {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    private final DataOutputStream out = new DataOutputStream(bytes);

    WireWriter int8(int v) {
        return io(() -> out.writeByte(v));
    }

    WireWriter int32(int v) {
        return io(() -> out.writeInt(v));
    }

    WireWriter int64(long v) {
        return io(() -> out.writeLong(v));
    }

    WireWriter bool(boolean v) {
        return int8(v ? 1 : 0);
    }

    WireWriter string(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        int32(utf8.length);
        return io(() -> out.write(utf8));
    }

    WireWriter uuid(UUID id) {
        return int64(id.getMostSignificantBits()).int64(id.getLeastSignificantBits());
    }

    WireWriter intList(List<Integer> list) {
        int32(list.size());
        list.forEach(this::int32);
        return this;
    }

    WireWriter stringList(List<String> list) {
        int32(list.size());
        list.forEach(this::string);
        return this;
    }

    /** Callers pass sorted maps, so equal maps encode to equal bytes. */
    WireWriter stringMap(Map<String, String> map) {
        int32(map.size());
        map.forEach((k, v) -> string(k).string(v));
        return this;
    }

    int size() {
        return bytes.size();
    }

    byte[] toByteArray() {
        return bytes.toByteArray();
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private WireWriter io(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        }
        return this;
    }
}
