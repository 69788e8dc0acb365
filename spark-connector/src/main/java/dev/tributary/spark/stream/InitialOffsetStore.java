package dev.tributary.spark.stream;

import dev.tributary.spark.TributaryErrors;
import dev.tributary.spark.offsets.SourceOffset;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * File {@code <checkpoint>/sources/N/tributary-initial-offset.json}: the query's resolved starting
 * position ({@link SourceOffset} JSON, versioned), written once before the first batch. Written to a
 * temporary name and renamed so a crash leaves either no file or a whole one.
 */
final class InitialOffsetStore {
    static final String FILE = "tributary-initial-offset.json";

    private final Path path;

    InitialOffsetStore(String checkpointLocation) {
        this.path = new Path(checkpointLocation, FILE);
    }

    SourceOffset read() {
        try {
            FileSystem fs = fs();
            if (!fs.exists(path)) {
                return null;
            }
            try (InputStream in = fs.open(path)) {
                return SourceOffset.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw TributaryErrors.invalidOffsetJson(path.toString(), "cannot read the initial offset file: " + e);
        }
    }

    void write(SourceOffset offset) {
        try {
            FileSystem fs = fs();
            Path tmp = new Path(path.getParent(), "." + FILE + ".tmp");
            try (OutputStream out = fs.create(tmp, true)) {
                out.write(offset.json().getBytes(StandardCharsets.UTF_8));
            }
            if (!fs.rename(tmp, path)) {
                throw new IOException("rename " + tmp + " -> " + path + " failed");
            }
        } catch (IOException e) {
            throw TributaryErrors.invalidOffsetJson(path.toString(), "cannot write the initial offset file: " + e);
        }
    }

    private FileSystem fs() throws IOException {
        Configuration conf = SparkSession.active().sparkContext().hadoopConfiguration();
        return path.getFileSystem(conf);
    }
}
