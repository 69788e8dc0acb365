package dev.tributary.log;

/**
 * Base of the exceptions core-log throws for bad input or damaged files. Each one carries where the problem
 * is ({@link #source()}: a partition such as {@code orders-3} or a file path), the byte position or offset
 * ({@link #position()}) and the offending value ({@link #value()}), so a broker can log them and map them to a
 * Kafka error code in one table.
 */
public abstract class LogException extends RuntimeException {
    private final String source;
    private final long position;
    private final Object value;

    protected LogException(String message, String source, long position, Object value) {
        super(source + ": " + message + " (position/offset " + position + ", value " + value + ")");
        this.source = source;
        this.position = position;
        this.value = value;
    }

    /** Partition name ({@code topic-partition}) or file path the error concerns. */
    public String source() {
        return source;
    }

    /** Byte position in the appended buffer or file, or the offset, that the error concerns; -1 when unknown. */
    public long position() {
        return position;
    }

    /** The bad value (a CRC, a magic byte, a length, a count ...). */
    public Object value() {
        return value;
    }
}
