package dev.tributary.spark.stream;

import java.util.UUID;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the streaming query that is asking this source for offsets, used when an {@code endingTimestamp}
 * has been passed on every partition. A source has no API to end its query, so this finds the query by
 * the id Spark sets as a local property on the query's thread, and stops it from another thread
 * ({@code stop()} joins the query thread, so calling it from that thread would wait on itself).
 */
final class QueryStopper {
    private static final Logger LOG = LoggerFactory.getLogger(QueryStopper.class);
    // StreamExecution.QUERY_ID_KEY
    private static final String QUERY_ID_KEY = "sql.streaming.queryId";

    private QueryStopper() {}

    static void stopCurrentQuery(String why) {
        SparkSession session = SparkSession.active();
        SparkContext sc = session.sparkContext();
        String id = sc.getLocalProperty(QUERY_ID_KEY);
        if (id == null) {
            LOG.warn("cannot stop the query ({}): not called from a streaming query thread", why);
            return;
        }
        // the query thread runs with a clone of the user's session, whose query manager does not know the
        // query; the user's session is normally the default one
        StreamingQuery query = session.streams().get(UUID.fromString(id));
        if (query == null && SparkSession.getDefaultSession().isDefined()) {
            query = SparkSession.getDefaultSession().get().streams().get(UUID.fromString(id));
        }
        if (query == null) {
            LOG.warn("cannot stop query {} ({}): it is not registered with the active or the default session", id, why);
            return;
        }
        StreamingQuery found = query;
        Thread t = new Thread(
                () -> {
                    try {
                        LOG.info("stopping query {}: {}", id, why);
                        found.stop();
                    } catch (Exception e) {
                        LOG.warn("stopping query {} failed", id, e);
                    }
                },
                "tributary-stop-" + id);
        t.setDaemon(true);
        t.start();
    }
}
