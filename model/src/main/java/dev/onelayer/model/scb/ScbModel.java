package dev.onelayer.model.scb;

import dev.onelayer.kernel.Attention;
import dev.onelayer.kernel.ScbReadoutSpec;

import java.util.Arrays;

/**
 * The reduced one-layer linear transformer of scb.md 2: {@code y_hat = V X A e_k} with V (N x N,
 * row-major; column j is the prediction read from token j) and A (T x N; column k is the attention
 * of query token k over positions). A is stored transposed, {@code aT} [N][T] with
 * {@code aT[k*T + t] = A[t][k]}: example b reads column q_b of A, which is then a contiguous row, so
 * the kernel's form-5 gathers (from token indices instead of forming the one-hot X) take A^T and
 * return dA^T directly, without a transpose each way per step; and the optimisers' per-column
 * proximal step and simplex projection walk contiguous memory. {@link #a(int, int)} and
 * {@link #attention()} give A in the paper's orientation.
 *
 * <p>The batch loss is the mean squared loss {@code 1/B sum_b 1/2 |e_{x_o,b} - y_hat_b|^2}; its
 * gradients are {@code G_V = 1/B sum_b (y_hat_b - e_b) h_b^T} with {@code h_b = X_b A e_{k_b}}
 * and {@code G_A[t][k_b] += 1/B (V^T (y_hat_b - e_b))[x_{b,t}]} (returned transposed, like A).
 */
public final class ScbModel {

    public final int vocab, seqLen;
    /**
     * The parameters, updated in place by the optimisers: V [N][N] row-major and A^T [N][T]
     * row-major ({@code aT[k*T + t] = A[t][k]}, row k = column k of A).
     */
    public final float[] v, aT;

    private ScbReadoutSpec spec;
    private float[] y, dy, hidden, ws;

    public ScbModel(int vocab, int seqLen) {
        if (vocab < 1 || seqLen < 1) throw new IllegalArgumentException("ScbModel: N=" + vocab + " and T=" + seqLen + " must be positive");
        this.vocab = vocab;
        this.seqLen = seqLen;
        v = new float[vocab * vocab];
        aT = new float[vocab * seqLen];
    }

    /** {@code A[t][k]}, the attention of query token k on position t. */
    public float a(int t, int k) {
        return aT[k * seqLen + t];
    }

    /** A copy of A as [T][N], row-major (the layout of {@code ScbTask.attention()} and of the reports). */
    public float[] attention() {
        float[] a = new float[seqLen * vocab];
        for (int k = 0; k < vocab; k++) for (int t = 0; t < seqLen; t++) a[t * vocab + k] = aT[k * seqLen + t];
        return a;
    }

    /** The uninformative start of the notes: {@code V = 1 1^T / N}, {@code A = 1 1^T / T}. */
    public ScbModel uniform() {
        Arrays.fill(v, 1f / vocab);
        Arrays.fill(aT, 1f / seqLen);
        return this;
    }

    private void ensure(int batch) {
        if (spec == null || spec.batch() != batch) {
            spec = new ScbReadoutSpec(batch, seqLen, vocab);
            y = new float[batch * vocab];
            dy = new float[batch * vocab];
            hidden = new float[spec.hiddenFloats()];
            ws = new float[spec.workspaceFloats()];
        }
    }

    private void check(ScbBatch b) {
        if (b == null) throw new IllegalArgumentException("ScbModel: batch is null");
        if (b.seqLen != seqLen) throw new IllegalArgumentException("ScbModel: batch T=" + b.seqLen + " but model T=" + seqLen);
        // the loss indexes y_b by the target (tokens and queries are checked by the kernels)
        ScbBatch.checkTargets("ScbModel", b, vocab);
    }

    /** Predictions y_hat [B][N] (a view into an internal buffer, valid until the next call). */
    public float[] forward(ScbBatch b) {
        check(b);
        ensure(b.batch);
        // h_b = X_b A e_{k_b} (kept for the backward: a training step gathers over the B T tokens once), y_b = V h_b
        Attention.scbHiddenTransposed(spec, aT, b.tokens, b.queries, hidden);
        Attention.scbReadoutFromHidden(spec, v, hidden, y, ws);
        return y;
    }

    /** The mean batch loss, accumulated in float64. */
    public double loss(ScbBatch b) {
        float[] out = forward(b);
        // |e_o - y|^2 = sum_i y_i^2 - 2 y_o + 1, the squares summed in four fixed interleaved chains:
        // one chain of B N dependent float64 adds was latency-bound (~1 us per step at B N = 1280)
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, cross = 0;
        int n = b.batch * vocab, i = 0;
        for (; i + 3 < n; i += 4) {
            double y0 = out[i], y1 = out[i + 1], y2 = out[i + 2], y3 = out[i + 3];
            s0 += y0 * y0;
            s1 += y1 * y1;
            s2 += y2 * y2;
            s3 += y3 * y3;
        }
        for (; i < n; i++) s0 += (double) out[i] * out[i];
        for (int e = 0; e < b.batch; e++) cross += 1 - 2.0 * out[e * vocab + b.targets[e]];
        return 0.5 * ((s0 + s1) + (s2 + s3) + cross) / b.batch;
    }

    /** Writes the gradients of the mean batch loss into gV [N][N] and gAT [N][T] (G_A transposed, as {@link #aT}); returns the loss. */
    public double gradient(ScbBatch b, float[] gV, float[] gAT) {
        double loss = loss(b);
        float inv = 1f / b.batch;
        for (int e = 0; e < b.batch; e++) {
            for (int i = 0; i < vocab; i++) {
                dy[e * vocab + i] = (y[e * vocab + i] - (i == b.targets[e] ? 1f : 0f)) * inv;
            }
        }
        // The forward's hidden h_b = X_b A e_{k_b}: the B T token gather runs once per step.
        Attention.scbReadoutBackwardTransposed(spec, v, hidden, b.tokens, b.queries, dy, gV, gAT, ws);
        return loss;
    }
}
