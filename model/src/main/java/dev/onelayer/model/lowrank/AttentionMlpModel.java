package dev.onelayer.model.lowrank;

import dev.onelayer.kernel.Kernels;
import dev.onelayer.kernel.Parallel;
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
 * etc. A batch is cut into fixed chunks of {@link #CHUNK_SAMPLES} samples; per chunk the token-wise
 * maps are GEMMs over all its tokens (the three projections as one product with the stacked
 * {@code [W_Q; W_K; W_V]}, the MLP layer as one {@code (chunk L x d) x (d x m)} product), and the
 * attention of each sample is three small GEMMs {@code S = Q K^T}, {@code P = softmax_rows(S)},
 * {@code Z = P V}. Chunks run on up to {@link #threads()} threads ({@link Parallel#forChunks});
 * their weight gradients are partial sums added in chunk order ({@link Parallel#sumInOrder}), and
 * the chunk boundaries depend only on the batch size, so a step gives the same bits on 1 or 2
 * threads. The activations live in buffers sized for {@code maxBatch} samples; larger sets are
 * evaluated in pieces of maxBatch.
 */
public final class AttentionMlpModel {

    /**
     * Samples per chunk. Why 8: a chunk's MLP activations (8 L m floats, 256 KB at L = 32,
     * m = 256: the pre-activations, replaced in place by their ReLU gate) stay in L2 from the
     * forward to the backward, 256 token rows still fill the GEMM register blocks, and batch 64 gives 8 chunks
     * that split evenly over 1, 2, 4 or 8 threads.
     */
    static final int CHUNK_SAMPLES = 8;

    private final int d, seqLen, m, maxBatch, threads;
    private final ModelConfig config;
    private final Params params = new Params();
    private final Param wQ, wK, wV, wO;
    private final float[] a;
    // Activations for up to maxBatch samples ([B*L][.] token rows) and their gradients:
    // qkv = [Q K V] (3d columns), z = attention output, h = W_O z after a forward and the gate
    // a_j [h_lj > 0] after a gradient pass (ReLU(h) itself is never stored), probs = softmax rows
    // [B][L][L].
    private final float[] qkv, dqkv, z, dz, h, s, probs;
    // The weights the GEMMs read as non-transposed right operands: [W_Q; W_K; W_V]^T (d x 3d)
    // and W_O^T (d x m), refreshed at every forward.
    private final float[] wQkvT, wOT;
    // Per chunk: its weight-gradient partial (the layout of Params), dS scratch [L][L], and
    // g_i = dL/dF_i / L of its samples.
    private final float[][] gradPart;
    private final float[][] dsChunk, gChunk;
    private final double[] out, hingeLoss;
    private final float[] xBatch;
    private final int[] yBatch;
    private final Parallel.ChunkBody forwardBody = this::forwardChunk, gradientBody = this::gradientChunk;
    // Arguments of the running pass, read by the chunk bodies (set before forChunks, which
    // publishes them to its workers).
    private float[] passX;
    private int passXOff, passYOff, passBatch;
    private int[] passY;

    /** A single-threaded model with fresh weights drawn from {@code rng} as {@link ModelConfig} says. */
    public AttentionMlpModel(int d, int seqLen, ModelConfig config, Rng rng, int maxBatch) {
        this(d, seqLen, config, rng, maxBatch, 1);
    }

    /**
     * A model with fresh weights drawn from {@code rng} as {@link ModelConfig} says, running its
     * batch chunks on up to {@code threads} threads (results do not depend on it).
     */
    public AttentionMlpModel(int d, int seqLen, ModelConfig config, Rng rng, int maxBatch, int threads) {
        if (config == null || rng == null) throw new IllegalArgumentException("AttentionMlpModel: config and rng must not be null");
        if (d < 1 || seqLen < 1 || maxBatch < 1 || threads < 1) {
            throw new IllegalArgumentException("AttentionMlpModel: d=" + d + ", seqLen=" + seqLen + ", maxBatch=" + maxBatch
                    + ", threads=" + threads + " must be >= 1");
        }
        this.d = d;
        this.seqLen = seqLen;
        this.m = config.neurons();
        this.maxBatch = maxBatch;
        this.threads = threads;
        this.config = config;
        double std = 1 / Math.sqrt(d);
        wQ = params.add("wQ", d, d).normal(rng, config.initQk() * std);
        wK = params.add("wK", d, d).normal(rng, config.initQk() * std);
        wV = params.add("wV", d, d).normal(rng, config.initV() * std);
        wO = params.add("wO", m, d).normal(rng, config.initO() * std);
        // The stacked projection [W_Q; W_K; W_V] (3d x d) is read straight from the parameter
        // buffer, which holds the three consecutively.
        if (wK.offset() != wQ.offset() + d * d || wV.offset() != wK.offset() + d * d) throw new IllegalStateException("AttentionMlpModel: W_Q, W_K, W_V not contiguous");
        a = new float[m];
        float scale = (float) (config.sqrtScale() ? 1 / Math.sqrt(m) : 1.0 / m);
        int[] perm = rng.permutation(m);
        for (int i = 0; i < m; i++) a[perm[i]] = i < m / 2 ? scale : -scale;
        int rows = maxBatch * seqLen;
        qkv = new float[rows * 3 * d];
        dqkv = new float[rows * 3 * d];
        z = new float[rows * d];
        dz = new float[rows * d];
        h = new float[rows * m];
        s = new float[rows];
        probs = new float[maxBatch * seqLen * seqLen];
        wQkvT = new float[d * 3 * d];
        wOT = new float[d * m];
        int chunks = Parallel.chunkCount(maxBatch, CHUNK_SAMPLES);
        gradPart = new float[chunks][params.size()];
        dsChunk = new float[chunks][seqLen * seqLen];
        gChunk = new float[chunks][CHUNK_SAMPLES];
        out = new double[maxBatch];
        hingeLoss = new double[maxBatch];
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

    /** Threads the batch chunks may run on. */
    public int threads() {
        return threads;
    }

    private void checkBatch(String what, float[] x, int xOff, int b) {
        if (b < 1 || b > maxBatch) throw new IllegalArgumentException(what + ": batch " + b + " outside [1, maxBatch=" + maxBatch + "]");
        if (x == null || xOff < 0 || (long) xOff + (long) b * seqLen * d > x.length) {
            throw new IllegalArgumentException(what + ": x needs " + b + "*L*d=" + (long) b * seqLen * d + " floats from offset " + xOff);
        }
    }

    /** {@code dst[c][r] = src[r][c]} for an r x c block of the parameter buffer. */
    private static void transpose(float[] src, int off, int rows, int cols, float[] dst) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) dst[c * rows + r] = src[off + r * cols + c];
        }
    }

    /**
     * Forward of b samples {@code x[xOff ..]} ([b][L][d]); returns the internal array whose first
     * b entries are F(X_i) (valid until the next call).
     */
    public double[] forward(float[] x, int xOff, int b) {
        checkBatch("AttentionMlpModel.forward", x, xOff, b);
        prepareWeights();
        passX = x;
        passXOff = xOff;
        Parallel.forChunks(b, CHUNK_SAMPLES, threads, forwardBody);
        return out;
    }

    /** Transposed copies of the weights for this pass (the GEMMs then read them in place). */
    private void prepareWeights() {
        float[] w = params.values();
        transpose(w, wQ.offset(), 3 * d, d, wQkvT);
        transpose(w, wO.offset(), m, d, wOT);
    }

    private void forwardChunk(int chunk, int from, int to) {
        forwardSamples(passX, passXOff, from, to, false);
    }

    /**
     * The forward of samples [from, to) of x: every activation of their token rows, and F into
     * out; with {@code gate}, h then holds {@code a_j [h_lj > 0]} for the backward.
     */
    private void forwardSamples(float[] x, int xOff, int from, int to, boolean gate) {
        int len = seqLen, r0 = from * len, rows = (to - from) * len, d3 = 3 * d;
        // [Q K V] = X [W_Q; W_K; W_V]^T for every token of the chunk.
        Kernels.gemm(false, false, rows, d3, d, 1f, x, xOff + r0 * d, d, wQkvT, 0, d3, 0f, qkv, r0 * d3, d3);
        for (int i = from; i < to; i++) {
            int t = i * len * d3, p = i * len * len;
            // S = Q K^T (s_lj = x_j^T W_K^T W_Q x_l), P = softmax over keys j, z_l = W_V X p_l.
            Kernels.gemm(false, true, len, len, d, 1f, qkv, t, d3, qkv, t + d, d3, 0f, probs, p, len);
            Kernels.softmaxRows(len, len, probs, p, len, probs, p, len);
            Kernels.gemm(false, false, len, d, len, 1f, probs, p, len, qkv, t + 2 * d, d3, 0f, z, i * len * d, d);
        }
        // h_l = W_O z_l for every token; F = (1/L) sum_l a^T ReLU(h_l).
        Kernels.gemm(false, false, rows, m, d, 1f, z, r0 * d, d, wOT, 0, m, 0f, h, r0 * m, m);
        // a^T ReLU(h_l) in one pass over h: ReLU(h) is never stored. With gate the same pass
        // replaces h by a_j [h_lj > 0] (dF/dh_lj times L), in place, so the backward needs no
        // second pass over h and no second rows x m buffer.
        if (gate) Kernels.reluGemvGate(rows, m, h, r0 * m, m, a, 0, s, r0, h, r0 * m, m);
        else Kernels.reluGemv(rows, m, h, r0 * m, m, a, 0, s, r0);
        for (int i = from; i < to; i++) {
            double f = 0;
            for (int l = 0; l < len; l++) f += s[i * len + l];
            out[i] = f / len;
        }
    }

    /**
     * Mean hinge loss of b samples and its gradient written into {@link Params#grads()} (overwritten,
     * not accumulated): {@code dF_i = -y_i / b} where {@code y_i F_i < 1}.
     */
    public double lossAndGradient(float[] x, int xOff, int[] y, int yOff, int b) {
        checkBatch("AttentionMlpModel.lossAndGradient", x, xOff, b);
        if (y == null || yOff < 0 || yOff + b > y.length) throw new IllegalArgumentException("AttentionMlpModel.lossAndGradient: y needs " + b + " labels from " + yOff);
        prepareWeights();
        passX = x;
        passXOff = xOff;
        passY = y;
        passYOff = yOff;
        passBatch = b;
        Parallel.forChunks(b, CHUNK_SAMPLES, threads, gradientBody);
        passY = null;
        Parallel.sumInOrder(gradPart, Parallel.chunkCount(b, CHUNK_SAMPLES), params.size(), params.grads(), 0);
        double loss = 0;
        for (int i = 0; i < b; i++) loss += hingeLoss[i];
        return loss / b;
    }

    /**
     * Forward and backward of the samples [from, to) of the running batch; the chunk's weight
     * gradient goes to {@code gradPart[chunk]}, its hinge losses to {@code hingeLoss}.
     */
    private void gradientChunk(int chunk, int from, int to) {
        float[] x = passX;
        int xOff = passXOff, yOff = passYOff, b = passBatch;
        int[] y = passY;
        forwardSamples(x, xOff, from, to, true);
        int len = seqLen, r0 = from * len, rows = (to - from) * len, d3 = 3 * d;
        float[] w = params.values(), part = gradPart[chunk], ds = dsChunk[chunk], gs = gChunk[chunk];
        // dL/dh_lj = g_i a_j [h_lj > 0] with g_i = dF_i / L, dF_i = -y_i / b inside the margin
        // (ReLU'(0) = 0). h holds A = a_j [h_lj > 0] from the forward; the per-sample g_i is
        // applied to the thin d-wide operands instead of the m-wide A: dW_O = A^T (G Z) and
        // dZ = G (A W_O), G = diag(g_i per token row). dz holds G Z until the second product.
        for (int i = from; i < to; i++) {
            double margin = y[yOff + i] * out[i];
            hingeLoss[i] = Math.max(0, 1 - margin);
            gs[i - from] = margin < 1 ? (float) (-y[yOff + i] / ((double) b * len)) : 0f;
            int zi = i * len * d;
            System.arraycopy(z, zi, dz, zi, len * d);
            Kernels.scale(len * d, gs[i - from], dz, zi);
        }
        Kernels.gemm(true, false, m, d, rows, 1f, h, r0 * m, m, dz, r0 * d, d, 0f, part, wO.offset(), d);
        Kernels.gemm(false, false, rows, d, m, 1f, h, r0 * m, m, w, wO.offset(), d, 0f, dz, r0 * d, d);
        for (int i = from; i < to; i++) Kernels.scale(len * d, gs[i - from], dz, i * len * d);
        for (int i = from; i < to; i++) {
            int t = i * len * d3, p = i * len * len, zi = i * len * d;
            // dP = dZ V^T, dV = P^T dZ.
            Kernels.gemm(false, true, len, len, d, 1f, dz, zi, d, qkv, t + 2 * d, d3, 0f, ds, 0, len);
            Kernels.gemm(true, false, len, d, len, 1f, probs, p, len, dz, zi, d, 0f, dqkv, t + 2 * d, d3);
            // Softmax backward: ds_lj = p_lj (dp_lj - D_l) with D_l = sum_j p_lj dp_lj, in place.
            Kernels.softmaxRowsBackward(len, len, probs, p, len, ds, 0, len, ds, 0, len);
            // dQ = dS K, dK = dS^T Q.
            Kernels.gemm(false, false, len, d, len, 1f, ds, 0, len, qkv, t + d, d3, 0f, dqkv, t, d3);
            Kernels.gemm(true, false, len, d, len, 1f, ds, 0, len, qkv, t, d3, 0f, dqkv, t + d, d3);
        }
        // [dW_Q; dW_K; dW_V] = [dQ dK dV]^T X: one (3d x d) product over the chunk's tokens.
        Kernels.gemm(true, false, d3, d, rows, 1f, dqkv, r0 * d3, d3, x, xOff + r0 * d, d, 0f, part, wQ.offset(), d);
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
        Kernels.axpy(3 * d * d, -step, g, wQ.offset(), w, wQ.offset()); // W_Q, W_K, W_V (consecutive)
        Kernels.axpy(wO.size(), -stepO, g, wO.offset(), w, wO.offset());
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
                    for (int j = 0; j < m; j++) c[row + j] += Math.max(h[base + j], 0f); // ReLU(h) of the forward
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
            forward(data.x(), data.offset(i0), b); // leaves the softmax rows in probs
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

    /**
     * The pre-activations h = W_O z [b*L][m] of the last {@link #forward} (a gradient pass
     * replaces them by the ReLU gate; package-private, for tests).
     */
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
