package dev.tributary.broker.protocol;

import dev.tributary.broker.BrokerServices;
import dev.tributary.broker.fetch.FetchService;
import dev.tributary.broker.group.GroupService;
import dev.tributary.broker.producer.ProducerIdManager;
import dev.tributary.broker.replication.EpochLookup;
import java.util.ArrayList;
import java.util.List;

/**
 * The list of API groups the broker serves. Adding an API = writing an {@link ApiGroup} and one line
 * here. ApiVersions is registered by {@link KafkaProtocol} itself. The services behind the APIs are
 * started by {@code Broker} and passed in; building an API group starts nothing.
 */
public final class ApiGroups {
    private ApiGroups() {}

    public static List<ApiGroup> all(
            BrokerServices services,
            FetchService fetches,
            GroupService.Started groups,
            ProducerIdManager producerIds,
            EpochLookup epochs) {
        List<ApiGroup> all = new ArrayList<>();
        all.add(new MetadataApi(services));
        all.add(new TopicAdminApis(services));
        all.add(new ProduceApi(services));
        all.add(new FetchApi(fetches));
        all.add(new OffsetApis(services));
        all.add(new ConfigApis(services));
        all.add(new ClusterApis(services));
        all.add(new PartitionAdminApis(services));
        all.add(new LogDirApis(services));
        all.add(new GroupApis(groups.coordinators(), groups.locator(), groups.writers()));
        all.add(new ProducerIdApis(producerIds));
        all.add(new OffsetForLeaderEpochApi(epochs));
        return all;
    }
}
