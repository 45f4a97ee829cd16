package dev.onelayer.model.markov;

import dev.onelayer.kernel.Parallel;
import dev.onelayer.model.core.Workspace;

/**
 * What the trained model predicts on held-out sequences (markov.md section 5, "Evaluation"): the
 * mean loss, and the estimated kernel {@code P̂(1 | x_{n+1−k} = 0)} (the paper's "est" plots;
 * ≈ p at the global minimum, ≈ π_1 at θ_π) and {@code q̂ = P̂(0 | x_{n+1−k} = 1)} (the heat maps),
 * each averaged over all positions whose context symbol (k back from the target) has that value.
 *
 * @param loss            mean BCE in nats over all sequences and positions
 * @param pHat            mean model P(1) over positions whose context symbol is 0
 * @param qHat            mean model P(0) over positions whose context symbol is 1
 */
public record Evaluation(double loss, double pHat, double qHat) {

    /**
     * Evaluates {@code model} on {@code batch} (chunks of {@code chunkSize} sequences on
     * {@code threads} threads, combined in chunk order).
     *
     * @param order k: the target x_{n+1} is conditioned on x_{n+1−k}
     */
    public static Evaluation of(TheoryModel model, MarkovBatch batch, int order, int chunkSize, int threads) {
        if (model == null || batch == null) throw new IllegalArgumentException("Evaluation.of: model and batch are required");
        if (order < 1) throw new IllegalArgumentException("Evaluation.of: order=" + order + " must be at least 1");
        int n = batch.seqLen(), chunks = Parallel.chunkCount(batch.size(), chunkSize);
        double[][] parts = new double[chunks][5];
        Parallel.forChunks(batch.size(), chunkSize, threads, (c, start, end) -> {
            Workspace ws = new Workspace();
            float[] f = new float[(end - start) * n];
            double[] acc = parts[c];
            acc[0] = model.predict(batch, start, end, ws, f);
            for (int i = start; i < end; i++) {
                for (int t = order - 1; t < n; t++) {
                    double one = f[(i - start) * n + t];
                    if (batch.symbol(i, t + 1 - order) == 0) {
                        acc[1] += one;
                        acc[2]++;
                    } else {
                        acc[3] += 1 - one;
                        acc[4]++;
                    }
                }
            }
        });
        double[] total = new double[5];
        for (double[] p : parts) for (int j = 0; j < 5; j++) total[j] += p[j];
        return new Evaluation(total[0] / batch.size(), total[1] / total[2], total[3] / total[4]);
    }
}
