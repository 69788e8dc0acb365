package dev.tributary.serde;

import org.apache.kafka.common.errors.SerializationException;

/** A registry call that failed: carries the HTTP status and Confluent error code (-1 when there was no answer). */
public class RegistryClientException extends SerializationException {
    private final int status;
    private final int errorCode;

    public RegistryClientException(String message, int status, int errorCode, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
    }

    public int status() {
        return status;
    }

    public int errorCode() {
        return errorCode;
    }
}
