package dev.tributary.broker.errors;

/** A request that parses but makes no sense (e.g. an unknown config operation). */
public class InvalidRequestException extends BrokerException {
    public InvalidRequestException(String message) {
        super(message);
    }
}
