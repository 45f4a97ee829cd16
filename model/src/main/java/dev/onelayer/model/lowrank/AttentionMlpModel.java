package dev.onelayer.model.lowrank;

import dev.onelayer.kernel.Attention;
import dev.onelayer.kernel.Kernels;
import dev.onelayer.kernel.SoftmaxAttentionSpec;
import dev.onelayer.model.core.Param;
import dev.onelayer.model.core.Params;
import dev.onelayer.model.core.Rng;

/**
 * The one-layer model of Li et al. 2024 (notes section 2, ICLR'23 eq. 1 with W_O):
 * <pre>
 *   F(X) = (1/L) sum_l a^T ReLU( W_O W_V X softmax( X^T W_K^T W_Q x_l ) )
 * </pre>
 * with X = [x_1 .. x_L] in R^{d x L}, every token a query, no 1/sqrt(d) score scale (the paper's
 * formula has none), a in R^m fixed, and hinge loss {@code max(0, 1 - y F(X))} averaged over a
 * mini-batch. Trained parameters {@code wQ, wK, wV} (d x d) and {@code wO} (m x d, one row per
 * neuron).
 *
 * <p>Tokens are stored as rows ({@code x[b][l][d]}), so the projections are {@code Q = X W_Q^T}
 * etc. and the attention is the kernel's full (non-causal) softmax form with batch B, one head,
 * T = L. The forward keeps its activations in buffers sized for {@code maxBatch} samples; larger
 * sets are evaluated in chunks.
 */
public final class AttentionMlpModel {

    private final int d, seqLen, m, maxBatch;
    private final ModelConfig config;
    private final Params params = new Params();
    private final Param wQ, wK, wV, wO;
    private final float[] a;
    // Activations for up to maxBatch samples ([B*L][.] rows) and their gradients.
    private final float[] q, k, v, z, lse, h, dh, dz, dq, dk, dv, ws, s, probs;
    private final double[] out;
    private final float[] xBatch;
    private final int[] yBatch;

    /** A model with fresh weights drawn from {@code rng} as {@link ModelConfig} says. */
    public AttentionMlpModel(int d, int seqLen, ModelConfig config, Rng rng, int maxBatch) {
        if (config == null || rng == null) throw new IllegalArgumentException("AttentionMlpModel: config and rng must not be null");
        if (d < 1 || seqLen < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("AttentionMlpModel: d=" + d + ", seqLen=" + seqLen + ", maxBatch=" + maxBatch + " must be >= 1");
        }
        this.d = d;
        this.seqLen = seqLen;
        this.m = config.neurons();
        this.maxBatch = maxBatch;
        this.config = config;
        double std = 1 / Math.sqrt(d);
        wQ = params.add("wQ", d, d).normal(rng, config.initQk() * std);
        wK = params.add("wK", d, d).normal(rng, config.initQk() * std);
        wV = params.add("wV", d, d).normal(rng, config.initV() * std);
        wO = params.add("wO", m, d).normal(rng, config.initO() * std);
        a = new float[m];
        float scale = (float) (config.sqrtScale() ? 1 / Math.sqrt(m) : 1.0 / m);
        int[] perm = rng.permutation(m);
        for (int i = 0; i < m; i++) a[perm[i]] = i < m / 2 ? scale : -scale;
        int rows = maxBatch * seqLen;
        q = new float[rows * d];
        k = new float[rows * d];
        v = new float[rows * d];
        z = new float[rows * d];
        dz = new float[rows * d];
        dq = new float[rows * d];
        dk = new float[rows * d];
        dv = new float[rows * d];
        lse = new float[rows];
        s = new float[rows];
        h = new float[rows * m];
        dh = new float[rows * m];
        probs = new float[maxBatch * seqLen * seqLen];
        ws = new float[spec(maxBatch).workspaceFloats()];
        out = new double[maxBatch];
        xBatch = new float[rows * d];
        yBatch = new int[maxBatch];
    }

    public Params params() {
        return params;
    }

    public ModelConfig config() {
        return config;
    }

    /** The fixed output vector a (a copy). */
    public float[] outputVector() {
        return a.clone();
    }

    public int d() {
        return d;
    }

    public int seqLen() {
        return seqLen;
    }

    public int neurons() {
        return m;
    }

    public int maxBatch() {
        return maxBatch;
    }

    private SoftmaxAttentionSpec spec(int b) {
        return new SoftmaxAttentionSpec(b, 1, seqLen, d, d, 1f, false, SoftmaxAttentionSpec.NO_WINDOW);
    }

    private void checkBatch(String what, float[] x, int xOff, int b) {
        if (b < 1 || b > maxBatch) throw new IllegalArgumentException(what + ": batch " + b + " outside [1, maxBatch=" + maxBatch + "]");
        if (x == null || xOff < 0 || (long) xOff + (long) b * seqLen * d > x.length) {
            throw new IllegalArgumentException(what + ": x needs " + b + "*L*d=" + (long) b * seqLen * d + " floats from offset " + xOff);
        }
    }

    /**
     * Forward of b samples {@code x[xOff ..]} ([b][L][d]); returns the internal array whose first
     * b entries are F(X_i) (valid until the next call).
     */
    public double[] forward(float[] x, int xOff, int b) {
        checkBatch("AttentionMlpModel.forward", x, xOff, b);
        int rows = b * seqLen;
        float[] w = params.values();
        // Q = X W_Q^T, K = X W_K^T, V = X W_V^T (token rows).
        Kernels.gemm(false, true, rows, d, d, 1f, x, xOff, d, w, wQ.offset(), d, 0f, q, 0, d);
        Kernels.gemm(false, true, rows, d, d, 1f, x, xOff, d, w, wK.offset(), d, 0f, k, 0, d);
        Kernels.gemm(false, true, rows, d, d, 1f, x, xOff, d, w, wV.offset(), d, 0f, v, 0, d);
        // z_l = W_V X softmax(X^T W_K^T W_Q x_l): full attention, every token a query.
        Attention.softmax(spec(b), q, k, v, z, lse, ws);
        // h_l = W_O z_l; F = (1/L) sum_l a^T ReLU(h_l).
        Kernels.gemm(false, true, rows, m, d, 1f, z, 0, d, w, wO.offset(), d, 0f, h, 0, m);
        Kernels.relu(rows * m, h, 0, dh, 0);
        Kernels.gemv(false, rows, m, 1f, dh, 0, m, a, 0, 0f, s, 0);
        for (int i = 0; i < b; i++) {
            double f = 0;
            for (int l = 0; l < seqLen; l++) f += s[i * seqLen + l];
            out[i] = f / seqLen;
        }
        return out;
    }

    /**
     * Mean hinge loss of b samples and its gradient written into {@link Params#grads()} (overwritten,
     * not accumulated): {@code dF_i = -y_i / b} where {@code y_i F_i < 1}.
     */
    public double lossAndGradient(float[] x, int xOff, int[] y, int yOff, int b) {
        checkBatch("AttentionMlpModel.lossAndGradient", x, xOff, b);
        if (y == null || yOff < 0 || yOff + b > y.length) throw new IllegalArgumentException("AttentionMlpModel.lossAndGradient: y needs " + b + " labels from " + yOff);
        forward(x, xOff, b);
        int rows = b * seqLen;
        double loss = 0;
        for (int i = 0; i < b; i++) {
            double margin = y[yOff + i] * out[i];
            loss += Math.max(0, 1 - margin);
            float g = margin < 1 ? (float) (-y[yOff + i] / ((double) b * seqLen)) : 0f;
            // dh_li = (dF_i / L) a_j [h_lj > 0]  (ReLU derivative 0 at 0).
            for (int l = 0; l < seqLen; l++) {
                int base = (i * seqLen + l) * m;
                for (int j = 0; j < m; j++) dh[base + j] = h[base + j] > 0 ? g * a[j] : 0f;
            }
        }
        float[] w = params.values(), gr = params.grads();
        // dW_O = dH^T Z, dZ = dH W_O.
        Kernels.gemm(true, false, m, d, rows, 1f, dh, 0, m, z, 0, d, 0f, gr, wO.offset(), d);
        Kernels.gemm(false, false, rows, d, m, 1f, dh, 0, m, w, wO.offset(), d, 0f, dz, 0, d);
        Attention.softmaxBackward(spec(b), q, k, v, z, lse, dz, dq, dk, dv, ws);
        // dW_Q = dQ^T X etc.
        Kernels.gemm(true, false, d, d, rows, 1f, dq, 0, d, x, xOff, d, 0f, gr, wQ.offset(), d);
        Kernels.gemm(true, false, d, d, rows, 1f, dk, 0, d, x, xOff, d, 0f, gr, wK.offset(), d);
        Kernels.gemm(true, false, d, d, rows, 1f, dv, 0, d, x, xOff, d, 0f, gr, wV.offset(), d);
        return loss / b;
    }

    /**
     * One plain SGD step on the samples {@code idx[from .. from+b)} of {@code data}:
     * {@code W <- W - lr g} for W_Q, W_K, W_V and {@code W_O <- W_O - lr * lrOMult * g} (with
     * a = +-1/m the effective W_O rate is lr/m, so a width change scales it; notes "lr scaling").
     * Returns the mini-batch hinge loss before the step.
     */
    public double sgdStep(PatternData data, int[] idx, int from, int b, double lr, double lrOMult) {
        if (data == null || data.seqLen() != seqLen || data.d() != d) throw new IllegalArgumentException("AttentionMlpModel.sgdStep: data shape does not match the model");
        if (idx == null || from < 0 || b < 1 || from + b > idx.length) throw new IllegalArgumentException("AttentionMlpModel.sgdStep: idx range [" + from + ", " + (from + b) + ")");
        if (!(lr > 0) || !(lrOMult > 0) || Double.isInfinite(lr * lrOMult)) throw new IllegalArgumentException("AttentionMlpModel.sgdStep: lr=" + lr + ", lrOMult=" + lrOMult);
        double loss = batchGradient(data, idx, from, b);
        float[] w = params.values(), g = params.grads();
        float step = (float) lr, stepO = (float) (lr * lrOMult);
        int oStart = wO.offset(), oEnd = oStart + wO.size();
        for (int i = 0; i < w.length; i++) w[i] -= (i >= oStart && i < oEnd ? stepO : step) * g[i];
        return loss;
    }

    /**
     * Mean hinge loss and gradient (into {@link Params#grads()}) of the samples
     * {@code idx[from .. from+b)} of {@code data}, gathered into the model's batch buffer.
     */
    public double batchGradient(PatternData data, int[] idx, int from, int b) {
        if (data == null || data.seqLen() != seqLen || data.d() != d) throw new IllegalArgumentException("AttentionMlpModel.batchGradient: data shape does not match the model");
        if (idx == null || from < 0 || b < 1 || b > maxBatch || from + b > idx.length) {
            throw new IllegalArgumentException("AttentionMlpModel.batchGradient: idx range [" + from + ", " + (from + b) + ") or batch > " + maxBatch);
        }
        int per = data.sampleFloats();
        for (int i = 0; i < b; i++) {
            System.arraycopy(data.x(), data.offset(idx[from + i]), xBatch, i * per, per);
            yBatch[i] = data.y()[idx[from + i]];
        }
        return lossAndGradient(xBatch, 0, yBatch, 0, b);
    }

    private void checkData(String what, PatternData data) {
        if (data == null) throw new IllegalArgumentException(what + ": data is null");
        if (data.seqLen() != seqLen || data.d() != d) {
            throw new IllegalArgumentException(what + ": data has L=" + data.seqLen() + ", d=" + data.d() + " but the model has L=" + seqLen + ", d=" + d);
        }
    }

    /** F(X_i) for every sample of {@code data}, in chunks of maxBatch. */
    public double[] outputs(PatternData data) {
        checkData("AttentionMlpModel.outputs", data);
        double[] f = new double[data.n()];
        for (int i = 0; i < data.n(); i += maxBatch) {
            int b = Math.min(maxBatch, data.n() - i);
            forward(data.x(), data.offset(i), b);
            System.arraycopy(out, 0, f, i, b);
        }
        return f;
    }

    /**
     * Per-neuron contributions {@code c[i][j] = (1/L) sum_l a_j ReLU(h_lj)} for every sample
     * ([n][m], float64): F_i = sum_j c[i][j], and zeroing row j of W_O removes exactly column j,
     * which makes every pruning mask one sum (ReLU(0) = 0).
     */
    public double[] neuronContributions(PatternData data) {
        checkData("AttentionMlpModel.neuronContributions", data);
        double[] c = new double[data.n() * m];
        for (int i0 = 0; i0 < data.n(); i0 += maxBatch) {
            int b = Math.min(maxBatch, data.n() - i0);
            forward(data.x(), data.offset(i0), b);
            for (int i = 0; i < b; i++) {
                int row = (i0 + i) * m;
                for (int l = 0; l < seqLen; l++) {
                    int base = (i * seqLen + l) * m;
                    for (int j = 0; j < m; j++) c[row + j] += dh[base + j]; // dh holds ReLU(h) after forward
                }
                for (int j = 0; j < m; j++) c[row + j] *= a[j] / (double) seqLen;
            }
        }
        return c;
    }

    /**
     * Mean attention mass on label-relevant tokens: for each sample and query l, the total
     * softmax weight on tokens whose pattern is relevant for the sample's own label, averaged over
     * queries and samples (ICLR'23: rises towards 1 in training).
     */
    public double relevantAttention(PatternData data, PatternTask task) {
        checkData("AttentionMlpModel.relevantAttention", data);
        if (task == null) throw new IllegalArgumentException("AttentionMlpModel.relevantAttention: task is null");
        double total = 0;
        for (int i0 = 0; i0 < data.n(); i0 += maxBatch) {
            int b = Math.min(maxBatch, data.n() - i0);
            forward(data.x(), data.offset(i0), b);
            Attention.softmaxProbabilities(spec(b), q, k, lse, probs, ws);
            for (int i = 0; i < b; i++) {
                int label = data.y()[i0 + i];
                int pOff = (i0 + i) * seqLen;
                for (int l = 0; l < seqLen; l++) {
                    double mass = 0;
                    int row = (i * seqLen + l) * seqLen;
                    for (int j = 0; j < seqLen; j++) if (task.classOf(data.pattern()[pOff + j]) == label) mass += probs[row + j];
                    total += mass;
                }
            }
        }
        return total / ((double) data.n() * seqLen);
    }

    /** The pre-activations h = W_O z [b*L][m] of the last forward (package-private, for tests). */
    float[] preActivations() {
        return h;
    }

    /** 0-1 error of outputs f against labels y (F = 0 counts as wrong). */
    public static double error(double[] f, int[] y) {
        int wrong = 0;
        for (int i = 0; i < f.length; i++) if (!(y[i] * f[i] > 0)) wrong++;
        return wrong / (double) f.length;
    }

    /** Mean hinge loss of outputs f against labels y. */
    public static double hinge(double[] f, int[] y) {
        double s = 0;
        for (int i = 0; i < f.length; i++) s += Math.max(0, 1 - y[i] * f[i]);
        return s / f.length;
    }
}
