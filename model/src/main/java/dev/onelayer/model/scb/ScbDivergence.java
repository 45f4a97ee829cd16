package dev.onelayer.model.scb;

import dev.onelayer.model.train.NonFiniteException;

/**
 * The divergence guard of the SCB training loops: a non-finite batch loss stops the run with a
 * {@link NonFiniteException} naming the step and the first non-finite parameter, as the generic
 * {@code Trainer} does. Why the loss and not a scan of every parameter each step: the loss is
 * already computed, and a non-finite V entry always reaches it (its fma chain runs over every j;
 * 0 times NaN or infinity is NaN), a non-finite A entry whenever its query is in the batch. The
 * parameters are scanned only to name the culprit, and once at the end of a run
 * ({@link #requireFinite}) for an update that no later loss saw.
 */
final class ScbDivergence {

    private ScbDivergence() {
    }

    /**
     * The exception for a non-finite batch loss at {@code step} (0-based), computed before that
     * step's update: so the previous update (or the start) left the parameter it names.
     */
    static NonFiniteException atLoss(long step, double loss, Bad bad) {
        return bad != null
                ? new NonFiniteException(step, "parameter " + bad.name(), "value " + bad.value() + "; batch loss " + loss + " before this step's update")
                : new NonFiniteException(step, "batch loss", loss + " with finite parameters: the predictions overflowed float");
    }

    /** A non-finite parameter entry: its name in the paper's orientation and its value. */
    record Bad(String name, float value) {
    }

    /** At the end of a run: throws if the last update left a non-finite parameter. */
    static void requireFinite(ScbModel model, long steps) {
        requireFinite(firstNonFinite(model.v, model.aT, model.vocab, model.seqLen, "A"), steps);
    }

    /** The same for the softmax model (V and W). */
    static void requireFinite(FloatSoftmaxScbModel model, long steps) {
        requireFinite(firstNonFinite(model.v, model.wT, model.vocab, model.seqLen, "W"), steps);
    }

    private static void requireFinite(Bad bad, long steps) {
        if (bad == null) return;
        throw steps == 0
                ? new NonFiniteException(0, "parameter " + bad.name(), "value " + bad.value() + " at the start of the run, before any update")
                : new NonFiniteException(steps - 1, "parameter " + bad.name(), "value " + bad.value() + " after the last update of the run");
    }

    /**
     * The first non-finite entry of V ([N][N]) or of the transposed table ([N][T], named in the
     * paper's orientation {@code name[t][k]}); null if all are finite.
     */
    static Bad firstNonFinite(float[] v, float[] transposed, int vocab, int seqLen, String name) {
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) return new Bad("V[" + i / vocab + "][" + i % vocab + "]", v[i]);
        }
        for (int i = 0; i < transposed.length; i++) {
            if (!Float.isFinite(transposed[i])) return new Bad(name + "[" + i % seqLen + "][" + i / seqLen + "]", transposed[i]);
        }
        return null;
    }
}
