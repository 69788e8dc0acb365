package dev.tributary.flink.source.reader;

import dev.tributary.flink.source.metrics.TributarySourceMetrics;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits a reader's offsets to its consumer group when a checkpoint completes, so lag tools see the
 * job's progress. The job never restores from these commits (its checkpoint is the truth), so a failed
 * commit is logged and the next checkpoint's commit supersedes it.
 *
 * <p>Uses the Admin API (OffsetCommit with no member id) because the readers never join the group.
 */
public final class GroupOffsetCommitter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupOffsetCommitter.class);

    private final Properties clientProps;
    private final String groupId;
    private final TributarySourceMetrics metrics;
    private Admin admin;

    public GroupOffsetCommitter(Properties clientProps, String groupId, TributarySourceMetrics metrics) {
        this.clientProps = clientProps;
        this.groupId = groupId;
        this.metrics = metrics;
    }

    public void commitAsync(Map<TopicPartition, Long> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        if (admin == null) {
            Properties p = new Properties();
            for (String key : AdminClientConfig.configNames()) {
                if (clientProps.containsKey(key)) {
                    p.put(key, clientProps.get(key));
                }
            }
            p.put(AdminClientConfig.CLIENT_ID_CONFIG, "tributary-committer-" + groupId);
            admin = Admin.create(p);
        }
        Map<TopicPartition, OffsetAndMetadata> request = new HashMap<>();
        offsets.forEach((tp, o) -> request.put(tp, new OffsetAndMetadata(o)));
        admin.alterConsumerGroupOffsets(groupId, request).all().whenComplete((ok, error) -> {
            if (error != null) {
                LOG.warn(
                        "Committing offsets {} for group {} failed; the next checkpoint retries",
                        offsets,
                        groupId,
                        error);
            } else {
                offsets.forEach(metrics::offsetCommitted);
            }
        });
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close();
        }
    }
}
