package dev.onelayer.model.scb;

/**
 * A mini-batch of SCB examples in the layout of the kernel's form-5 readout: {@code tokens[b*T + t]}
 * = x_t of example b (context, t &lt; T), {@code queries[b]} = the query token x_{T+1},
 * {@code targets[b]} = the output token x_o. {@code positions[b]} is the position s that was read
 * (kept for tests; the model never sees it).
 */
public final class ScbBatch {

    public final int batch, seqLen;
    public final int[] tokens, queries, targets, positions;

    public ScbBatch(int batch, int seqLen) {
        if (batch <= 0 || seqLen <= 0) {
            throw new IllegalArgumentException("ScbBatch: batch=" + batch + " and seqLen=" + seqLen + " must be positive");
        }
        this.batch = batch;
        this.seqLen = seqLen;
        tokens = new int[batch * seqLen];
        queries = new int[batch];
        targets = new int[batch];
        positions = new int[batch];
    }

    /** Requires every target in [0, vocab): a model reading y_b at the target would otherwise read another example's entry. */
    static void checkTargets(String model, ScbBatch b, int vocab) {
        for (int e = 0; e < b.batch; e++) {
            if (b.targets[e] < 0 || b.targets[e] >= vocab) {
                throw new IllegalArgumentException(model + ": targets[" + e + "]=" + b.targets[e] + " is outside [0, N=" + vocab + ")");
            }
        }
    }
}
