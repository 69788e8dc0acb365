package dev.tributary.log.index;

import dev.tributary.log.LogException;

/** An index file whose entries break the index invariants; the log rebuilds it from the segment. */
public class CorruptIndexException extends LogException {
    public CorruptIndexException(String message, String file, long entry, Object value) {
        super(message, file, entry, value);
    }
}
