package dev.tributary.broker;

import dev.tributary.broker.config.BrokerConfig;
import dev.tributary.broker.produce.ProduceValidator;
import dev.tributary.broker.scheduler.Scheduler;
import java.time.Clock;
import java.util.Objects;

/**
 * The broker's shared services, handed to every {@code ApiGroup} and {@link BrokerPlugin}. Built once
 * by {@link Broker}; the only mutable slot is the produce validator, which the idempotent-producer code
 * installs at start-up.
 */
public final class BrokerServices {
    private final BrokerConfig config;
    private final Clock clock;
    private final Scheduler scheduler;
    private volatile ProduceValidator produceValidator = ProduceValidator.NO_OP;

    BrokerServices(BrokerConfig config, Clock clock, Scheduler scheduler) {
        this.config = config;
        this.clock = clock;
        this.scheduler = scheduler;
    }

    public BrokerConfig config() {
        return config;
    }

    public Clock clock() {
        return clock;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    public ProduceValidator produceValidator() {
        return produceValidator;
    }

    /** Replaces the no-op validator; call before the listener starts (from an ApiGroup's constructor). */
    public void produceValidator(ProduceValidator validator) {
        this.produceValidator = Objects.requireNonNull(validator);
    }
}
