package dev.tributary.broker.network;

import java.io.IOException;

/** A request frame that cannot be accepted; the connection that sent it is closed. */
public final class FrameException extends IOException {
    public FrameException(String message) {
        super(message);
    }
}
