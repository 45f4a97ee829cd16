package dev.onelayer.model.markov;

import dev.onelayer.model.core.Param;
import dev.onelayer.model.core.Workspace;
import dev.onelayer.model.train.Model;

/**
 * What the Markov experiments need of a model beyond training: its predicted probability of the
 * next symbol being 1 at every position (the paper's estimated kernel, markov.md section 5
 * "Evaluation") and its learned positional embeddings (for {@link Curvature}).
 */
public interface MarkovModel extends Model<MarkovBatch> {

    /**
     * Writes {@code P_θ(x_{n+1} = 1 | x_1^n)} of sequences {@code [start, end)} to
     * {@code out[(i − start)·N + n]} and returns the summed per-sequence mean loss like
     * {@link #forward}.
     */
    double predict(MarkovBatch batch, int start, int end, Workspace ws, float[] out);

    /** The absolute positional embeddings, {@code [N][d]}. */
    Param positions();

    /** N, the sequence length the positional table covers. */
    int seqLen();
}
