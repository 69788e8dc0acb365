package dev.tributary.serde;

import java.util.Map;

/**
 * What {@code configure} gives {@link AvroSerializer} and {@link AvroDeserializer} alike: the settings read from
 * the client config, whether the serde is for keys, the registry client (the one the serde was given, else a new
 * one for {@code schema.registry.url}) and the fingerprint store over it for single-object encoding.
 */
record SerdeContext(AvroSerdeConfig config, boolean isKey, RegistryClient client, RegistrySchemaStore fingerprints) {

    /**
     * Reads {@code configs} for a key ({@code isKey}) or value serde. {@code given} is the client to use, or null
     * to make one from {@code schema.registry.url}, which must then be set.
     */
    static SerdeContext configure(Map<String, ?> configs, boolean isKey, RegistryClient given) {
        AvroSerdeConfig config = AvroSerdeConfig.from(configs, isKey);
        RegistryClient client = given != null ? given : new CachingRegistryClient(config.requireRegistryUrl());
        return new SerdeContext(config, isKey, client, new RegistrySchemaStore(client));
    }
}
