package dev.tributary.broker.append;

/**
 * What {@link ProduceValidator#beforeAppend} decided. A duplicate carries the result of the original
 * append, which the producer gets again.
 */
public final class AppendDecision {
    private static final AppendDecision APPEND = new AppendDecision(null);

    private final AppendResult duplicateOf;

    private AppendDecision(AppendResult duplicateOf) {
        this.duplicateOf = duplicateOf;
    }

    public static AppendDecision append() {
        return APPEND;
    }

    public static AppendDecision duplicate(AppendResult original) {
        return new AppendDecision(original);
    }

    public boolean isDuplicate() {
        return duplicateOf != null;
    }

    public AppendResult duplicateOf() {
        return duplicateOf;
    }
}
