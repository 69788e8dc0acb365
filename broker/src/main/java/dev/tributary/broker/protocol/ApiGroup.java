package dev.tributary.broker.protocol;

/**
 * A set of related APIs (one class each: topics, produce, fetch, offsets, configs, groups, ...).
 * Each group registers its handlers and the version ranges it implements; ApiVersions is built from
 * the registry, so the broker advertises exactly what is registered.
 */
public interface ApiGroup {
    void registerWith(ApiRegistry registry);
}
