package dev.tributary.broker.protocol;

import dev.tributary.broker.BrokerServices;
import java.util.ArrayList;
import java.util.List;

/**
 * The list of API groups the broker serves. Adding an API = writing an {@link ApiGroup} and one line
 * here. ApiVersions is registered by {@link KafkaProtocol} itself.
 */
public final class ApiGroups {
    private ApiGroups() {
    }

    public static List<ApiGroup> all(BrokerServices services) {
        List<ApiGroup> groups = new ArrayList<>();
        groups.add(new MetadataApi(services));
        groups.add(new TopicAdminApis(services));
        groups.add(new ProduceApi(services));
        groups.add(new FetchApi(services));
        groups.add(new OffsetApis(services));
        groups.add(new ConfigApis(services));
        groups.add(new ClusterApis(services));
        // consumer groups and producer ids: dev.tributary.broker.group / .producer adapters (issue 3, groups)
        groups.add(GroupApis.create(services));
        groups.add(ProducerIdApis.create(services));
        return groups;
    }
}
