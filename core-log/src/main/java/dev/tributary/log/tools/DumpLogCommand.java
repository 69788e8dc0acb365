package dev.tributary.log.tools;

import dev.tributary.log.TimestampOffset;
import dev.tributary.log.index.OffsetIndex;
import dev.tributary.log.index.OffsetPosition;
import dev.tributary.log.index.TimeIndex;
import dev.tributary.log.record.Codec;
import dev.tributary.log.record.Header;
import dev.tributary.log.record.Record;
import dev.tributary.log.record.RecordBatch;
import dev.tributary.log.segment.FileBatches;
import dev.tributary.log.segment.SegmentFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tributary dump-log [--deep] FILE...}: prints each batch of a {@code .log} file and the entries of a
 * {@code .index} or {@code .timeindex}, without opening the log (nothing is repaired or written). A batch with a
 * bad CRC is printed with {@code crcValid: false}; a torn tail is reported with its position.
 */
@Command(
        name = "dump-log",
        mixinStandardHelpOptions = true,
        description = "Print the batches of .log segment files and the entries of .index/.timeindex files.")
public final class DumpLogCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = ".log, .index or .timeindex files")
    List<Path> files;

    @Option(names = "--deep", description = "Also print every record of every batch.")
    boolean deep;

    @Option(names = "--print-values", description = "With --deep, print keys and values as UTF-8 text.")
    boolean printValues;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command with the given output streams; returns the exit code (for tests). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new DumpLogCommand());
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        int rc = 0;
        for (Path f : files) {
            out.println("Dumping " + f);
            if (!Files.isRegularFile(f)) {
                spec.commandLine().getErr().println("No such file: " + f);
                rc = 1;
                continue;
            }
            String fn = f.getFileName().toString();
            long base = Math.max(0, SegmentFiles.baseOffsetOf(fn));
            if (fn.endsWith(SegmentFiles.LOG_SUFFIX)) {
                rc |= dumpLog(f, out);
            } else if (fn.endsWith(SegmentFiles.INDEX_SUFFIX)) {
                OffsetIndex idx = new OffsetIndex(f, base, 0, false);
                out.println("Offset index: " + idx.entries() + " entries, base offset " + base);
                for (int i = 0; i < idx.entries(); i++) {
                    OffsetPosition e = idx.entry(i);
                    out.println("offset: " + e.offset() + " position: " + e.position());
                }
            } else if (fn.endsWith(SegmentFiles.TIME_INDEX_SUFFIX)) {
                TimeIndex idx = new TimeIndex(f, base, 0, false);
                out.println("Time index: " + idx.entries() + " entries, base offset " + base);
                for (int i = 0; i < idx.entries(); i++) {
                    TimestampOffset e = idx.entry(i);
                    out.println("timestamp: " + e.timestamp() + " offset: " + e.offset());
                }
            } else {
                spec.commandLine().getErr().println("Not a .log, .index or .timeindex file: " + f);
                rc = 1;
            }
        }
        out.flush();
        return rc;
    }

    private int dumpLog(Path f, PrintWriter out) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            int pos = 0;
            int batches = 0;
            ByteBuffer overhead = ByteBuffer.allocate(RecordBatch.LOG_OVERHEAD);
            while (pos < fileSize) {
                if (fileSize - pos < RecordBatch.HEADER_SIZE) {
                    out.println("Truncated batch header at position " + pos + ": " + (fileSize - pos) + " bytes left");
                    return 1;
                }
                overhead.clear();
                FileBatches.readFully(ch, overhead, pos);
                int size = overhead.getInt(RecordBatch.LENGTH_OFFSET) + RecordBatch.LOG_OVERHEAD;
                if (size < RecordBatch.HEADER_SIZE || size > fileSize - pos) {
                    out.println("Invalid batch length " + (size - RecordBatch.LOG_OVERHEAD) + " at position " + pos
                            + " (" + (fileSize - pos) + " bytes left)");
                    return 1;
                }
                ByteBuffer buf = ByteBuffer.allocate(size);
                FileBatches.readFully(ch, buf, pos);
                buf.flip();
                RecordBatch b = new RecordBatch().wrap(buf, 0);
                boolean valid = b.isValid();
                Codec codec = b.codec();
                out.println("baseOffset: " + b.baseOffset() + " lastOffset: " + b.lastOffset()
                        + " count: " + b.recordCount()
                        + " codec: "
                        + (codec == null
                                ? "unknown(" + (b.attributes() & RecordBatch.CODEC_MASK) + ")"
                                : codec.kafkaName())
                        + " timestampType: " + b.timestampType().kafkaName()
                        + " baseTimestamp: " + b.baseTimestamp() + " maxTimestamp: " + b.maxTimestamp()
                        + " producerId: " + b.producerId() + " producerEpoch: " + b.producerEpoch()
                        + " baseSequence: " + b.baseSequence()
                        + " isTransactional: " + b.isTransactional() + " isControl: " + b.isControlBatch()
                        + " partitionLeaderEpoch: " + b.partitionLeaderEpoch()
                        + " position: " + pos + " size: " + size
                        + " crc: " + b.crc() + " crcValid: " + valid);
                if (deep && valid && codec != null) {
                    for (Record r : b) {
                        StringBuilder sb = new StringBuilder("| offset: ")
                                .append(r.offset())
                                .append(" timestamp: ")
                                .append(r.timestamp())
                                .append(" keySize: ")
                                .append(r.keySize())
                                .append(" valueSize: ")
                                .append(r.valueSize());
                        List<Header> headers = r.headers();
                        if (!headers.isEmpty()) {
                            sb.append(" headers: ").append(headers);
                        }
                        if (printValues) {
                            sb.append(" key: ")
                                    .append(text(r.keyBytes()))
                                    .append(" payload: ")
                                    .append(text(r.valueBytes()));
                        }
                        out.println(sb);
                    }
                }
                batches++;
                pos += size;
            }
            out.println("Batches: " + batches + ", bytes: " + fileSize);
            return 0;
        }
    }

    private static String text(byte[] b) {
        return b == null ? "null" : new String(b, StandardCharsets.UTF_8);
    }
}
