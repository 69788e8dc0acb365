package dev.tributary.registry;

/**
 * The one table of registry error outcomes: each maps to the HTTP status and the Confluent Schema Registry
 * {@code error_code} that clients (Confluent's serializers, Flink's avro-confluent format) switch on.
 * The numbers are the Confluent REST API's and must not change.
 */
public enum RegistryError {
    SUBJECT_NOT_FOUND(404, 40401),
    VERSION_NOT_FOUND(404, 40402),
    SCHEMA_NOT_FOUND(404, 40403),
    SUBJECT_SOFT_DELETED(404, 40404),
    SUBJECT_NOT_SOFT_DELETED(404, 40405),
    SCHEMA_VERSION_SOFT_DELETED(404, 40406),
    SCHEMA_VERSION_NOT_SOFT_DELETED(404, 40407),
    SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED(404, 40408),
    INCOMPATIBLE_SCHEMA(409, 409),
    INVALID_SCHEMA(422, 42201),
    INVALID_VERSION(422, 42202),
    INVALID_COMPATIBILITY_LEVEL(422, 42203),
    UNPROCESSABLE_REQUEST(422, 422),
    NOT_FOUND(404, 404),
    METHOD_NOT_ALLOWED(405, 405),
    BAD_REQUEST(400, 400),
    STORE_ERROR(500, 50001),
    OPERATION_TIMEOUT(500, 50002);

    private final int httpStatus;
    private final int errorCode;

    RegistryError(int httpStatus, int errorCode) {
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int errorCode() {
        return errorCode;
    }

    /** An exception carrying this error and a message for the client. */
    public RegistryException exception(String message) {
        return new RegistryException(this, message);
    }
}
