package dev.onelayer.model.scb;

import dev.onelayer.kernel.Attention;
import dev.onelayer.kernel.ScbReadoutSpec;

import java.util.Arrays;

/**
 * The reduced one-layer linear transformer of scb.md 2: {@code y_hat = V X A e_k} with V (N x N,
 * row-major; column j is the prediction read from token j) and A (T x N, row-major; column k is the
 * attention of query token k over positions). Forward and backward run through the kernel's form-5
 * readout, which gathers from token indices instead of forming the one-hot X.
 *
 * <p>The batch loss is the mean squared loss {@code 1/B sum_b 1/2 |e_{x_o,b} - y_hat_b|^2}; its
 * gradients are {@code G_V = 1/B sum_b (y_hat_b - e_b) h_b^T} with {@code h_b = X_b A e_{k_b}}
 * and {@code G_A[t][k_b] += 1/B (V^T (y_hat_b - e_b))[x_{b,t}]}.
 */
public final class ScbModel {

    public final int vocab, seqLen;
    /** V [N][N] and A [T][N], row-major: the parameters, updated in place by the optimisers. */
    public final float[] v, a;

    private ScbReadoutSpec spec;
    private float[] y, dy, hidden, ws;

    public ScbModel(int vocab, int seqLen) {
        if (vocab < 1 || seqLen < 1) throw new IllegalArgumentException("ScbModel: N=" + vocab + " and T=" + seqLen + " must be positive");
        this.vocab = vocab;
        this.seqLen = seqLen;
        v = new float[vocab * vocab];
        a = new float[seqLen * vocab];
    }

    /** The uninformative start of the notes: {@code V = 1 1^T / N}, {@code A = 1 1^T / T}. */
    public ScbModel uniform() {
        Arrays.fill(v, 1f / vocab);
        Arrays.fill(a, 1f / seqLen);
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
        Attention.scbReadout(spec, v, a, b.tokens, b.queries, y, hidden, ws);
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

    /** Writes the gradients of the mean batch loss into gV [N][N] and gA [T][N]; returns the loss. */
    public double gradient(ScbBatch b, float[] gV, float[] gA) {
        double loss = loss(b);
        float inv = 1f / b.batch;
        for (int e = 0; e < b.batch; e++) {
            for (int i = 0; i < vocab; i++) {
                dy[e * vocab + i] = (y[e * vocab + i] - (i == b.targets[e] ? 1f : 0f)) * inv;
            }
        }
        // The forward's hidden h_b = X_b A e_{k_b}: the B T token gather runs once per step.
        Attention.scbReadoutBackwardFromHidden(spec, v, hidden, b.tokens, b.queries, dy, gV, gA, ws);
        return loss;
    }
}
