package dev.tributary.metadata.codec;

/**
 * Bytes that are not a metadata command, result or image this build can read: an unknown format version,
 * a bad checksum, or a field that runs past the end. The message names the structure, the byte position
 * and the bad value.
 */
public class MetadataFormatException extends RuntimeException {

    public MetadataFormatException(String message) {
        super(message);
    }

    public MetadataFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
