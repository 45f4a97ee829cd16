package dev.onelayer.model.train;

/**
 * Thrown when a training step produces a non-finite loss, gradient or parameter. The step was
 * not checkpointed, so the last checkpoint on disk is the last good state.
 */
public final class NonFiniteException extends ArithmeticException {

    private final long step;
    private final String where;

    public NonFiniteException(long step, String where, String detail) {
        super("non-finite value at step " + step + ": " + where + " (" + detail + ")");
        this.step = step;
        this.where = where;
        if (where == null) throw new IllegalArgumentException("where is null");
    }

    /** 0-based index of the failing step. */
    public long step() {
        return step;
    }

    /** What was non-finite, e.g. "parameter W[2,3]", "gradient of b[0]" or "loss". */
    public String where() {
        return where;
    }
}
