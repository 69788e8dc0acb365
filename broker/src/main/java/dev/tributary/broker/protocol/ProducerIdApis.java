package dev.tributary.broker.protocol;

import dev.tributary.broker.producer.ProducerIdManager;
import java.io.IOException;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * InitProducerId for idempotent producers: every call gets a fresh producer id with epoch 0, also when
 * the client sends its current id and epoch to bump them (KIP-360). That is what Kafka does for producers
 * without a transactional id, and it resets the partitions' sequence state for the client as well.
 * Transactional ids are refused with INVALID_REQUEST: Tributary has no transaction coordinator.
 */
public final class ProducerIdApis implements ApiGroup {

    private static final Logger LOG = LoggerFactory.getLogger(ProducerIdApis.class);

    private final ProducerIdManager ids;

    public ProducerIdApis(ProducerIdManager ids) {
        this.ids = ids;
    }

    @Override
    public void registerWith(ApiRegistry registry) {
        registry.register(ApiKeys.INIT_PRODUCER_ID, 0, ApiKeys.INIT_PRODUCER_ID.latestVersion(), this::initProducerId);
    }

    private void initProducerId(RequestContext ctx, InitProducerIdRequest req) {
        InitProducerIdResponseData response =
                new InitProducerIdResponseData().setProducerId(-1).setProducerEpoch((short) -1);
        String transactionalId = req.data().transactionalId();
        if (transactionalId != null) {
            LOG.info(
                    "Refusing InitProducerId from {} with transactional.id {}: transactions are not supported",
                    ctx.clientId(),
                    transactionalId);
            ctx.respond(response.setErrorCode(Errors.INVALID_REQUEST.code()));
            return;
        }
        try {
            ctx.respond(response.setErrorCode(Errors.NONE.code())
                    .setProducerId(ids.nextProducerId())
                    .setProducerEpoch((short) 0));
        } catch (IOException e) {
            // Retriable for the client: it asks again after its backoff.
            LOG.error("Could not reserve producer ids", e);
            ctx.respond(response.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code()));
        }
    }
}
