package dev.onelayer.model.scb;

import dev.onelayer.model.optim.Prox;

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
    private final float[] gV, gA;
    private final double[] tokenCounts, queryCounts, muHat, piHat, scratch, scratchV;
    private double tokenTotal, queryTotal;
    private long samples;

    public ScbOptimizer(ScbOptimizerConfig cfg, int vocab, int seqLen) {
        if (cfg == null) throw new IllegalArgumentException("ScbOptimizer: config is null");
        if (vocab < 1 || seqLen < 1) throw new IllegalArgumentException("ScbOptimizer: N=" + vocab + ", T=" + seqLen);
        this.cfg = cfg;
        n = vocab;
        t = seqLen;
        gV = new float[n * n];
        gA = new float[t * n];
        tokenCounts = new double[n];
        queryCounts = new double[n];
        muHat = new double[n];
        piHat = new double[n];
        scratch = new double[Math.max(n, t)];
        scratchV = new double[n * n];
    }

    public ScbOptimizerConfig config() {
        return cfg;
    }

    /** Samples consumed so far. */
    public long samples() {
        return samples;
    }

    /** One step on the given batch (the caller draws it); returns the batch loss before the step. */
    public double step(ScbModel model, ScbBatch b) {
        if (model == null || model.vocab != n || model.seqLen != t) throw new IllegalArgumentException("ScbOptimizer.step: model shape differs");
        double loss = model.gradient(b, gV, gA);
        updateEstimates(b);
        double decay = cfg.decaySamples() > 0 ? 1.0 / (1.0 + samples / cfg.decaySamples()) : 1.0;
        samples += b.batch;
        float[] v = model.v, a = model.a;

        double s = 0, m = 0; // s = sum_k pi_k |a_k|^2, m = sum_k pi_k (1^T a_k)^2
        for (int k = 0; k < n; k++) {
            double sq = 0, sum = 0;
            for (int p = 0; p < t; p++) {
                double x = a[p * n + k];
                sq += x * x;
                sum += x;
            }
            s += piHat[k] * sq;
            m += piHat[k] * sum * sum;
        }
        double trVDV = cfg.curvatureFloor() > 0 ? traceVDV(v) : 1; // before V moves: both blocks use the same point

        double etaV = cfg.etaV() * decay * (cfg.vnScale() > 0 ? Math.min(1, s / cfg.vnScale()) : 1);
        if (cfg.precondition()) {
            applyInverseH(gV, n, muHat, s, m, scratchV);
            for (int i = 0; i < n * n; i++) v[i] = (float) (v[i] - etaV * scratchV[i]);
        } else {
            for (int i = 0; i < n * n; i++) v[i] = (float) (v[i] - etaV * gV[i]);
        }
        if (cfg.simplexV()) SimplexColumns.project(v, n, n, scratch);

        double etaA = cfg.etaA() * decay;
        double curv = cfg.curvatureFloor() > 0 ? Math.max(trVDV, cfg.curvatureFloor()) : 1;
        for (int k = 0; k < n; k++) {
            double step = etaA / ((cfg.divideByPi() ? piHat[k] : 1) * curv);
            for (int p = 0; p < t; p++) a[p * n + k] = (float) (a[p * n + k] - step * gA[p * n + k]);
        }
        if (cfg.lambda() > 0) Prox.softThreshold(a, 0, t * n, etaA * cfg.lambda());
        if (cfg.simplexA()) SimplexColumns.project(a, t, n, scratch);
        return loss;
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
        for (int i = 0; i < b.batch * t; i++) tokenCounts[b.tokens[i]]++;
        for (int i = 0; i < b.batch; i++) queryCounts[b.queries[i]]++;
        tokenTotal += (double) b.batch * t;
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

    /** The current estimate of mu (a copy). */
    public double[] muEstimate() {
        return Arrays.copyOf(muHat, n);
    }
}
