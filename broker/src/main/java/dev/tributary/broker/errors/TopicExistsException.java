package dev.tributary.broker.errors;

/** CreateTopics for a name that already exists. */
public class TopicExistsException extends BrokerException {
    public TopicExistsException(String message) {
        super(message);
    }
}
