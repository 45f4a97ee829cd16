package dev.onelayer.model.scb;

import dev.onelayer.kernel.Kernels;

import java.util.Arrays;

/**
 * One step of preconditioned projected proximal descent (PPPD), its PPPD-vn variant, or plain SGD,
 * as selected by {@link ScbOptimizerConfig}, on an {@link ScbModel}.
 *
 * <p>The preconditioner inverts {@code H = s D + m mu mu^T = s diag(mu) + (m - s) mu mu^T} in closed
 * form by Sherman-Morrison (with {@code 1^T mu = 1}):
 * {@code H^-1 = diag(1/mu)/s - (m - s)/(s m) 1 1^T}, so {@code G_V H^-1} costs O(N^2).
 * mu and pi are estimated online from the context and query tokens seen so far, with one
 * pseudo-count per token so no estimate is 0 (a choice the notes leave open).
 */
public final class ScbOptimizer {

    private final ScbOptimizerConfig cfg;
    private final int n, t;
    /** Which estimates and moments the config reads: the others are not computed. */
    private final boolean tracksMu, needsMoments;
    /** The gradients, G_A transposed like {@link ScbModel#aT} ([N][T], row k = column k). */
    private final float[] gV, gAT;
    private final double[] tokenCounts, queryCounts, muHat, piHat, scratch, scratchV;
    /** Per column k of A: |a_k|^2, 1^T a_k and the A step size. */
    private final double[] colSq, colSum, stepA;
    private double tokenTotal, queryTotal;
    private long samples, steps;

    public ScbOptimizer(ScbOptimizerConfig cfg, int vocab, int seqLen) {
        if (cfg == null) throw new IllegalArgumentException("ScbOptimizer: config is null");
        if (vocab < 1 || seqLen < 1) throw new IllegalArgumentException("ScbOptimizer: N=" + vocab + ", T=" + seqLen);
        this.cfg = cfg;
        n = vocab;
        t = seqLen;
        tracksMu = cfg.precondition() || cfg.curvatureFloor() > 0;
        needsMoments = cfg.precondition() || cfg.vnScale() > 0;
        gV = new float[n * n];
        gAT = new float[n * t];
        tokenCounts = new double[n];
        queryCounts = new double[n];
        muHat = new double[n];
        piHat = new double[n];
        scratch = new double[Math.max(n, t)];
        scratchV = new double[n * n];
        colSq = new double[n];
        colSum = new double[n];
        stepA = new double[n];
    }

    public ScbOptimizerConfig config() {
        return cfg;
    }

    /** Samples consumed so far. */
    public long samples() {
        return samples;
    }

    /** Steps taken so far. */
    public long steps() {
        return steps;
    }

    /**
     * One step on the given batch (the caller draws it); returns the batch loss before the step.
     *
     * @throws dev.onelayer.model.train.NonFiniteException if that loss is not finite (naming the step
     *         and the first non-finite parameter; the model is left as it was)
     */
    public double step(ScbModel model, ScbBatch b) {
        if (model == null || model.vocab != n || model.seqLen != t) throw new IllegalArgumentException("ScbOptimizer.step: model shape differs");
        double loss = model.gradient(b, gV, gAT);
        if (!Double.isFinite(loss)) {
            throw ScbDivergence.atLoss(steps, loss, ScbDivergence.firstNonFinite(model.v, model.aT, n, t, "A"));
        }
        steps++;
        updateEstimates(b);
        double decay = cfg.decaySamples() > 0 ? 1.0 / (1.0 + samples / cfg.decaySamples()) : 1.0;
        samples += b.batch;
        float[] v = model.v, aT = model.aT;

        double s = 0, m = 0; // s = sum_k pi_k |a_k|^2, m = sum_k pi_k (1^T a_k)^2
        if (needsMoments) {
            columnMoments(aT);
            for (int k = 0; k < n; k++) {
                s += piHat[k] * colSq[k];
                m += piHat[k] * colSum[k] * colSum[k];
            }
        }
        double trVDV = cfg.curvatureFloor() > 0 ? traceVDV(v) : 1; // before V moves: both blocks use the same point

        double etaV = cfg.etaV() * decay * (cfg.vnScale() > 0 ? Math.min(1, s / cfg.vnScale()) : 1);
        if (cfg.precondition()) {
            applyInverseH(gV, n, muHat, s, m, scratchV);
            for (int i = 0; i < n * n; i++) v[i] = (float) (v[i] - etaV * scratchV[i]);
        } else {
            Kernels.axpyWide(n * n, -etaV, gV, 0, v, 0); // v = (float) (v - etaV gV), in float64
        }
        if (cfg.simplexV()) SimplexColumns.project(v, n, n, scratch);

        double etaA = cfg.etaA() * decay;
        double curv = cfg.curvatureFloor() > 0 ? Math.max(trVDV, cfg.curvatureFloor()) : 1;
        for (int k = 0; k < n; k++) stepA[k] = etaA / ((cfg.divideByPi() ? piHat[k] : 1) * curv);
        if (cfg.lambda() > 0 || cfg.simplexA()) {
            proximalStepA(aT, cfg.lambda() > 0 ? etaA * cfg.lambda() : -1);
        } else if (!cfg.divideByPi()) {
            // the same step for every column: one flat float64 update, a = (float) (a - step gA)
            Kernels.axpyWide(n * t, -stepA[0], gAT, 0, aT, 0);
        } else {
            for (int k = 0, i = 0; k < n; k++) {
                for (int p = 0; p < t; p++, i++) aT[i] = (float) (aT[i] - stepA[k] * gAT[i]);
            }
        }
        return loss;
    }

    /**
     * {@code a_k <- proj(soft(a_k - stepA_k G_A e_k, threshold))} for every column k, one column
     * (a contiguous row of A^T) at a time: the step and the soft-threshold
     * ({@code Prox.softThreshold}'s formula) per entry while the column is summed in position order
     * for Michelot's threshold (the same sum {@link SimplexColumns#project} forms); then the
     * threshold tau_k, and {@code max(a - tau_k, 0)} over the column while it is still in L1.
     *
     * @param threshold the l1 threshold {@code etaA' lambda}, or negative for no proximal step
     */
    private void proximalStepA(float[] aT, double threshold) {
        boolean simplex = cfg.simplexA(), prox = threshold >= 0;
        for (int k = 0; k < n; k++) {
            int row = k * t, end = row + t;
            double step = stepA[k], sum = 0;
            for (int i = row; i < end; i++) {
                float x = (float) (aT[i] - step * gAT[i]);
                if (prox) x = (float) softThreshold(x, threshold);
                aT[i] = x;
                sum += x;
            }
            if (!simplex) continue;
            // a non-finite entry makes its column's sum non-finite (float entries cannot overflow a double sum)
            if (!Double.isFinite(sum)) throw SimplexColumns.nonFinite(aT, row, 1, t, k);
            double tau = SimplexColumns.stridedThreshold(aT, row, 1, t, sum, scratch);
            for (int i = row; i < end; i++) aT[i] = (float) positivePart(aT[i] - tau);
        }
    }

    private static final long SIGN = Long.MIN_VALUE;

    /**
     * {@code Prox.softThreshold} of one entry, {@code |d| > thr ? copySign(|d| - thr, d) : +0.0},
     * with bit masks instead of a branch: in PPPD's A most entries sit at 0 after the simplex
     * projection and the step moves them to either side of the threshold at random, so a branch
     * mispredicts on about every other entry. The mask is the sign of {@code |d| - thr}; adding
     * +0.0 turns the -0.0 of {@code |d| = thr}, d &lt; 0 into the branch's +0.0.
     */
    static double softThreshold(double d, double thr) {
        long mag = Double.doubleToRawLongBits(Math.abs(d) - thr);
        long keep = ~(mag >> 63);
        return Double.longBitsToDouble((mag | (Double.doubleToRawLongBits(d) & SIGN)) & keep) + 0.0;
    }

    /** {@code Math.max(d, 0)} for non-NaN d (so +0.0 for -0.0), branch-free for the same reason as {@link #softThreshold}. */
    static double positivePart(double d) {
        long bits = Double.doubleToRawLongBits(d);
        return Double.longBitsToDouble(bits & ~(bits >> 63));
    }

    /** colSq[k] = |a_k|^2 and colSum[k] = 1^T a_k in float64, each summed in position order over row k of A^T. */
    private void columnMoments(float[] aT) {
        for (int k = 0, i = 0; k < n; k++) {
            double sq = 0, sum = 0;
            for (int p = 0; p < t; p++, i++) {
                double x = aT[i];
                sq += x * x;
                sum += x;
            }
            colSq[k] = sq;
            colSum[k] = sum;
        }
    }

    /**
     * {@code out = G H^-1} for G (n x n, row-major) and {@code H = s D + m mu mu^T},
     * {@code D = diag mu - mu mu^T}, {@code 1^T mu = 1}: by Sherman-Morrison
     * {@code H^-1 = diag(1/mu)/s - (m - s)/(s m) 1 1^T}.
     */
    static void applyInverseH(float[] g, int n, double[] mu, double s, double m, double[] out) {
        if (!(s > 0) || !(m > 0)) {
            throw new IllegalStateException("ScbOptimizer: preconditioner needs s > 0 and m > 0 (s=" + s + ", m=" + m + ")");
        }
        double shift = (m - s) / (s * m);
        for (int i = 0; i < n; i++) {
            double rowSum = 0;
            for (int j = 0; j < n; j++) rowSum += g[i * n + j];
            for (int j = 0; j < n; j++) out[i * n + j] = g[i * n + j] / (s * mu[j]) - shift * rowSum;
        }
    }

    private void updateEstimates(ScbBatch b) {
        if (tracksMu) {
            for (int i = 0; i < b.batch * t; i++) tokenCounts[b.tokens[i]]++;
            tokenTotal += (double) b.batch * t;
        }
        for (int i = 0; i < b.batch; i++) queryCounts[b.queries[i]]++;
        queryTotal += b.batch;
        for (int j = 0; j < n; j++) {
            muHat[j] = (tokenCounts[j] + 1) / (tokenTotal + n);
            piHat[j] = (queryCounts[j] + 1) / (queryTotal + n);
        }
    }

    /** {@code tr(V D V^T) = sum_ij V_ij^2 mu_j - |V mu|^2} with the estimated mu. */
    private double traceVDV(float[] v) {
        double vv = 0, vmu2 = 0;
        for (int i = 0; i < n; i++) {
            double vm = 0;
            for (int j = 0; j < n; j++) {
                double x = v[i * n + j];
                vv += x * x * muHat[j];
                vm += x * muHat[j];
            }
            vmu2 += vm * vm;
        }
        return vv - vmu2;
    }

    /**
     * The current estimate of mu (a copy). Only configs that read it (preconditioned V step or a
     * curvature floor) count the context tokens; for the others this stays the prior 1/N.
     */
    public double[] muEstimate() {
        return Arrays.copyOf(muHat, n);
    }
}
