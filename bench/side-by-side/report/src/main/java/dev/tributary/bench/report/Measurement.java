package dev.tributary.bench.report;

/**
 * One figure run.sh measured: which broker, in which round, for which workload (or {@link #SESSION} for
 * figures of the whole broker process such as RSS after start).
 */
public record Measurement(Broker broker, int round, String workload, Metric metric, double value) {
    public static final String SESSION = "session";

    /** The two brokers compared. */
    public enum Broker {
        KAFKA,
        TRIBUTARY;

        public static Broker fromName(String name) {
            return switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "kafka" -> KAFKA;
                case "tributary" -> TRIBUTARY;
                default -> throw new IllegalArgumentException("unknown broker '" + name + "'");
            };
        }
    }
}
