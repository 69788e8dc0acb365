package dev.tributary.metadata.codec;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

/** Reads what {@link WireWriter} wrote; every length is checked against the bytes left. */
final class WireReader {

    private final String what;
    private final ByteBuffer buf;

    /** @param what names the structure in error messages, for example "metadata command" */
    WireReader(String what, byte[] bytes) {
        this(what, ByteBuffer.wrap(bytes));
    }

    WireReader(String what, ByteBuffer buf) {
        this.what = what;
        this.buf = buf;
    }

    int int8() {
        return get(() -> buf.get());
    }

    int int32() {
        return get(buf::getInt);
    }

    long int64() {
        return get(buf::getLong);
    }

    boolean bool() {
        int v = int8();
        if (v != 0 && v != 1) {
            throw corrupt("boolean byte " + v + " is neither 0 nor 1");
        }
        return v == 1;
    }

    String string() {
        int length = count("string length", 1);
        byte[] utf8 = new byte[length];
        buf.get(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    UUID uuid() {
        long most = int64();
        return new UUID(most, int64());
    }

    List<Integer> intList() {
        int n = count("int list length", 4);
        List<Integer> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(buf.getInt());
        }
        return list;
    }

    List<String> stringList() {
        int n = count("string list length", 4);
        List<String> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(string());
        }
        return list;
    }

    SortedMap<String, String> stringMap() {
        int n = count("map size", 8);
        SortedMap<String, String> map = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            map.put(string(), string());
        }
        return map;
    }

    /** A count of elements of at least {@code minElementBytes} each, checked against the bytes left. */
    int count(String field, int minElementBytes) {
        int position = buf.position();
        int n = int32();
        if (n < 0 || (long) n * minElementBytes > buf.remaining()) {
            throw new MetadataFormatException(what + ": " + field + " " + n + " at byte " + position
                    + " does not fit the " + buf.remaining() + " bytes left");
        }
        return n;
    }

    int position() {
        return buf.position();
    }

    void expectEnd() {
        if (buf.hasRemaining()) {
            throw corrupt(buf.remaining() + " bytes left over after the end");
        }
    }

    MetadataFormatException corrupt(String problem) {
        return new MetadataFormatException(what + " at byte " + buf.position() + ": " + problem);
    }

    private interface Getter<T> {
        T get();
    }

    private <T> T get(Getter<T> getter) {
        try {
            return getter.get();
        } catch (BufferUnderflowException e) {
            throw corrupt("ends early (" + buf.remaining() + " bytes left)");
        }
    }
}
