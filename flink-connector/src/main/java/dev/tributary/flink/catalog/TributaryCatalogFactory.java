package dev.tributary.flink.catalog;

import java.time.Duration;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.table.catalog.Catalog;
import org.apache.flink.table.factories.CatalogFactory;
import org.apache.flink.table.factories.FactoryUtil;

/**
 * {@code CREATE CATALOG t WITH ('type'='tributary', 'properties.bootstrap.servers'='…', 'registry.url'='…')}.
 * Optional {@code watermark.delay} (default 5 s) sets the watermark on every table's {@code record_time}.
 */
public final class TributaryCatalogFactory implements CatalogFactory {

    public static final String IDENTIFIER = "tributary";

    public static final ConfigOption<String> BOOTSTRAP_SERVERS =
            ConfigOptions.key("properties.bootstrap.servers").stringType().noDefaultValue();
    public static final ConfigOption<String> REGISTRY_URL =
            ConfigOptions.key("registry.url").stringType().noDefaultValue();
    public static final ConfigOption<Duration> WATERMARK_DELAY =
            ConfigOptions.key("watermark.delay").durationType().defaultValue(Duration.ofSeconds(5));

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(BOOTSTRAP_SERVERS, REGISTRY_URL);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of(WATERMARK_DELAY);
    }

    @Override
    public Catalog createCatalog(Context context) {
        FactoryUtil.CatalogFactoryHelper helper = FactoryUtil.createCatalogFactoryHelper(this, context);
        helper.validate();
        return new TributaryCatalog(
                context.getName(),
                helper.getOptions().get(BOOTSTRAP_SERVERS),
                helper.getOptions().get(REGISTRY_URL),
                helper.getOptions().get(WATERMARK_DELAY));
    }
}
