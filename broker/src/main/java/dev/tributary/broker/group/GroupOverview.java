package dev.tributary.broker.group;

/** One row of ListGroups. */
public record GroupOverview(String groupId, String protocolType, GroupState state) {}
