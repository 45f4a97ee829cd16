package dev.onelayer.model.scb;

/**
 * A one-layer softmax transformer on SCB for the paper's comparison (scb.md 2 [C] "similar attention
 * patterns, value matrices and final loss"), in the same reduced form as the linear model: one-hot
 * token and position embeddings, the query scores position t by a table entry {@code W[t][k]}, and
 * <pre>
 *   alpha = softmax_t(W[., k]),   z = V X alpha  (logits, N),   loss = CE(z, x_o) = -z_o + logsumexp(z)
 * </pre>
 * with V (N x N) a logit table. Its learned attention {@code softmax(W e_k)} is compared with A*, and
 * the prediction read from a single token j, {@code softmax(V e_j)}, with P's column j. Plain float64
 * Java (small dense model; not a kernel path).
 */
public final class SoftmaxScbModel {

    public final int vocab, seqLen;
    /** V [N][N] (logits) and W [T][N] (scores), row-major. */
    public final double[] v, w;

    public SoftmaxScbModel(int vocab, int seqLen) {
        if (vocab < 1 || seqLen < 1) throw new IllegalArgumentException("SoftmaxScbModel: N=" + vocab + ", T=" + seqLen);
        this.vocab = vocab;
        this.seqLen = seqLen;
        v = new double[vocab * vocab];
        w = new double[seqLen * vocab];
    }

    /** Attention of query k over positions, softmax of W's column k (length T). */
    public double[] attention(int k) {
        double max = Double.NEGATIVE_INFINITY;
        for (int t = 0; t < seqLen; t++) max = Math.max(max, w[t * vocab + k]);
        double[] a = new double[seqLen];
        double s = 0;
        for (int t = 0; t < seqLen; t++) {
            a[t] = Math.exp(w[t * vocab + k] - max);
            s += a[t];
        }
        for (int t = 0; t < seqLen; t++) a[t] /= s;
        return a;
    }

    /** The attention map, T x N (column k = softmax(W e_k)), comparable with A*. */
    public double[] attentionMap() {
        double[] m = new double[seqLen * vocab];
        for (int k = 0; k < vocab; k++) {
            double[] a = attention(k);
            for (int t = 0; t < seqLen; t++) m[t * vocab + k] = a[t];
        }
        return m;
    }

    /** The value map, N x N (column j = softmax(V e_j), the prediction read from token j), comparable with P. */
    public double[] valueMap() {
        double[] m = new double[vocab * vocab];
        for (int j = 0; j < vocab; j++) {
            double max = Double.NEGATIVE_INFINITY, s = 0;
            for (int i = 0; i < vocab; i++) max = Math.max(max, v[i * vocab + j]);
            for (int i = 0; i < vocab; i++) s += Math.exp(v[i * vocab + j] - max);
            for (int i = 0; i < vocab; i++) m[i * vocab + j] = Math.exp(v[i * vocab + j] - max) / s;
        }
        return m;
    }

    /**
     * Mean cross-entropy of the batch; when gV, gW are non-null, writes its gradients:
     * {@code dz = softmax(z) - e_o}, {@code dV = dz h^T} with {@code h = X alpha},
     * {@code d alpha_t = (V^T dz)[x_t]}, {@code dW[t][k] = alpha_t (d alpha_t - alpha . d alpha)}.
     */
    public double loss(ScbBatch b, double[] gV, double[] gW) {
        if (b == null || b.seqLen != seqLen) throw new IllegalArgumentException("SoftmaxScbModel: batch T does not match T=" + seqLen);
        boolean grad = gV != null;
        if (grad) {
            if (gV.length < v.length || gW == null || gW.length < w.length) throw new IllegalArgumentException("SoftmaxScbModel: gradient buffers too small");
            java.util.Arrays.fill(gV, 0);
            java.util.Arrays.fill(gW, 0);
        }
        int n = vocab;
        double total = 0;
        double[] h = new double[n], z = new double[n], dz = new double[n], g = new double[n];
        for (int e = 0; e < b.batch; e++) {
            int k = b.queries[e], off = e * seqLen;
            double[] alpha = attention(k);
            java.util.Arrays.fill(h, 0);
            for (int t = 0; t < seqLen; t++) h[b.tokens[off + t]] += alpha[t];
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                double acc = 0;
                for (int j = 0; j < n; j++) acc += v[i * n + j] * h[j];
                z[i] = acc;
                max = Math.max(max, acc);
            }
            double s = 0;
            for (int i = 0; i < n; i++) s += Math.exp(z[i] - max);
            double lse = max + Math.log(s);
            total += lse - z[b.targets[e]];
            if (!grad) continue;
            for (int i = 0; i < n; i++) dz[i] = (Math.exp(z[i] - lse) - (i == b.targets[e] ? 1 : 0)) / b.batch;
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) gV[i * n + j] += dz[i] * h[j];
            java.util.Arrays.fill(g, 0);
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) g[j] += v[i * n + j] * dz[i];
            double mean = 0;
            for (int t = 0; t < seqLen; t++) mean += alpha[t] * g[b.tokens[off + t]];
            for (int t = 0; t < seqLen; t++) gW[t * n + k] += alpha[t] * (g[b.tokens[off + t]] - mean);
        }
        return total / b.batch;
    }
}
