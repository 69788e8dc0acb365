package dev.tributary.metadata.quorum;

import dev.tributary.metadata.image.MetadataImage;

/**
 * Told of every change of the local metadata image, in log order, on the quorum's apply thread: one call
 * per committed command that changed something, and one when a snapshot replaces the image (at start, or
 * when a lagging node installs the leader's snapshot). Compare {@code previous} and {@code current} to see
 * what changed (a partition's leader, a broker fenced). Keep it short: hand work to your own thread, as the
 * next entry is not applied until this returns. An exception is logged and does not stop the quorum.
 */
@FunctionalInterface
public interface MetadataListener {

    void onChange(MetadataImage previous, MetadataImage current);
}
