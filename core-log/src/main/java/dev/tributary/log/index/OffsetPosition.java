package dev.tributary.log.index;

/** An offset and the file position of the batch that ends with it: one {@code .index} entry, in absolute terms. */
public record OffsetPosition(long offset, int position) {}
