package dev.onelayer.model.markov;

import dev.onelayer.kernel.Attention;
import dev.onelayer.kernel.Kernels;
import dev.onelayer.kernel.SoftmaxAttentionSpec;
import dev.onelayer.model.core.Param;
import dev.onelayer.model.core.Params;
import dev.onelayer.model.core.Rng;
import dev.onelayer.model.core.Workspace;

/**
 * The single-layer transformer of the paper's Section 3 (markov.md section 2 "Theory model", the
 * reference code's {@code Markov-Simple}), for binary chains. For each position n of a sequence:
 * <pre>
 *   x_n = x_n·e + p_n                                   (token 0 has zero embedding)
 *   y_n = x_n + W_O Σ_{i≤n} att_{n,i} W_V x_i,   att_{n,·} = softmax_i(⟨W_Q x_n, W_K x_i⟩/√d)
 *   z_n = y_n + W_2 ReLU(W_1 y_n)                       (W_1: 4d×d, W_2: d×4d, no biases)
 *   logit_n = ⟨a, z_n⟩ + b,   f_θ(x_1^n) = σ(logit_n) = P_θ(x_{n+1} = 1 | x_1^n)
 *   L(θ) = −(1/N) Σ_n [x_{n+1} log f_θ + (1 − x_{n+1}) log(1 − f_θ)]
 * </pre>
 * Tied ({@link Config#tied()}): {@code a = e}, and the gradient of e collects both uses. Weights
 * are stored {@code [out][in]} as in {@code torch.nn.Linear}, so a layer is {@code Y = X Wᵀ}.
 *
 * <p>Parameter groups (reference code: weight decay on Linear weights only): e, W_Q, W_K, W_V,
 * W_O, W_1, W_2 and the untied a are {@link Params#DECAY}; the positional table p (an Embedding)
 * and the scalar b are {@link Params#NO_DECAY}.
 *
 * <p>The forward of a chunk of m sequences runs all m·N positions through each layer as one GEMM
 * and the attention as one fused causal softmax call ({@link Attention#softmax}), saving what the
 * backward needs in the chunk's workspace.
 */
public final class TheoryModel implements MarkovModel {

    /**
     * Shape of the model.
     *
     * @param d      embedding width (reference code: 4 at v1)
     * @param seqLen N, the number of positional embeddings
     * @param tied   a = e (weight tying)
     * @param window attention window M (position n attends to n−M..n), or
     *               {@link SoftmaxAttentionSpec#NO_WINDOW} for full causal attention
     */
    public record Config(int d, int seqLen, boolean tied, int window) {
        public Config {
            if (d < 1) throw new IllegalArgumentException("TheoryModel.Config: d=" + d + " must be at least 1");
            if (seqLen < 1) throw new IllegalArgumentException("TheoryModel.Config: seqLen=" + seqLen + " must be at least 1");
            if (window < SoftmaxAttentionSpec.NO_WINDOW) {
                throw new IllegalArgumentException("TheoryModel.Config: window=" + window + " must be >= 0 or NO_WINDOW (-1)");
            }
            if ((long) d * 4 * seqLen > Integer.MAX_VALUE / 8) {
                throw new IllegalArgumentException("TheoryModel.Config: d=" + d + " with seqLen=" + seqLen + " is too large");
            }
        }

        /** Full causal attention. */
        public static Config of(int d, int seqLen, boolean tied) {
            return new Config(d, seqLen, tied, SoftmaxAttentionSpec.NO_WINDOW);
        }
    }

    private final Config config;
    private final int d, h, n;
    private final Params params = new Params();
    private final Param e, pos, wQ, wK, wV, wO, w1, w2, a, b;

    /** All parameters zero; call {@link #initNormal} or {@link #initUnigram}. */
    public TheoryModel(Config config) {
        if (config == null) throw new IllegalArgumentException("TheoryModel: config is null");
        this.config = config;
        this.d = config.d();
        this.h = 4 * d;
        this.n = config.seqLen();
        e = params.add("e", Params.DECAY, d);
        pos = params.add("p", Params.NO_DECAY, n, d);
        wQ = params.add("W_Q", Params.DECAY, d, d);
        wK = params.add("W_K", Params.DECAY, d, d);
        wV = params.add("W_V", Params.DECAY, d, d);
        wO = params.add("W_O", Params.DECAY, d, d);
        w1 = params.add("W_1", Params.DECAY, h, d);
        w2 = params.add("W_2", Params.DECAY, d, h);
        a = config.tied() ? e : params.add("a", Params.DECAY, d);
        b = params.add("b", Params.NO_DECAY, 1);
    }

    /**
     * The reference initialisation (validated settings in markov.md): every matrix, e, a and the
     * positional embeddings ~ N(0, std²), b = 0.
     */
    public TheoryModel initNormal(Rng rng, double std) {
        if (rng == null) throw new IllegalArgumentException("TheoryModel.initNormal: rng is null");
        if (!(std >= 0) || Double.isInfinite(std)) throw new IllegalArgumentException("TheoryModel.initNormal: std=" + std + " must be finite and >= 0");
        for (Param p : params.list()) {
            if (p == b) p.zeros();
            else p.normal(rng, std);
        }
        return this;
    }

    /**
     * The unigram point θ_π of Thm 2 (the reference code's {@code --init ashok}): e = 0, W_1 = W_2
     * = 0, W_O = 0 and b = log(p/q), so σ(b) = π_1 at every position whatever the context. W_Q,
     * W_K, W_V, the positional embeddings and an untied a are drawn from N(0, std²) (they do not
     * change the prediction there).
     */
    public TheoryModel initUnigram(Rng rng, double std, double p, double q) {
        if (!(p > 0 && p < 1) || !(q > 0 && q < 1)) {
            throw new IllegalArgumentException("TheoryModel.initUnigram: need p, q in (0, 1) for b = log(p/q), got p=" + p + ", q=" + q);
        }
        initNormal(rng, std);
        e.zeros();
        w1.zeros();
        w2.zeros();
        wO.zeros();
        b.fill((float) Math.log(p / q));
        return this;
    }

    public Config config() {
        return config;
    }

    @Override
    public Params params() {
        return params;
    }

    /** The output vector a (the same {@link Param} as e when tied). */
    public Param a() {
        return a;
    }

    /** The token embedding e. */
    public Param e() {
        return e;
    }

    @Override
    public int seqLen() {
        return n;
    }

    /** The positional embeddings p, {@code [N][d]}. */
    @Override
    public Param positions() {
        return pos;
    }

    /** The output bias b. */
    public Param b() {
        return b;
    }

    private SoftmaxAttentionSpec spec(int m) {
        return new SoftmaxAttentionSpec(m, 1, n, d, d, (float) (1 / Math.sqrt(d)), true, config.window());
    }

    @Override
    public double forward(MarkovBatch batch, int start, int end, Workspace ws) {
        checkRange(batch, start, end);
        if (ws == null) throw new IllegalArgumentException("TheoryModel.forward: workspace is null");
        int m = end - start, rows = m * n;
        float[] w = params.values();
        float[] x = ws.floats("x", rows * d);
        for (int i = 0; i < m; i++) {
            for (int t = 0; t < n; t++) {
                int r = (i * n + t) * d;
                System.arraycopy(w, pos.offset() + t * d, x, r, d);
                if (batch.symbol(start + i, t) != 0) Kernels.axpy(d, 1f, w, e.offset(), x, r);
            }
        }
        float[] qm = ws.floats("q", rows * d), km = ws.floats("k", rows * d), vm = ws.floats("v", rows * d);
        linear(rows, d, d, x, wQ, qm, 0f);
        linear(rows, d, d, x, wK, km, 0f);
        linear(rows, d, d, x, wV, vm, 0f);
        SoftmaxAttentionSpec s = spec(m);
        float[] att = ws.floats("att", rows * d), lse = ws.floats("lse", rows);
        Attention.softmax(s, qm, km, vm, att, lse, ws.floats("attWs", s.workspaceFloats()));
        float[] y = ws.floats("y", rows * d);
        System.arraycopy(x, 0, y, 0, rows * d);
        linear(rows, d, d, att, wO, y, 1f);
        float[] h1 = ws.floats("h1", rows * h), r1 = ws.floats("relu", rows * h);
        linear(rows, h, d, y, w1, h1, 0f);
        Kernels.relu(rows * h, h1, 0, r1, 0);
        float[] z = ws.floats("z", rows * d);
        System.arraycopy(y, 0, z, 0, rows * d);
        linear(rows, d, h, r1, w2, z, 1f);
        float[] logit = ws.floats("logit", rows);
        Kernels.gemv(false, rows, d, 1f, z, 0, d, w, a.offset(), 0f, logit, 0);
        float bias = w[b.offset()];
        double total = 0;
        for (int i = 0; i < m; i++) {
            double seq = 0;
            for (int t = 0; t < n; t++) {
                int r = i * n + t;
                logit[r] += bias;
                seq += bce(logit[r], batch.symbol(start + i, t + 1));
            }
            total += seq / n;
        }
        return total;
    }

    @Override
    public void backward(MarkovBatch batch, int start, int end, Workspace ws, float scale, float[] grad) {
        checkRange(batch, start, end);
        if (ws == null || grad == null) throw new IllegalArgumentException("TheoryModel.backward: workspace and grad are required");
        if (grad.length != params.size()) {
            throw new IllegalArgumentException("TheoryModel.backward: grad has " + grad.length + " floats, params have " + params.size());
        }
        int m = end - start, rows = m * n;
        float[] logit = ws.saved("logit");
        if (logit.length != rows) throw new IllegalStateException("TheoryModel.backward: the last forward ran on a different range");
        float[] w = params.values();
        float[] x = ws.saved("x"), qm = ws.saved("q"), km = ws.saved("k"), vm = ws.saved("v");
        float[] att = ws.saved("att"), lse = ws.saved("lse"), y = ws.saved("y"), h1 = ws.saved("h1"), r1 = ws.saved("relu"), z = ws.saved("z");

        // dL/dlogit_n = (scale/N)(σ(logit_n) − x_{n+1})
        float[] dl = ws.floats("dlogit", rows);
        double db = 0;
        for (int i = 0; i < m; i++) {
            for (int t = 0; t < n; t++) {
                int r = i * n + t;
                dl[r] = (float) (scale * (sigmoid(logit[r]) - batch.symbol(start + i, t + 1)) / n);
                db += dl[r];
            }
        }
        grad[b.offset()] += (float) db;
        // logit = Z a: da += Zᵀ dl (into e when tied), dZ = dl aᵀ
        Kernels.gemv(true, rows, d, 1f, z, 0, d, dl, 0, 1f, grad, a.offset());
        float[] dz = ws.zeroedFloats("dz", rows * d);
        Kernels.ger(rows, d, 1f, dl, 0, w, a.offset(), dz, 0, d);
        // z = y + relu(y W_1ᵀ) W_2ᵀ
        float[] dr = ws.floats("dr", rows * h), dh = ws.floats("dh", rows * h);
        Kernels.gemm(true, false, d, h, rows, 1f, dz, 0, d, r1, 0, h, 1f, grad, w2.offset(), h);
        Kernels.gemm(false, false, rows, h, d, 1f, dz, 0, d, w, w2.offset(), h, 0f, dr, 0, h);
        Kernels.reluBackward(rows * h, h1, 0, dr, 0, dh, 0);
        Kernels.gemm(true, false, h, d, rows, 1f, dh, 0, h, y, 0, d, 1f, grad, w1.offset(), d);
        float[] dy = ws.floats("dy", rows * d);
        System.arraycopy(dz, 0, dy, 0, rows * d);
        Kernels.gemm(false, false, rows, d, h, 1f, dh, 0, h, w, w1.offset(), d, 1f, dy, 0, d);
        // y = x + att W_Oᵀ
        Kernels.gemm(true, false, d, d, rows, 1f, dy, 0, d, att, 0, d, 1f, grad, wO.offset(), d);
        float[] datt = ws.floats("datt", rows * d);
        Kernels.gemm(false, false, rows, d, d, 1f, dy, 0, d, w, wO.offset(), d, 0f, datt, 0, d);
        SoftmaxAttentionSpec s = spec(m);
        float[] dq = ws.floats("dq", rows * d), dk = ws.floats("dk", rows * d), dv = ws.floats("dv", rows * d);
        Attention.softmaxBackward(s, qm, km, vm, att, lse, datt, dq, dk, dv, ws.floats("attWs", s.workspaceFloats()));
        // q = x W_Qᵀ etc.: dW_Q += dqᵀ x, dx += dq W_Q
        float[] dx = dy; // the residual: dx starts as dy, no longer needed on its own
        backLinear(rows, x, dq, wQ, dx, grad);
        backLinear(rows, x, dk, wK, dx, grad);
        backLinear(rows, x, dv, wV, dx, grad);
        // x_n = x_n e + p_n
        for (int i = 0; i < m; i++) {
            for (int t = 0; t < n; t++) {
                int r = (i * n + t) * d;
                Kernels.axpy(d, 1f, dx, r, grad, pos.offset() + t * d);
                if (batch.symbol(start + i, t) != 0) Kernels.axpy(d, 1f, dx, r, grad, e.offset());
            }
        }
    }

    /** dW += dOutᵀ in, dIn += dOut W (square d×d layer). */
    private void backLinear(int rows, float[] in, float[] dOut, Param wt, float[] dIn, float[] grad) {
        Kernels.gemm(true, false, d, d, rows, 1f, dOut, 0, d, in, 0, d, 1f, grad, wt.offset(), d);
        Kernels.gemm(false, false, rows, d, d, 1f, dOut, 0, d, params.values(), wt.offset(), d, 1f, dIn, 0, d);
    }

    /** out = in Wᵀ + beta·out, W stored [outDim][inDim]. */
    private void linear(int rows, int outDim, int inDim, float[] in, Param wt, float[] out, float beta) {
        Kernels.gemm(false, true, rows, outDim, inDim, 1f, in, 0, inDim, params.values(), wt.offset(), inDim, beta, out, 0, outDim);
    }

    /**
     * Model probabilities {@code f_θ(x_1^n) = P_θ(x_{n+1} = 1 | x_1^n)} of sequences
     * {@code [start, end)}, written as {@code out[(i − start)·N + n]}; returns the summed
     * per-sequence loss like {@link #forward}.
     */
    @Override
    public double predict(MarkovBatch batch, int start, int end, Workspace ws, float[] out) {
        double loss = forward(batch, start, end, ws);
        int rows = (end - start) * n;
        if (out == null || out.length < rows) {
            throw new IllegalArgumentException("TheoryModel.predict: out needs " + rows + " floats, has " + (out == null ? "null" : out.length));
        }
        float[] logit = ws.saved("logit");
        for (int r = 0; r < rows; r++) out[r] = (float) sigmoid(logit[r]);
        return loss;
    }

    /** Binary cross-entropy with logits, {@code log(1 + e^l) − y·l}, computed stably in float64. */
    static double bce(double l, int y) {
        double softplus = l > 0 ? l + Math.log1p(Math.exp(-l)) : Math.log1p(Math.exp(l));
        return softplus - y * l;
    }

    static double sigmoid(double l) {
        return l >= 0 ? 1 / (1 + Math.exp(-l)) : Math.exp(l) / (1 + Math.exp(l));
    }

    private void checkRange(MarkovBatch batch, int start, int end) {
        if (batch == null) throw new IllegalArgumentException("TheoryModel: batch is null");
        if (batch.states() != 2) throw new IllegalArgumentException("TheoryModel: needs a binary chain, batch has " + batch.states() + " states");
        if (batch.seqLen() != n) throw new IllegalArgumentException("TheoryModel: batch has N=" + batch.seqLen() + ", model has N=" + n);
        if (start < 0 || end > batch.size() || start >= end) {
            throw new IllegalArgumentException("TheoryModel: range [" + start + ", " + end + ") is empty or outside the batch of " + batch.size());
        }
    }
}
