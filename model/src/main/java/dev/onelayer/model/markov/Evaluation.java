package dev.onelayer.model.markov;

import dev.onelayer.kernel.Parallel;
import dev.onelayer.model.core.Workspace;

/**
 * What the trained model predicts on held-out sequences (markov.md section 5, "Evaluation"): the
 * mean loss, and the estimated kernel {@code P̂(1 | x_{n+1−k} = 0)} (the paper's "est" plots;
 * ≈ p at the global minimum, ≈ π_1 at θ_π) and {@code q̂ = P̂(0 | x_{n+1−k} = 1)} (the heat maps),
 * each averaged over all positions whose context symbol (k back from the target) has that value.
 *
 * <p>Next to the model's loss it reports two oracle losses on the <em>same</em> sequences: the
 * Bayes predictor (the true kernel; its expectation is the entropy rate, Thm 1) and the unigram
 * predictor π (its expectation is H(π), Thm 2). Their difference from the closed forms is the
 * sampling noise of the held-out set, which bounds how closely any measured loss can be compared
 * with the reference values.
 *
 * @param loss             mean cross-entropy in nats over all sequences and positions
 * @param pHat             mean model P(1) over positions whose context symbol is 0
 * @param qHat             mean model P(0) over positions whose context symbol is 1
 * @param bayesLoss        mean loss of the true conditional law on the same targets
 * @param unigramLoss      mean loss of predicting π everywhere on the same targets
 * @param pHatByPosition   for each position n, mean model P(1) over sequences whose context
 *                         symbol is 0 (NaN where none is); the paper's {@code est} trace
 */
public record Evaluation(double loss, double pHat, double qHat, double bayesLoss, double unigramLoss, double[] pHatByPosition) {

    /**
     * Evaluates {@code model} on {@code batch} drawn from {@code chain} (chunks of
     * {@code chunkSize} sequences on {@code threads} threads, combined in chunk order).
     */
    public static Evaluation of(MarkovModel model, MarkovBatch batch, BinaryChain chain, int chunkSize, int threads) {
        if (model == null || batch == null || chain == null) throw new IllegalArgumentException("Evaluation.of: model, batch and chain are required");
        if (batch.states() != 2) throw new IllegalArgumentException("Evaluation.of: needs a binary batch, got " + batch.states() + " states");
        int n = batch.seqLen(), chunks = Parallel.chunkCount(batch.size(), chunkSize), k = chain.order();
        double pi1 = chain.pi1(), first = chain.initialDistribution()[1];
        // per chunk: loss, sum P(1)|ctx 0, count, sum P(0)|ctx 1, count, bayes, unigram; then per position sums and counts
        double[][] parts = new double[chunks][7 + 2 * n];
        Parallel.forChunks(batch.size(), chunkSize, threads, (c, start, end) -> {
            Workspace ws = new Workspace();
            float[] f = new float[(end - start) * n];
            double[] acc = parts[c];
            acc[0] = model.predict(batch, start, end, ws, f);
            for (int i = start; i < end; i++) {
                double bayes = 0, unigram = 0;
                for (int t = 0; t < n; t++) {
                    int target = batch.symbol(i, t + 1);
                    // x_{t+1} is drawn from the initial law when t+1 < k, else from the kernel row of x_{t+1-k}
                    double trueOne = t + 1 < k ? first : chain.transition(batch.symbol(i, t + 1 - k), 1);
                    bayes -= Math.log(target == 1 ? trueOne : 1 - trueOne);
                    unigram -= Math.log(target == 1 ? pi1 : 1 - pi1);
                    if (t + 1 < k) continue;
                    double one = f[(i - start) * n + t];
                    if (batch.symbol(i, t + 1 - k) == 0) {
                        acc[1] += one;
                        acc[2]++;
                        acc[7 + 2 * t] += one;
                        acc[8 + 2 * t]++;
                    } else {
                        acc[3] += 1 - one;
                        acc[4]++;
                    }
                }
                acc[5] += bayes / n;
                acc[6] += unigram / n;
            }
        });
        double[] total = new double[7 + 2 * n];
        for (double[] p : parts) for (int j = 0; j < total.length; j++) total[j] += p[j];
        double[] byPos = new double[n];
        for (int t = 0; t < n; t++) byPos[t] = total[8 + 2 * t] > 0 ? total[7 + 2 * t] / total[8 + 2 * t] : Double.NaN;
        int b = batch.size();
        return new Evaluation(total[0] / b, total[1] / total[2], total[3] / total[4], total[5] / b, total[6] / b, byPos);
    }

    /** Model loss minus the Bayes oracle's loss on the same sequences (≥ 0 in expectation). */
    public double excessOverBayes() {
        return loss - bayesLoss;
    }
}
