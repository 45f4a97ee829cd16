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
 * Java: the reference of {@link FloatSoftmaxScbModel} (float32 on the kernels), which experiment 4
 * trains and which is tested against this one.
 *
 * <p>{@link #loss} keeps scratch buffers, so one model is not for concurrent use.
 */
public final class SoftmaxScbModel {

    public final int vocab, seqLen;
    /** V [N][N] (logits) and W [T][N] (scores), row-major. */
    public final double[] v, w;

    /** Per query token k: alpha_k [N][T], the gradient sums S_k [N][T] and M_k, and whether k is in the batch. */
    private final double[] alphas, sumG, sumMean, colMax, colSum;
    private final boolean[] queried;
    private final double[] z;
    /** h_b and g_b = V^T dz_b of every example, [B][N] (grown when a larger batch comes). */
    private double[] hs = new double[0], gs = new double[0], dzs = new double[0];

    public SoftmaxScbModel(int vocab, int seqLen) {
        if (vocab < 1 || seqLen < 1) throw new IllegalArgumentException("SoftmaxScbModel: N=" + vocab + ", T=" + seqLen);
        this.vocab = vocab;
        this.seqLen = seqLen;
        v = new double[vocab * vocab];
        w = new double[seqLen * vocab];
        alphas = new double[vocab * seqLen];
        sumG = new double[vocab * seqLen];
        sumMean = new double[vocab];
        colMax = new double[vocab];
        colSum = new double[vocab];
        queried = new boolean[vocab];
        z = new double[vocab];
    }

    /** Attention of query k over positions, softmax of W's column k (length T). */
    public double[] attention(int k) {
        double[] a = new double[seqLen];
        attention(k, a, 0);
        return a;
    }

    /**
     * {@link #attention(int)} of every queried token k into {@code alphas[k T, (k + 1) T)}, the same
     * operations in the same order, walking W by rows (a column of W has stride N).
     */
    private void queriedAttention() {
        int n = vocab, tl = seqLen;
        for (int k = 0; k < n; k++) {
            colMax[k] = Double.NEGATIVE_INFINITY;
            colSum[k] = 0;
        }
        for (int t = 0, i = 0; t < tl; t++) {
            for (int k = 0; k < n; k++, i++) {
                // not Math.max: its NaN and -0.0 cases cost branches, and a shift by -0.0 or +0.0 gives the same exp
                if (queried[k] && w[i] > colMax[k]) colMax[k] = w[i];
            }
        }
        for (int t = 0, i = 0; t < tl; t++) {
            for (int k = 0; k < n; k++, i++) {
                if (!queried[k]) continue;
                double e = Math.exp(w[i] - colMax[k]);
                alphas[k * tl + t] = e;
                colSum[k] += e;
            }
        }
        for (int k = 0; k < n; k++) {
            if (!queried[k]) continue;
            double inv = 1 / colSum[k]; // one division per column, not per entry (as attention(k))
            for (int t = 0; t < tl; t++) alphas[k * tl + t] *= inv;
        }
    }

    private void attention(int k, double[] a, int off) {
        double max = Double.NEGATIVE_INFINITY;
        for (int t = 0; t < seqLen; t++) max = Math.max(max, w[t * vocab + k]);
        double s = 0;
        for (int t = 0; t < seqLen; t++) {
            a[off + t] = Math.exp(w[t * vocab + k] - max);
            s += a[off + t];
        }
        double inv = 1 / s;
        for (int t = 0; t < seqLen; t++) a[off + t] *= inv;
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
     * {@code alpha . d alpha = sum_t alpha_t g[x_t] = h . g} costs N, not T. dV and the g_b are
     * products over the whole batch ({@code dZ^T H}, {@code dZ V}), each sum in the same order as
     * example by example.
     */
    public double loss(ScbBatch b, double[] gV, double[] gW) {
        if (b == null || b.seqLen != seqLen) throw new IllegalArgumentException("SoftmaxScbModel: batch T does not match T=" + seqLen);
        boolean grad = gV != null;
        if (grad) {
            if (gV.length < v.length || gW == null || gW.length < w.length) throw new IllegalArgumentException("SoftmaxScbModel: gradient buffers too small");
            java.util.Arrays.fill(gV, 0);
            java.util.Arrays.fill(gW, w.length, gW.length, 0); // [0, T N) is written below
        }
        int n = vocab, tl = seqLen;
        java.util.Arrays.fill(queried, false);
        for (int e = 0; e < b.batch; e++) {
            int k = b.queries[e];
            if (queried[k]) continue;
            queried[k] = true;
            if (grad) {
                java.util.Arrays.fill(sumG, k * tl, (k + 1) * tl, 0);
                sumMean[k] = 0;
            }
        }
        queriedAttention();
        if (hs.length < b.batch * n) {
            hs = new double[b.batch * n];
            gs = new double[b.batch * n];
            dzs = new double[b.batch * n];
        }
        // h_b = X_b alpha_{k_b}: a scatter-add of the attention into the token bins, in position order
        java.util.Arrays.fill(hs, 0, b.batch * n, 0);
        for (int e = 0; e < b.batch; e++) {
            int off = e * tl, ak = b.queries[e] * tl, ho = e * n;
            for (int t = 0; t < tl; t++) hs[ho + b.tokens[off + t]] += alphas[ak + t];
        }
        double total = 0;
        for (int e = 0; e < b.batch; e++) {
            int ho = e * n;
            for (int r = 0; r < n; r++) { // z = V h, each sum in j order
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
            for (int i = 0; i < n; i++) dzs[ho + i] = (Math.exp(z[i] - lse) - (i == b.targets[e] ? 1 : 0)) / b.batch;
        }
        if (grad) {
            // dV = dZ^T H and G = dZ V (g_b = V^T dz_b) for the whole batch
            transposedProduct(dzs, hs, b.batch, n, gV);
            rowsTimesMatrix(dzs, v, b.batch, n, gs);
            for (int e = 0; e < b.batch; e++) {
                double mean = 0;
                for (int j = 0, ho = e * n; j < n; j++) mean += hs[ho + j] * gs[ho + j];
                sumMean[b.queries[e]] += mean;
            }
            // S_k[t] += g_b[x_bt]; for a shared query k the adds to one entry come in batch order
            for (int e = 0; e < b.batch; e++) {
                int off = e * tl, ak = b.queries[e] * tl, go = e * n;
                for (int t = 0; t < tl; t++) sumG[ak + t] += gs[go + b.tokens[off + t]];
            }
            for (int t = 0; t < tl; t++) {
                for (int k = 0; k < n; k++) {
                    gW[t * n + k] = queried[k] ? alphas[k * tl + t] * (sumG[k * tl + t] - sumMean[k]) : 0;
                }
            }
        }
        return total / b.batch;
    }

    /** {@code out[i][j] = sum_b x[b][i] y[b][j]} (X^T Y for [B][n] inputs), each sum in b order from 0. */
    private static void transposedProduct(double[] x, double[] y, int batch, int n, double[] out) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double c = 0;
                for (int o = 0; o < batch * n; o += n) c += x[o + i] * y[o + j];
                out[i * n + j] = c;
            }
        }
    }

    /** {@code out[b][j] = sum_i m[i][j] x[b][i]} (X M for [B][n] x and n x n m), each sum in i order from 0. */
    private static void rowsTimesMatrix(double[] x, double[] m, int batch, int n, double[] out) {
        for (int o = 0; o < batch * n; o += n) {
            for (int j = 0; j < n; j++) {
                double c = 0;
                for (int i = 0; i < n; i++) c += m[i * n + j] * x[o + i];
                out[o + j] = c;
            }
        }
    }
}
