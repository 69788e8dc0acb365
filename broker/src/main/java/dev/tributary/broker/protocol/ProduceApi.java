package dev.tributary.broker.protocol;

import dev.tributary.broker.BrokerServices;
import dev.tributary.broker.append.AppendResult;
import dev.tributary.broker.errors.InvalidRequiredAcksException;
import dev.tributary.broker.partition.Partition;
import dev.tributary.broker.partition.PartitionId;
import dev.tributary.log.CorruptRecordException;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.ProduceRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produce v3-v12 (v0-v2 advertised for librdkafka, answered UNSUPPORTED_VERSION). The batches go to
 * core-log exactly as sent (slices of the request buffer, no copy), so
 * {@code compression.type=producer} stores them as the producer compressed them. With one broker,
 * acks=all and acks=1 are the same; acks=0 gets no response, and a failed acks=0 produce closes the
 * connection as in Kafka, since that is the only signal such a producer sees.
 */
final class ProduceApi implements ApiGroup {
    private static final Logger log = LoggerFactory.getLogger(ProduceApi.class);
    private final BrokerServices services;

    ProduceApi(BrokerServices services) {
        this.services = services;
    }

    @Override
    public void registerWith(ApiRegistry registry) {
        registry.register(ApiKeys.PRODUCE, 0, 3, 12, this::produce);
    }

    private void produce(RequestContext ctx, ProduceRequest request) {
        ProduceRequestData data = request.data();
        short acks = data.acks();
        if (acks != -1 && acks != 0 && acks != 1) {
            throw new InvalidRequiredAcksException("acks must be -1 (all), 0 or 1, got " + acks);
        }
        ProduceResponseData.TopicProduceResponseCollection responses =
                new ProduceResponseData.TopicProduceResponseCollection();
        String firstError = null;
        for (ProduceRequestData.TopicProduceData topic : data.topicData()) {
            ProduceResponseData.TopicProduceResponse tr =
                    new ProduceResponseData.TopicProduceResponse().setName(topic.name());
            for (ProduceRequestData.PartitionProduceData pd : topic.partitionData()) {
                ProduceResponseData.PartitionProduceResponse pr =
                        new ProduceResponseData.PartitionProduceResponse().setIndex(pd.index());
                try {
                    Partition p = services.partitions().serving(new PartitionId(topic.name(), pd.index()));
                    if (!(pd.records() instanceof MemoryRecords records) || records.sizeInBytes() == 0) {
                        throw new CorruptRecordException(
                                "no record batches in the produce request", topic.name() + "-" + pd.index(), 0, 0);
                    }
                    AppendResult r = p.append(records.buffer(), services.produceValidator());
                    pr.setErrorCode(Errors.NONE.code())
                            .setBaseOffset(r.firstOffset())
                            .setLogAppendTimeMs(r.logAppendTime())
                            .setLogStartOffset(r.logStartOffset());
                } catch (RuntimeException e) {
                    String partition = topic.name() + "-" + pd.index();
                    Errors error = ErrorCodes.of(e);
                    if (error == Errors.UNKNOWN_SERVER_ERROR || error == Errors.KAFKA_STORAGE_ERROR) {
                        log.error("Produce to {} failed", partition, e);
                    } else {
                        log.debug("Produce to {} rejected: {}", partition, e.getMessage());
                    }
                    String message = ErrorCodes.message(e, partition);
                    if (firstError == null) {
                        firstError = partition + ": " + error + " " + message;
                    }
                    pr.setErrorCode(error.code())
                            .setErrorMessage(message)
                            .setBaseOffset(-1)
                            .setLogAppendTimeMs(-1)
                            .setLogStartOffset(-1);
                }
                tr.partitionResponses().add(pr);
            }
            responses.add(tr);
        }
        if (acks == 0) {
            if (firstError != null) {
                ctx.closeConnection("acks=0 produce failed: " + firstError);
            } else {
                ctx.noResponse();
            }
            return;
        }
        ctx.respond(new ProduceResponseData().setThrottleTimeMs(0).setResponses(responses));
    }
}
