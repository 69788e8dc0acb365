package dev.tributary.broker.protocol;

import dev.tributary.broker.BrokerServices;
import dev.tributary.broker.append.AppendResult;
import dev.tributary.broker.errors.InvalidRequiredAcksException;
import dev.tributary.broker.errors.NotEnoughReplicasException;
import dev.tributary.broker.partition.Partition;
import dev.tributary.broker.partition.PartitionId;
import dev.tributary.broker.replication.AckStatus;
import dev.tributary.log.CorruptRecordException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
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
 * {@code compression.type=producer} stores them as the producer compressed them. On a partition leader with
 * followers, acks=all is answered once the high watermark covers the batch (or with the error that ended the
 * wait), and refused with NOT_ENOUGH_REPLICAS before the append when the ISR is below min.insync.replicas; on a
 * single node acks=all and acks=1 are the same. acks=0 gets no response, and a failed acks=0 produce closes the
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
        List<Runnable> waits = new ArrayList<>();
        AtomicInteger outstanding = new AtomicInteger(1); // 1 until every partition was looked at
        Runnable respond =
                () -> ctx.respond(new ProduceResponseData().setThrottleTimeMs(0).setResponses(responses));
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
                    p.checkLeader(-1);
                    if (acks == -1 && p.checkAppend(-1) == AckStatus.NOT_ENOUGH_REPLICAS) {
                        throw new NotEnoughReplicasException(
                                "The ISR of " + p.id() + " " + p.isr() + " is smaller than min.insync.replicas");
                    }
                    int epoch = p.leaderEpoch();
                    AppendResult r = p.append(records.buffer(), services.produceValidator());
                    pr.setErrorCode(Errors.NONE.code())
                            .setBaseOffset(r.firstOffset())
                            .setLogAppendTimeMs(r.logAppendTime())
                            .setLogStartOffset(r.logStartOffset());
                    // Not "&& p.isLeader()": leadership can move between the append and here, and a write
                    // appended as leader must then fail with NOT_LEADER_OR_FOLLOWER (the wait's answer for a
                    // changed epoch), not be acknowledged without the high watermark covering it. A single
                    // node's wait completes at once.
                    if (acks == -1) {
                        outstanding.incrementAndGet();
                        waits.add(() -> services.ackWaiters()
                                .await(p, r.lastOffset() + 1, epoch, data.timeoutMs(), error -> {
                                    if (error != null) {
                                        fail(pr, error, p.id().toString());
                                    }
                                    if (outstanding.decrementAndGet() == 0) {
                                        respond.run();
                                    }
                                }));
                    }
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
        waits.forEach(Runnable::run);
        if (outstanding.decrementAndGet() == 0) {
            respond.run();
        }
    }

    /** Turns a partition's answer into the error of an {@code acks=all} wait that did not complete. */
    private static void fail(ProduceResponseData.PartitionProduceResponse pr, RuntimeException error, String where) {
        Errors code = ErrorCodes.of(error);
        log.debug("acks=all produce to {} failed after the append: {}", where, error.getMessage());
        synchronized (pr) {
            pr.setErrorCode(code.code())
                    .setErrorMessage(ErrorCodes.message(error, where))
                    .setBaseOffset(-1)
                    .setLogAppendTimeMs(-1)
                    .setLogStartOffset(-1);
        }
    }
}
