package dev.onelayer.model.scb;

/**
 * The general one-layer linear transformer on SCB inputs, to show it reduces to
 * {@code y_hat = V X A e_k} (scb.md 2 [R]). Embeddings are one-hot token and one-hot position
 * concatenated, {@code z_t = [e_{x_t}; e_t] in R^d}, {@code d = N + T + 1}, with the query token k at
 * position T (0-based). With merged key-query {@code W_KQ} (d x d) and projection-value
 * {@code W_PV} (N x d), linear attention read out at the query is
 * <pre>
 *   y = W_PV sum_{t &lt; T} z_t (z_t^T W_KQ z_T)      (the query does not attend to itself)
 * </pre>
 * so the score of position t is {@code W_KQ[x_t][k] + W_KQ[x_t][N+T] + W_KQ[N+t][k] + W_KQ[N+t][N+T]}
 * and its value {@code W_PV[:, x_t] + W_PV[:, N+t]}. Keeping only the position-to-token block
 * {@code W_KQ[N+t][k] = A[t][k]} and the token block {@code W_PV[:, j] = V[:, j]} gives exactly the reduced
 * model; every other block only adds terms the SCB target does not need. Dense float64 reference
 * code (O(B T d) per batch), not a training path.
 */
public final class GeneralLinearTransformer {

    public final int vocab, seqLen, dim;
    /** W_KQ [d][d] and W_PV [N][d], row-major. */
    public final double[] wKQ, wPV;

    public GeneralLinearTransformer(int vocab, int seqLen) {
        if (vocab < 1 || seqLen < 1) throw new IllegalArgumentException("GeneralLinearTransformer: N=" + vocab + ", T=" + seqLen);
        this.vocab = vocab;
        this.seqLen = seqLen;
        dim = vocab + seqLen + 1;
        wKQ = new double[dim * dim];
        wPV = new double[vocab * dim];
    }

    /** The embedding of the reduced (V, A): W_KQ[N+t][k] = A[t][k], W_PV[:, j] = V[:, j], all else 0. */
    public static GeneralLinearTransformer fromReduced(ScbModel m) {
        GeneralLinearTransformer g = new GeneralLinearTransformer(m.vocab, m.seqLen);
        int n = m.vocab, d = g.dim;
        for (int t = 0; t < m.seqLen; t++) for (int k = 0; k < n; k++) g.wKQ[(n + t) * d + k] = m.a(t, k);
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) g.wPV[i * d + j] = m.v[i * n + j];
        return g;
    }

    private double score(int token, int pos, int query) {
        int n = vocab, d = dim, qPos = n + seqLen;
        return wKQ[token * d + query] + wKQ[token * d + qPos] + wKQ[(n + pos) * d + query] + wKQ[(n + pos) * d + qPos];
    }

    /** {@code u = sum_t z_t s_t} (length d) for example e. */
    private double[] attended(ScbBatch b, int e) {
        double[] u = new double[dim];
        int k = b.queries[e];
        for (int t = 0; t < seqLen; t++) {
            int x = b.tokens[e * seqLen + t];
            double s = score(x, t, k);
            u[x] += s;
            u[vocab + t] += s;
        }
        return u;
    }

    /** Predictions [B][N]. */
    public double[] forward(ScbBatch b) {
        check(b);
        double[] y = new double[b.batch * vocab];
        for (int e = 0; e < b.batch; e++) {
            double[] u = attended(b, e);
            for (int i = 0; i < vocab; i++) {
                double acc = 0;
                for (int c = 0; c < dim; c++) acc += wPV[i * dim + c] * u[c];
                y[e * vocab + i] = acc;
            }
        }
        return y;
    }

    /**
     * Gradients of the mean batch loss {@code 1/B sum 1/2 |e_{x_o} - y|^2}:
     * {@code dW_PV = 1/B sum dy u^T}, {@code dW_KQ = 1/B sum_b sum_t (W_PV^T dy . z_t) z_t z_T^T}.
     */
    public void gradient(ScbBatch b, double[] gKQ, double[] gPV) {
        check(b);
        java.util.Arrays.fill(gKQ, 0);
        java.util.Arrays.fill(gPV, 0);
        double[] y = forward(b);
        int n = vocab, d = dim, qPos = n + seqLen;
        for (int e = 0; e < b.batch; e++) {
            double[] u = attended(b, e), dy = new double[n], g = new double[d];
            for (int i = 0; i < n; i++) dy[i] = (y[e * n + i] - (i == b.targets[e] ? 1 : 0)) / b.batch;
            for (int i = 0; i < n; i++) for (int c = 0; c < d; c++) gPV[i * d + c] += dy[i] * u[c];
            for (int c = 0; c < d; c++) for (int i = 0; i < n; i++) g[c] += wPV[i * d + c] * dy[i];
            int k = b.queries[e];
            for (int t = 0; t < seqLen; t++) {
                int x = b.tokens[e * seqLen + t];
                double ds = g[x] + g[n + t]; // d loss / d score_t
                gKQ[x * d + k] += ds;
                gKQ[x * d + qPos] += ds;
                gKQ[(n + t) * d + k] += ds;
                gKQ[(n + t) * d + qPos] += ds;
            }
        }
    }

    private void check(ScbBatch b) {
        if (b == null || b.seqLen != seqLen) throw new IllegalArgumentException("GeneralLinearTransformer: batch T does not match T=" + seqLen);
    }
}
