package dev.tributary.flink.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.apache.flink.table.catalog.CatalogPartitionSpec;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.table.catalog.exceptions.DatabaseNotExistException;
import org.apache.flink.table.catalog.exceptions.FunctionNotExistException;
import org.apache.flink.table.catalog.exceptions.TableNotPartitionedException;
import org.apache.flink.table.catalog.stats.CatalogTableStatistics;
import org.junit.jupiter.api.Test;

/** What the catalog answers for everything but tables; none of it reaches the broker (the catalog is not opened). */
class TablesOnlyCatalogTest {

    private final TributaryCatalog catalog =
            new TributaryCatalog("trib", "127.0.0.1:1", "http://127.0.0.1:1/", Duration.ZERO);
    private final ObjectPath orders = new ObjectPath(TributaryCatalog.DEFAULT_DATABASE, "orders");

    @Test
    void shouldHaveExactlyOneDatabase() throws Exception {
        assertThat(catalog.listDatabases()).containsExactly("default");
        assertThat(catalog.databaseExists("default")).isTrue();
        assertThat(catalog.getDatabase("default").getComment()).contains("127.0.0.1:1", "http://127.0.0.1:1");
        assertThatThrownBy(() -> catalog.getDatabase("other")).isInstanceOf(DatabaseNotExistException.class);
        assertThatThrownBy(() -> catalog.listViews("other")).isInstanceOf(DatabaseNotExistException.class);
        assertThatThrownBy(() -> catalog.createDatabase("other", null, false))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("'trib'")
                .hasMessageContaining("one database");
        assertThatThrownBy(() -> catalog.dropDatabase("default", false, true))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void shouldAnswerNoneForViewsFunctionsPartitionsAndStatistics() throws Exception {
        assertThat(catalog.listViews("default")).isEmpty();
        assertThat(catalog.listFunctions("default")).isEmpty();
        assertThat(catalog.functionExists(orders)).isFalse();
        assertThatThrownBy(() -> catalog.getFunction(orders)).isInstanceOf(FunctionNotExistException.class);
        assertThatThrownBy(() -> catalog.listPartitions(orders)).isInstanceOf(TableNotPartitionedException.class);
        assertThat(catalog.partitionExists(orders, new CatalogPartitionSpec(Map.of())))
                .isFalse();
        assertThat(catalog.getTableStatistics(orders)).isSameAs(CatalogTableStatistics.UNKNOWN);
    }

    @Test
    void shouldRefuseChangesOtherThanCreateAndDropTableWithAMessageSayingWhat() {
        assertThatThrownBy(() -> catalog.alterTable(orders, null, false))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("default.orders")
                .hasMessageContaining("new value schema");
        assertThatThrownBy(() -> catalog.renameTable(orders, "sales", false))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("renamed");
        assertThatThrownBy(() -> catalog.createFunction(orders, null, false))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("functions");
        assertThatThrownBy(() -> catalog.alterTableStatistics(orders, CatalogTableStatistics.UNKNOWN, false))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("statistics");
        assertThatThrownBy(() -> catalog.dropPartition(orders, new CatalogPartitionSpec(Map.of()), false))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("not partitioned");
    }
}
