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
 *
 * <p>{@link #loss} keeps scratch buffers, so one model is not for concurrent use.
 */
public final class SoftmaxScbModel {

    public final int vocab, seqLen;
    /** V [N][N] (logits) and W [T][N] (scores), row-major. */
    public final double[] v, w;

    /** Per query token k: alpha_k [N][T], the gradient sums S_k [N][T] and M_k, and whether k is in the batch. */
    private final double[] alphas, sumG, sumMean;
    private final boolean[] queried;
    private final double[] z, dz;
    /** h_b and g_b = V^T dz_b of every example, [B][N] (grown when a larger batch comes). */
    private double[] hs = new double[0], gs = new double[0];

    public SoftmaxScbModel(int vocab, int seqLen) {
        if (vocab < 1 || seqLen < 1) throw new IllegalArgumentException("SoftmaxScbModel: N=" + vocab + ", T=" + seqLen);
        this.vocab = vocab;
        this.seqLen = seqLen;
        v = new double[vocab * vocab];
        w = new double[seqLen * vocab];
        alphas = new double[vocab * seqLen];
        sumG = new double[vocab * seqLen];
        sumMean = new double[vocab];
        queried = new boolean[vocab];
        z = new double[vocab];
        dz = new double[vocab];
    }

    /** Attention of query k over positions, softmax of W's column k (length T). */
    public double[] attention(int k) {
        double[] a = new double[seqLen];
        attention(k, a, 0);
        return a;
    }

    private void attention(int k, double[] a, int off) {
        double max = Double.NEGATIVE_INFINITY;
        for (int t = 0; t < seqLen; t++) max = Math.max(max, w[t * vocab + k]);
        double s = 0;
        for (int t = 0; t < seqLen; t++) {
            a[off + t] = Math.exp(w[t * vocab + k] - max);
            s += a[off + t];
        }
        for (int t = 0; t < seqLen; t++) a[off + t] /= s;
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
     *
     * <p>The attention depends on the query token only, so it is computed once per query token of
     * the batch (not once per example), and so is the last product: summed over the examples b
     * with query k, {@code dW[t][k] = alpha_k[t] (S_k[t] - M_k)} with
     * {@code S_k[t] = sum_b g_b[x_bt]} and {@code M_k = sum_b alpha_k . d alpha_b}; and
     * {@code alpha . d alpha = sum_t alpha_t g[x_t] = h . g} costs N, not T.
     */
    public double loss(ScbBatch b, double[] gV, double[] gW) {
        if (b == null || b.seqLen != seqLen) throw new IllegalArgumentException("SoftmaxScbModel: batch T does not match T=" + seqLen);
        boolean grad = gV != null;
        if (grad) {
            if (gV.length < v.length || gW == null || gW.length < w.length) throw new IllegalArgumentException("SoftmaxScbModel: gradient buffers too small");
            java.util.Arrays.fill(gV, 0);
            java.util.Arrays.fill(gW, 0);
        }
        int n = vocab, tl = seqLen;
        java.util.Arrays.fill(queried, false);
        for (int e = 0; e < b.batch; e++) {
            int k = b.queries[e];
            if (queried[k]) continue;
            queried[k] = true;
            attention(k, alphas, k * tl);
            if (grad) {
                java.util.Arrays.fill(sumG, k * tl, (k + 1) * tl, 0);
                sumMean[k] = 0;
            }
        }
        if (hs.length < b.batch * n) {
            hs = new double[b.batch * n];
            gs = new double[b.batch * n];
        }
        // h_b = X_b alpha_{k_b}, two examples interleaved: their bins are distinct, so the two
        // scatter-adds do not wait on each other's stores (each sum still runs in position order)
        java.util.Arrays.fill(hs, 0, b.batch * n, 0);
        int e2 = 0;
        for (; e2 + 1 < b.batch; e2 += 2) {
            int off0 = e2 * tl, off1 = off0 + tl, a0 = b.queries[e2] * tl, a1 = b.queries[e2 + 1] * tl, h0 = e2 * n, h1 = h0 + n;
            for (int t = 0; t < tl; t++) {
                hs[h0 + b.tokens[off0 + t]] += alphas[a0 + t];
                hs[h1 + b.tokens[off1 + t]] += alphas[a1 + t];
            }
        }
        if (e2 < b.batch) {
            int off0 = e2 * tl, a0 = b.queries[e2] * tl, h0 = e2 * n;
            for (int t = 0; t < tl; t++) hs[h0 + b.tokens[off0 + t]] += alphas[a0 + t];
        }
        double total = 0;
        for (int e = 0; e < b.batch; e++) {
            int k = b.queries[e], ho = e * n;
            // z = V h, four rows at a time: four independent sums (each in j order) share the loads of h
            int r = 0;
            for (; r + 3 < n; r += 4) {
                double z0 = 0, z1 = 0, z2 = 0, z3 = 0;
                int v0 = r * n;
                for (int j = 0; j < n; j++) {
                    double hj = hs[ho + j];
                    z0 += v[v0 + j] * hj;
                    z1 += v[v0 + n + j] * hj;
                    z2 += v[v0 + 2 * n + j] * hj;
                    z3 += v[v0 + 3 * n + j] * hj;
                }
                z[r] = z0;
                z[r + 1] = z1;
                z[r + 2] = z2;
                z[r + 3] = z3;
            }
            for (; r < n; r++) {
                double acc = 0;
                for (int j = 0; j < n; j++) acc += v[r * n + j] * hs[ho + j];
                z[r] = acc;
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) max = Math.max(max, z[i]);
            double s = 0;
            for (int i = 0; i < n; i++) s += Math.exp(z[i] - max);
            double lse = max + Math.log(s);
            total += lse - z[b.targets[e]];
            if (!grad) continue;
            for (int i = 0; i < n; i++) dz[i] = (Math.exp(z[i] - lse) - (i == b.targets[e] ? 1 : 0)) / b.batch;
            // dV += dz h^T and g = V^T dz, as axpys over rows (one store stream per loop, which C2 vectorizes)
            for (int i = 0; i < n; i++) {
                double di = dz[i];
                int row = i * n;
                for (int j = 0; j < n; j++) gV[row + j] += di * hs[ho + j];
            }
            java.util.Arrays.fill(gs, ho, ho + n, 0);
            for (int i = 0; i < n; i++) {
                double di = dz[i];
                int row = i * n;
                for (int j = 0; j < n; j++) gs[ho + j] += v[row + j] * di;
            }
            double mean = 0;
            for (int j = 0; j < n; j++) mean += hs[ho + j] * gs[ho + j];
            sumMean[k] += mean;
        }
        if (grad) {
            // S_k[t] += g_b[x_bt], two examples interleaved; for a shared query k the adds to one
            // entry still come in batch order
            for (e2 = 0; e2 + 1 < b.batch; e2 += 2) {
                int off0 = e2 * tl, off1 = off0 + tl, a0 = b.queries[e2] * tl, a1 = b.queries[e2 + 1] * tl, g0 = e2 * n, g1 = g0 + n;
                for (int t = 0; t < tl; t++) {
                    sumG[a0 + t] += gs[g0 + b.tokens[off0 + t]];
                    sumG[a1 + t] += gs[g1 + b.tokens[off1 + t]];
                }
            }
            if (e2 < b.batch) {
                int off0 = e2 * tl, a0 = b.queries[e2] * tl, g0 = e2 * n;
                for (int t = 0; t < tl; t++) sumG[a0 + t] += gs[g0 + b.tokens[off0 + t]];
            }
        }
        if (grad) {
            for (int k = 0; k < n; k++) {
                if (!queried[k]) continue;
                int ak = k * tl;
                for (int t = 0; t < tl; t++) gW[t * n + k] = alphas[ak + t] * (sumG[ak + t] - sumMean[k]);
            }
        }
        return total / b.batch;
    }
}
