package dev.onelayer.model.scb;

import dev.onelayer.kernel.Attention;
import dev.onelayer.kernel.Kernels;
import dev.onelayer.kernel.ScbReadoutSpec;

/**
 * The softmax transformer of {@link SoftmaxScbModel} (scb.md 2 [C], the paper's softmax-vs-linear
 * comparison) in float32 on the kernels: the same function and gradients,
 * <pre>
 *   alpha_k = softmax_t(W[., k]),   h_b = X_b alpha_{k_b},   z_b = V h_b,   loss = mean_b CE(z_b, x_o,b)
 * </pre>
 * with W kept transposed, {@code wT[k][t] = W[t][k]}, so each query's attention is a contiguous row:
 * <ul>
 *   <li>alpha = {@code Kernels.softmaxRows} of W^T (all N rows);</li>
 *   <li>h_b = {@code Attention.scbHiddenTransposed} (the form-5 gather with A^T = alpha), z_b =
 *       {@code Attention.scbReadoutFromHidden};</li>
 *   <li>{@code dz = (softmax(z) - e_o) / B}, then {@code Attention.scbReadoutBackwardTransposed} gives
 *       {@code dV = dZ^T H} and, summed over the examples with query k, {@code S_k[t] = sum_b g_b[x_bt]},
 *       {@code g_b = V^T dz_b} (the linear readout's dA^T);</li>
 *   <li>{@code dW^T[k][t] = alpha_k[t] (S_k[t] - alpha_k . S_k)} = {@code Kernels.softmaxRowsBackward}
 *       (for a query absent from the batch S_k = 0, so its row is 0).</li>
 * </ul>
 * {@link SoftmaxScbModel} (float64, plain loops) is the reference it is tested against; this one is
 * what experiment 4 trains (with {@link FloatSoftmaxAdam}) and what the step benchmark measures.
 *
 * <p>Keeps scratch buffers: one model is not for concurrent use.
 */
public final class FloatSoftmaxScbModel {

    public final int vocab, seqLen;
    /** V [N][N] (logits) and W^T [N][T] (row k: the scores of query k over positions), row-major. */
    public final float[] v, wT;

    private final float[] alphas, sums;
    private ScbReadoutSpec spec;
    private float[] hidden, z, dz, ws;

    public FloatSoftmaxScbModel(int vocab, int seqLen) {
        if (vocab < 1 || seqLen < 1) throw new IllegalArgumentException("FloatSoftmaxScbModel: N=" + vocab + ", T=" + seqLen);
        this.vocab = vocab;
        this.seqLen = seqLen;
        v = new float[vocab * vocab];
        wT = new float[vocab * seqLen];
        alphas = new float[vocab * seqLen];
        sums = new float[vocab * seqLen];
    }

    private void ensure(ScbBatch b) {
        if (b == null || b.seqLen != seqLen) throw new IllegalArgumentException("FloatSoftmaxScbModel: batch T does not match T=" + seqLen);
        // the loss indexes the softmax rows by the target (tokens and queries are checked by the kernels)
        ScbBatch.checkTargets("FloatSoftmaxScbModel", b, vocab);
        if (spec == null || spec.batch() != b.batch) {
            spec = new ScbReadoutSpec(b.batch, seqLen, vocab);
            hidden = new float[spec.hiddenFloats()];
            z = new float[b.batch * vocab];
            dz = new float[b.batch * vocab];
            ws = new float[spec.workspaceFloats()];
        }
    }

    /** The logits z_b = V X_b alpha_{k_b} of every example into {@code z} [B][N]. */
    private void logits(ScbBatch b) {
        ensure(b);
        Kernels.softmaxRows(vocab, seqLen, wT, 0, seqLen, alphas, 0, seqLen);
        Attention.scbHiddenTransposed(spec, alphas, b.tokens, b.queries, hidden);
        Attention.scbReadoutFromHidden(spec, v, hidden, z, ws);
    }

    /**
     * Mean cross-entropy of the batch (accumulated in float64); when gV and gWT are non-null, also
     * writes its gradients, gV [N][N] and gWT [N][T] (the gradient of W^T).
     */
    public double loss(ScbBatch b, float[] gV, float[] gWT) {
        boolean grad = gV != null;
        if (grad && (gV.length < v.length || gWT == null || gWT.length < wT.length)) {
            throw new IllegalArgumentException("FloatSoftmaxScbModel: gradient buffers too small");
        }
        logits(b);
        int n = vocab, batch = b.batch;
        // One row softmax of the logits serves both the loss, -log p_o, and the gradient, p - e_o.
        // (A log-softmax pass for the loss cost more than the rest of the B x N work: rows of N = 20
        // are short for the row kernels.) -log p_o is within a few float ulps of lse - z_o relative
        // to 1 (p_o carries a few roundings); where p_o underflowed, the row is redone in float64.
        Kernels.softmaxRows(batch, n, z, 0, n, dz, 0, n);
        double total = 0;
        for (int e = 0; e < batch; e++) {
            float p = dz[e * n + b.targets[e]];
            total += p >= 0x1p-100f ? -Math.log(p) : crossEntropy64(z, e * n, n, b.targets[e]);
        }
        if (!grad) return total / batch;
        // dz = (softmax(z) - e_o) / B
        for (int e = 0; e < batch; e++) dz[e * n + b.targets[e]] -= 1f;
        Kernels.scale(batch * n, 1f / batch, dz, 0);
        Attention.scbReadoutBackwardTransposed(spec, v, hidden, b.tokens, b.queries, dz, gV, sums, ws);
        Kernels.softmaxRowsBackward(n, seqLen, alphas, 0, seqLen, sums, 0, seqLen, gWT, 0, seqLen);
        return total / batch;
    }

    /** {@code logsumexp(z) - z_o} of one row of n logits, in float64. */
    private static double crossEntropy64(float[] z, int off, int n, int target) {
        double max = Double.NEGATIVE_INFINITY, s = 0;
        for (int i = 0; i < n; i++) max = Math.max(max, z[off + i]);
        for (int i = 0; i < n; i++) s += Math.exp(z[off + i] - max);
        return max + Math.log(s) - z[off + target];
    }

    /** Predicted distributions softmax(z_b) [B][N] (a view into a buffer, valid until the next call). */
    public float[] predict(ScbBatch b) {
        logits(b);
        Kernels.softmaxRows(b.batch, vocab, z, 0, vocab, dz, 0, vocab);
        return dz;
    }

    /** The attention map, T x N (column k = softmax(W e_k)), in float64 from the float parameters. */
    public double[] attentionMap() {
        SoftmaxScbModel ref = toReference();
        return ref.attentionMap();
    }

    /** The value map, N x N (column j = softmax(V e_j)), in float64 from the float parameters. */
    public double[] valueMap() {
        return toReference().valueMap();
    }

    /** The float64 model with these parameters (W transposed back to [T][N]). */
    public SoftmaxScbModel toReference() {
        SoftmaxScbModel ref = new SoftmaxScbModel(vocab, seqLen);
        for (int i = 0; i < v.length; i++) ref.v[i] = v[i];
        for (int k = 0; k < vocab; k++) {
            for (int t = 0; t < seqLen; t++) ref.w[t * vocab + k] = wT[k * seqLen + t];
        }
        return ref;
    }
}
