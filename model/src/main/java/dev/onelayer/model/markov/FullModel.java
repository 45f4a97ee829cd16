package dev.onelayer.model.markov;

import dev.onelayer.kernel.Attention;
import dev.onelayer.kernel.Kernels;
import dev.onelayer.kernel.SoftmaxAttentionSpec;
import dev.onelayer.model.core.Param;
import dev.onelayer.model.core.Params;
import dev.onelayer.model.core.Rng;
import dev.onelayer.model.core.Workspace;

import java.util.Arrays;

/**
 * The reference code's full model ({@code Markov-LLM}: nanoGPT's GPT-2, markov.md section 2 "Code
 * models"), one head, no dropout, no biases inside the blocks. For position n of a sequence:
 * <pre>
 *   x⁰_n = wte[x_n] + wpe[n]                                  (a V-row token table: token 0 has its own row)
 *   for each block l:  x ← x + c_proj(Attn(LN₁(x)))           (causal softmax, optional window M)
 *                      x ← x + mlp.c_proj(GELU(c_fc(LN₂(x)))) (c_fc: 4d×d)
 *   logits_n = lm_head · LN_f(x_n) + bias,   L = −(1/N) Σ_n log softmax(logits_n)[x_{n+1}]
 * </pre>
 * LN is LayerNorm with a gain and no bias ({@link LayerNorm}). Tied ({@link Config#tied()}):
 * {@code lm_head.weight = wte.weight} (one V×d table, gradients from both uses).
 *
 * <p>Choices where the reference is PyTorch-specific: GELU is the tanh form
 * ({@link Kernels#gelu}; {@code nn.GELU()} is the erf form, they differ by &lt; 5e-4 in value);
 * float32 instead of fp16 autocast.
 *
 * <p>Parameter groups (reference: decay on Linear weights only): {@code c_attn}, {@code c_proj},
 * {@code c_fc}, {@code mlp.c_proj} and an untied {@code lm_head} are {@link Params#DECAY}; the
 * embedding tables (also the tied head), LayerNorm gains and the head bias are
 * {@link Params#NO_DECAY}.
 */
public final class FullModel implements MarkovModel {

    /**
     * Shape of the model.
     *
     * @param vocab  V, symbols (2 for the binary chains)
     * @param d      n_embd (reference default 8)
     * @param layers n_layer ≥ 1
     * @param seqLen N, rows of the positional table
     * @param tied   lm_head.weight = wte.weight
     * @param window attention window M (position n attends to n−M..n), or
     *               {@link SoftmaxAttentionSpec#NO_WINDOW}
     */
    public record Config(int vocab, int d, int layers, int seqLen, boolean tied, int window) {
        public Config {
            if (vocab < 2) throw new IllegalArgumentException("FullModel.Config: vocab=" + vocab + " must be at least 2");
            if (d < 1) throw new IllegalArgumentException("FullModel.Config: d=" + d + " must be at least 1");
            if (layers < 1) throw new IllegalArgumentException("FullModel.Config: layers=" + layers + " must be at least 1");
            if (seqLen < 1) throw new IllegalArgumentException("FullModel.Config: seqLen=" + seqLen + " must be at least 1");
            if (window < SoftmaxAttentionSpec.NO_WINDOW) {
                throw new IllegalArgumentException("FullModel.Config: window=" + window + " must be >= 0 or NO_WINDOW (-1)");
            }
            if ((long) d * 4 * seqLen * layers > Integer.MAX_VALUE / 16) {
                throw new IllegalArgumentException("FullModel.Config: d=" + d + ", layers=" + layers + ", seqLen=" + seqLen + " is too large");
            }
        }

        /** Binary vocabulary, full causal attention. */
        public static Config of(int d, int layers, int seqLen, boolean tied) {
            return new Config(2, d, layers, seqLen, tied, SoftmaxAttentionSpec.NO_WINDOW);
        }
    }

    private final Config config;
    private final int v, d, h, n, layers;
    private final Params params = new Params();
    private final Param wte, wpe, lnF, head, headBias;
    private final Param[] ln1, cAttn, cProj, ln2, cFc, mProj;
    /** Workspace keys per block, built once so a step allocates no strings. */
    private final String[] kXhat1, kRstd1, kA1, kQ, kK, kV, kAtt, kLse, kXhat2, kRstd2, kA2, kPre, kAct;

    /** All parameters zero; call {@link #initGpt2}. */
    public FullModel(Config config) {
        if (config == null) throw new IllegalArgumentException("FullModel: config is null");
        this.config = config;
        this.v = config.vocab();
        this.d = config.d();
        this.h = 4 * d;
        this.n = config.seqLen();
        this.layers = config.layers();
        wte = params.add("wte", Params.NO_DECAY, v, d);
        wpe = params.add("wpe", Params.NO_DECAY, n, d);
        ln1 = new Param[layers];
        cAttn = new Param[layers];
        cProj = new Param[layers];
        ln2 = new Param[layers];
        cFc = new Param[layers];
        mProj = new Param[layers];
        for (int l = 0; l < layers; l++) {
            String p = "h" + l + ".";
            ln1[l] = params.add(p + "ln_1", Params.NO_DECAY, d);
            cAttn[l] = params.add(p + "attn.c_attn", Params.DECAY, 3 * d, d);
            cProj[l] = params.add(p + "attn.c_proj", Params.DECAY, d, d);
            ln2[l] = params.add(p + "ln_2", Params.NO_DECAY, d);
            cFc[l] = params.add(p + "mlp.c_fc", Params.DECAY, h, d);
            mProj[l] = params.add(p + "mlp.c_proj", Params.DECAY, d, h);
        }
        lnF = params.add("ln_f", Params.NO_DECAY, d);
        head = config.tied() ? wte : params.add("lm_head", Params.DECAY, v, d);
        headBias = params.add("lm_head.bias", Params.NO_DECAY, v);
        kXhat1 = keys("xhat1");
        kRstd1 = keys("rstd1");
        kA1 = keys("a1");
        kQ = keys("q");
        kK = keys("k");
        kV = keys("v");
        kAtt = keys("att");
        kLse = keys("lse");
        kXhat2 = keys("xhat2");
        kRstd2 = keys("rstd2");
        kA2 = keys("a2");
        kPre = keys("pre");
        kAct = keys("act");
    }

    private String[] keys(String base) {
        String[] k = new String[layers];
        for (int l = 0; l < layers; l++) k[l] = base + "." + l;
        return k;
    }

    /**
     * GPT-2 initialisation (nanoGPT {@code _init_weights}): every Linear weight and embedding
     * ~ N(0, std²), the two residual projections ({@code attn.c_proj}, {@code mlp.c_proj})
     * ~ N(0, (std/√(2·layers))²), LayerNorm gains 1, head bias 0.
     */
    public FullModel initGpt2(Rng rng, double std) {
        if (rng == null) throw new IllegalArgumentException("FullModel.initGpt2: rng is null");
        if (!(std >= 0) || Double.isInfinite(std)) throw new IllegalArgumentException("FullModel.initGpt2: std=" + std + " must be finite and >= 0");
        double projStd = std / Math.sqrt(2.0 * layers);
        for (Param p : params.list()) {
            if (p == headBias) p.zeros();
            else if (p == lnF || contains(ln1, p) || contains(ln2, p)) p.fill(1f);
            else if (contains(cProj, p) || contains(mProj, p)) p.normal(rng, projStd);
            else p.normal(rng, std);
        }
        return this;
    }

    private static boolean contains(Param[] a, Param p) {
        for (Param x : a) if (x == p) return true;
        return false;
    }

    public Config config() {
        return config;
    }

    @Override
    public Params params() {
        return params;
    }

    @Override
    public Param positions() {
        return wpe;
    }

    @Override
    public int seqLen() {
        return n;
    }

    /** The token table {@code wte}, {@code [V][d]}. */
    public Param tokenEmbedding() {
        return wte;
    }

    /** The head weight {@code [V][d]} (the same {@link Param} as wte when tied). */
    public Param head() {
        return head;
    }

    /** The head bias {@code [V]}. */
    public Param headBias() {
        return headBias;
    }

    private SoftmaxAttentionSpec spec(int m) {
        return new SoftmaxAttentionSpec(m, 1, n, d, d, (float) (1 / Math.sqrt(d)), true, config.window());
    }

    @Override
    public double forward(MarkovBatch batch, int start, int end, Workspace ws) {
        checkRange(batch, start, end);
        if (ws == null) throw new IllegalArgumentException("FullModel.forward: workspace is null");
        int m = end - start, rows = m * n;
        float[] w = params.values();
        float[] x = ws.floats("x", rows * d);
        for (int i = 0; i < m; i++) {
            for (int t = 0; t < n; t++) {
                int r = (i * n + t) * d;
                System.arraycopy(w, wpe.offset() + t * d, x, r, d);
                Kernels.axpy(d, 1f, w, wte.offset() + batch.symbol(start + i, t) * d, x, r);
            }
        }
        SoftmaxAttentionSpec s = spec(m);
        float[] attWs = ws.floats("attWs", s.workspaceFloats());
        for (int l = 0; l < layers; l++) {
            float[] xhat1 = ws.floats(kXhat1[l], rows * d), rstd1 = ws.floats(kRstd1[l], rows), a1 = ws.floats(kA1[l], rows * d);
            LayerNorm.forward(rows, d, x, w, ln1[l].offset(), xhat1, rstd1, a1);
            float[] q = ws.floats(kQ[l], rows * d), k = ws.floats(kK[l], rows * d), vv = ws.floats(kV[l], rows * d);
            attnInput(rows, a1, cAttn[l], 0, q);
            attnInput(rows, a1, cAttn[l], 1, k);
            attnInput(rows, a1, cAttn[l], 2, vv);
            float[] att = ws.floats(kAtt[l], rows * d), lse = ws.floats(kLse[l], rows);
            Attention.softmax(s, q, k, vv, att, lse, attWs);
            linear(rows, d, d, att, cProj[l], x, 1f);
            float[] xhat2 = ws.floats(kXhat2[l], rows * d), rstd2 = ws.floats(kRstd2[l], rows), a2 = ws.floats(kA2[l], rows * d);
            LayerNorm.forward(rows, d, x, w, ln2[l].offset(), xhat2, rstd2, a2);
            float[] pre = ws.floats(kPre[l], rows * h), act = ws.floats(kAct[l], rows * h);
            linear(rows, h, d, a2, cFc[l], pre, 0f);
            Kernels.gelu(rows * h, pre, 0, act, 0);
            linear(rows, d, h, act, mProj[l], x, 1f);
        }
        float[] xhatF = ws.floats("xhatF", rows * d), rstdF = ws.floats("rstdF", rows), f = ws.floats("f", rows * d);
        LayerNorm.forward(rows, d, x, w, lnF.offset(), xhatF, rstdF, f);
        float[] logits = ws.floats("logits", rows * v);
        linear(rows, v, d, f, head, logits, 0f);
        double total = 0;
        for (int i = 0; i < m; i++) {
            double seq = 0;
            for (int t = 0; t < n; t++) {
                int o = (i * n + t) * v;
                for (int c = 0; c < v; c++) logits[o + c] += w[headBias.offset() + c];
                seq += logSumExp(logits, o) - logits[o + batch.symbol(start + i, t + 1)];
            }
            total += seq / n;
        }
        return total;
    }

    @Override
    public void backward(MarkovBatch batch, int start, int end, Workspace ws, float scale, float[] grad) {
        checkRange(batch, start, end);
        if (ws == null || grad == null) throw new IllegalArgumentException("FullModel.backward: workspace and grad are required");
        if (grad.length != params.size()) {
            throw new IllegalArgumentException("FullModel.backward: grad has " + grad.length + " floats, params have " + params.size());
        }
        int m = end - start, rows = m * n;
        float[] logits = ws.saved("logits");
        if (logits.length != rows * v) throw new IllegalStateException("FullModel.backward: the last forward ran on a different range");
        float[] w = params.values();
        double[] dg = ws.doubles("dgain", Math.max(d, v));

        // dL/dlogits_n = (scale/N)(softmax(logits_n) − e_{x_{n+1}})
        float[] dl = ws.floats("dlogits", rows * v);
        Arrays.fill(dg, 0);
        for (int i = 0; i < m; i++) {
            for (int t = 0; t < n; t++) {
                int o = (i * n + t) * v;
                double lse = logSumExp(logits, o);
                int target = batch.symbol(start + i, t + 1);
                for (int c = 0; c < v; c++) {
                    double pc = Math.exp(logits[o + c] - lse);
                    dl[o + c] = (float) (scale * (pc - (c == target ? 1 : 0)) / n);
                    dg[c] += dl[o + c];
                }
            }
        }
        for (int c = 0; c < v; c++) grad[headBias.offset() + c] += (float) dg[c];
        float[] f = ws.saved("f");
        Kernels.gemm(true, false, v, d, rows, 1f, dl, 0, v, f, 0, d, 1f, grad, head.offset(), d);
        float[] df = ws.floats("df", rows * d);
        Kernels.gemm(false, false, rows, d, v, 1f, dl, 0, v, w, head.offset(), d, 0f, df, 0, d);
        float[] dx = ws.zeroedFloats("dx", rows * d);
        layerNormBackward(rows, df, ws.saved("xhatF"), ws.saved("rstdF"), lnF, dx, dg, grad);

        SoftmaxAttentionSpec s = spec(m);
        float[] attWs = ws.floats("attWs", s.workspaceFloats());
        float[] dAct = ws.floats("dAct", rows * h), dPre = ws.floats("dPre", rows * h), da = ws.floats("da", rows * d);
        float[] dq = ws.floats("dq", rows * d), dk = ws.floats("dk", rows * d), dv = ws.floats("dv", rows * d);
        for (int l = layers - 1; l >= 0; l--) {
            // x ← x + GELU(a2 W_fcᵀ) W_projᵀ
            float[] act = ws.saved(kAct[l]), pre = ws.saved(kPre[l]), a2 = ws.saved(kA2[l]);
            Kernels.gemm(true, false, d, h, rows, 1f, dx, 0, d, act, 0, h, 1f, grad, mProj[l].offset(), h);
            Kernels.gemm(false, false, rows, h, d, 1f, dx, 0, d, w, mProj[l].offset(), h, 0f, dAct, 0, h);
            Kernels.geluBackward(rows * h, pre, 0, dAct, 0, dPre, 0);
            Kernels.gemm(true, false, h, d, rows, 1f, dPre, 0, h, a2, 0, d, 1f, grad, cFc[l].offset(), d);
            Kernels.gemm(false, false, rows, d, h, 1f, dPre, 0, h, w, cFc[l].offset(), d, 0f, da, 0, d);
            layerNormBackward(rows, da, ws.saved(kXhat2[l]), ws.saved(kRstd2[l]), ln2[l], dx, dg, grad);
            // x ← x + Attn(q, k, v) W_cprojᵀ with [q k v] = a1 W_attnᵀ
            float[] att = ws.saved(kAtt[l]), a1 = ws.saved(kA1[l]);
            Kernels.gemm(true, false, d, d, rows, 1f, dx, 0, d, att, 0, d, 1f, grad, cProj[l].offset(), d);
            float[] datt = da; // reuse: da was consumed by the LayerNorm backward
            Kernels.gemm(false, false, rows, d, d, 1f, dx, 0, d, w, cProj[l].offset(), d, 0f, datt, 0, d);
            Attention.softmaxBackward(s, ws.saved(kQ[l]), ws.saved(kK[l]), ws.saved(kV[l]), att, ws.saved(kLse[l]), datt, dq, dk, dv, attWs);
            float[] da1 = datt; // datt is consumed by softmaxBackward
            int wOff = cAttn[l].offset();
            float[][] dqkv = {dq, dk, dv};
            for (int j = 0; j < 3; j++) {
                Kernels.gemm(true, false, d, d, rows, 1f, dqkv[j], 0, d, a1, 0, d, 1f, grad, wOff + j * d * d, d);
                Kernels.gemm(false, false, rows, d, d, 1f, dqkv[j], 0, d, w, wOff + j * d * d, d, j == 0 ? 0f : 1f, da1, 0, d);
            }
            layerNormBackward(rows, da1, ws.saved(kXhat1[l]), ws.saved(kRstd1[l]), ln1[l], dx, dg, grad);
        }
        // x⁰_n = wte[x_n] + wpe[n]
        for (int i = 0; i < m; i++) {
            for (int t = 0; t < n; t++) {
                int r = (i * n + t) * d;
                Kernels.axpy(d, 1f, dx, r, grad, wpe.offset() + t * d);
                Kernels.axpy(d, 1f, dx, r, grad, wte.offset() + batch.symbol(start + i, t) * d);
            }
        }
    }

    private void layerNormBackward(int rows, float[] dy, float[] xhat, float[] rstd, Param gain, float[] dx, double[] dg, float[] grad) {
        Arrays.fill(dg, 0);
        LayerNorm.backward(rows, d, dy, xhat, rstd, params.values(), gain.offset(), dx, dg);
        for (int j = 0; j < d; j++) grad[gain.offset() + j] += (float) dg[j];
    }

    /** Block j ∈ {0: Q, 1: K, 2: V} of c_attn: out = a1 W_jᵀ, W_j = rows [j·d, (j+1)·d) of the [3d][d] weight. */
    private void attnInput(int rows, float[] a1, Param wAttn, int j, float[] out) {
        Kernels.gemm(false, true, rows, d, d, 1f, a1, 0, d, params.values(), wAttn.offset() + j * d * d, d, 0f, out, 0, d);
    }

    /** out = in Wᵀ + beta·out, W stored [outDim][inDim]. */
    private void linear(int rows, int outDim, int inDim, float[] in, Param wt, float[] out, float beta) {
        Kernels.gemm(false, true, rows, outDim, inDim, 1f, in, 0, inDim, params.values(), wt.offset(), inDim, beta, out, 0, outDim);
    }

    private double logSumExp(float[] logits, int o) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < v; c++) max = Math.max(max, logits[o + c]);
        double s = 0;
        for (int c = 0; c < v; c++) s += Math.exp(logits[o + c] - max);
        return max + Math.log(s);
    }

    /** Writes softmax(logits_n)[1], the predicted probability of symbol 1. */
    @Override
    public double predict(MarkovBatch batch, int start, int end, Workspace ws, float[] out) {
        double loss = forward(batch, start, end, ws);
        int rows = (end - start) * n;
        if (out == null || out.length < rows) {
            throw new IllegalArgumentException("FullModel.predict: out needs " + rows + " floats, has " + (out == null ? "null" : out.length));
        }
        float[] logits = ws.saved("logits");
        for (int r = 0; r < rows; r++) out[r] = (float) Math.exp(logits[r * v + 1] - logSumExp(logits, r * v));
        return loss;
    }

    private void checkRange(MarkovBatch batch, int start, int end) {
        if (batch == null) throw new IllegalArgumentException("FullModel: batch is null");
        if (batch.states() != v) throw new IllegalArgumentException("FullModel: batch has " + batch.states() + " states, model has vocab " + v);
        if (batch.seqLen() != n) throw new IllegalArgumentException("FullModel: batch has N=" + batch.seqLen() + ", model has N=" + n);
        if (start < 0 || end > batch.size() || start >= end) {
            throw new IllegalArgumentException("FullModel: range [" + start + ", " + end + ") is empty or outside the batch of " + batch.size());
        }
    }
}
