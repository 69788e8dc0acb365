package dev.tributary.spark.offsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.spark.TributaryErrors;
import org.apache.spark.sql.connector.read.streaming.Offset;

/**
 * A streaming query's position: the next offset to read per topic-partition. Spark writes {@link #json()}
 * into the checkpoint's offset log, so the format is versioned and every version stays readable:
 *
 * <pre>
 * version 1 (written):  {"version":1,"offsets":{"topic":{"0":42,"1":7}}}
 * version 0 (read only): {"topic":{"0":42,"1":7}}   -- spark-sql-kafka's offset JSON, so a query can
 *                                                      move from format "kafka" to "tributary"
 * </pre>
 */
public final class SourceOffset extends Offset {
    public static final int VERSION = 1;

    private final PartitionOffsets offsets;

    public SourceOffset(PartitionOffsets offsets) {
        this.offsets = offsets;
    }

    public PartitionOffsets offsets() {
        return offsets;
    }

    @Override
    public String json() {
        ObjectNode root = OffsetJson.MAPPER.createObjectNode();
        root.put("version", VERSION);
        root.set("offsets", OffsetJson.writeNode(offsets));
        return root.toString();
    }

    /** Reads any version; throws TRIBUTARY_INVALID_OFFSET_JSON naming the JSON otherwise. */
    public static SourceOffset fromJson(String json) {
        JsonNode root;
        try {
            root = OffsetJson.parse(json);
        } catch (IllegalArgumentException e) {
            throw TributaryErrors.invalidOffsetJson(json, e.getMessage());
        }
        if (!root.isObject()) {
            throw TributaryErrors.invalidOffsetJson(json, "not a JSON object");
        }
        JsonNode version = root.get("version");
        try {
            if (version == null) {
                return new SourceOffset(OffsetJson.readObject(root)); // version 0
            }
            if (!version.isInt() || version.intValue() != 1) {
                throw TributaryErrors.invalidOffsetJson(
                        json, "unsupported offset version " + version + " (this connector reads versions 0 and 1)");
            }
            JsonNode offsets = root.get("offsets");
            if (offsets == null || !offsets.isObject()) {
                throw TributaryErrors.invalidOffsetJson(json, "version 1 offset without an 'offsets' object");
            }
            return new SourceOffset(OffsetJson.readObject(offsets));
        } catch (IllegalArgumentException e) {
            throw TributaryErrors.invalidOffsetJson(json, e.getMessage());
        }
    }
}
