package dev.tributary.spark.offsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The per-partition JSON that spark-sql-kafka users already write in {@code startingOffsets},
 * {@code assign} and friends: {@code {"topic":{"0":23,"1":-1}}}, and for {@code assign}
 * {@code {"topic":[0,1]}}.
 */
public final class OffsetJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private OffsetJson() {}

    /** Parses {@code {"topic":{"partition":number}}}; throws IllegalArgumentException naming the problem. */
    public static PartitionOffsets read(String json) {
        JsonNode root = parse(json);
        if (!root.isObject()) {
            throw new IllegalArgumentException("expected a JSON object of topics, got " + json);
        }
        return readObject(root);
    }

    static PartitionOffsets readObject(JsonNode root) {
        Map<TopicPartition, Long> out = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> topics = root.fields(); topics.hasNext(); ) {
            Map.Entry<String, JsonNode> topic = topics.next();
            if (!topic.getValue().isObject()) {
                throw new IllegalArgumentException("topic '" + topic.getKey() + "' must map partitions to numbers");
            }
            for (Iterator<Map.Entry<String, JsonNode>> parts = topic.getValue().fields(); parts.hasNext(); ) {
                Map.Entry<String, JsonNode> p = parts.next();
                if (!p.getValue().canConvertToLong() || !p.getValue().isIntegralNumber()) {
                    throw new IllegalArgumentException("topic '" + topic.getKey() + "' partition '" + p.getKey()
                            + "': not a number: " + p.getValue());
                }
                out.put(
                        new TopicPartition(topic.getKey(), partitionNumber(topic.getKey(), p.getKey())),
                        p.getValue().longValue());
            }
        }
        return PartitionOffsets.of(out);
    }

    /** Parses the {@code assign} form {@code {"topic":[0,1]}}. */
    public static java.util.List<TopicPartition> readPartitions(String json) {
        JsonNode root = parse(json);
        java.util.List<TopicPartition> out = new java.util.ArrayList<>();
        if (!root.isObject()) {
            throw new IllegalArgumentException("expected {\"topic\":[partitions]}, got " + json);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isArray()) {
                throw new IllegalArgumentException("topic '" + e.getKey() + "' must map to an array of partitions");
            }
            for (JsonNode p : e.getValue()) {
                if (!p.isInt() || p.intValue() < 0) {
                    throw new IllegalArgumentException("topic '" + e.getKey() + "': bad partition " + p);
                }
                out.add(new TopicPartition(e.getKey(), p.intValue()));
            }
        }
        out.sort(PartitionOffsets.ORDER);
        return out;
    }

    public static String write(PartitionOffsets offsets) {
        return writeNode(offsets).toString();
    }

    static ObjectNode writeNode(PartitionOffsets offsets) {
        ObjectNode root = MAPPER.createObjectNode();
        for (Map.Entry<TopicPartition, Long> e : offsets.asMap().entrySet()) {
            ObjectNode topic = (ObjectNode) root.get(e.getKey().topic());
            if (topic == null) {
                topic = root.putObject(e.getKey().topic());
            }
            topic.put(Integer.toString(e.getKey().partition()), e.getValue());
        }
        return root;
    }

    static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage());
        }
    }

    private static int partitionNumber(String topic, String key) {
        try {
            int p = Integer.parseInt(key);
            if (p < 0) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("topic '" + topic + "': bad partition '" + key + "'");
        }
    }
}
