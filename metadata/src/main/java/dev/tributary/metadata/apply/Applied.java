package dev.tributary.metadata.apply;

import dev.tributary.metadata.command.CommandResult;
import dev.tributary.metadata.image.MetadataImage;

/** The image after a command and the command's result. A refused command leaves the image unchanged. */
public record Applied(MetadataImage image, CommandResult result) {}
