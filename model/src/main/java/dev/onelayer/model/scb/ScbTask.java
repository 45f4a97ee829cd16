package dev.onelayer.model.scb;

import dev.onelayer.model.core.Rng;

/**
 * The Sparse Contextual Bigram task (scb.md section 1): vocabulary N, context length T, sparsity Q.
 * <ul>
 *   <li>P (N x N, row-major, {@code P[i*N + j] = Pr[x_o = i | x_s = j]}) is column-stochastic and
 *       mu is a stationary law, {@code P mu = mu}.</li>
 *   <li>The T context tokens and the query token k are i.i.d. mu ([C] "T+1 tokens drawn independently
 *       from a stationary distribution").</li>
 *   <li>A* (T x N, row-major, {@code A*[t*N + k] = q^(k)_t}) holds one Q-sparse probability vector
 *       over positions per query token.</li>
 *   <li>The target: s ~ q^(k), then x_o ~ P(. | x_s) ([R] scb.md 1), so
 *       {@code E[e_{x_o} | X, k] = P X q^(k)}.</li>
 * </ul>
 * Immutable; {@link #sample} draws a fresh batch from a caller-owned stream.
 */
public final class ScbTask {

    /** Entries below this are treated as 0 when checking stochasticity; P's columns must sum to 1 within it. */
    static final double SUM_TOL = 1e-9;

    private final int n, t, q;
    private final double[] p, mu, aStar;
    private final AliasTable muCdf;
    private final AliasTable[] pCols, qCols;

    /**
     * @param n     vocabulary N
     * @param t     context length T
     * @param q     sparsity Q (every column of aStar has at most Q non-zeros)
     * @param p     N x N column-stochastic, row-major
     * @param aStar T x N, every column a probability vector with at most Q non-zeros
     */
    public ScbTask(int n, int t, int q, double[] p, double[] aStar) {
        if (n < 2 || t < 1 || q < 1 || q > t) {
            throw new IllegalArgumentException("ScbTask: need N >= 2, T >= 1 and 1 <= Q <= T (got N=" + n + ", T=" + t + ", Q=" + q + ")");
        }
        if (p == null || p.length != n * n) throw new IllegalArgumentException("ScbTask: P must have N*N=" + n * n + " entries");
        if (aStar == null || aStar.length != t * n) throw new IllegalArgumentException("ScbTask: A* must have T*N=" + t * n + " entries");
        checkColumns("P", p, n, n, n);
        checkColumns("A*", aStar, t, n, q);
        this.n = n;
        this.t = t;
        this.q = q;
        this.p = p.clone();
        this.aStar = aStar.clone();
        this.mu = stationary(this.p, n);
        muCdf = new AliasTable(mu, 0, 1, n);
        pCols = new AliasTable[n];
        qCols = new AliasTable[n];
        for (int j = 0; j < n; j++) {
            pCols[j] = new AliasTable(this.p, j, n, n);
            qCols[j] = new AliasTable(this.aStar, j, n, t);
        }
    }

    /** A task whose P and A* come from the given generators (streams "task/P" and "task/A"). */
    public static ScbTask generate(int n, int t, int q, TransitionGenerator pGen, SparseAttentionGenerator aGen, long seed) {
        if (pGen == null || aGen == null) throw new IllegalArgumentException("ScbTask.generate: generator is null");
        return new ScbTask(n, t, q, pGen.generate(n, Rng.stream(seed, Rng.TASK + "/P")),
                aGen.generate(t, n, q, Rng.stream(seed, Rng.TASK + "/A")));
    }

    private static void checkColumns(String what, double[] m, int rows, int cols, int maxNonZeros) {
        for (int c = 0; c < cols; c++) {
            double s = 0;
            int nz = 0;
            for (int r = 0; r < rows; r++) {
                double v = m[r * cols + c];
                if (!(v >= 0) || Double.isInfinite(v)) {
                    throw new IllegalArgumentException("ScbTask: " + what + "[" + r + ", " + c + "] = " + v + " is not a probability");
                }
                s += v;
                if (v > 0) nz++;
            }
            if (Math.abs(s - 1) > SUM_TOL * rows) {
                throw new IllegalArgumentException("ScbTask: column " + c + " of " + what + " sums to " + s + ", not 1");
            }
            if (nz > maxNonZeros) {
                throw new IllegalArgumentException("ScbTask: column " + c + " of " + what + " has " + nz + " non-zeros, more than Q=" + maxNonZeros);
            }
        }
    }

    /**
     * A stationary law of the column-stochastic P: power iteration on the lazy chain (I + P)/2 from
     * the uniform law (the lazy chain has the same stationary laws and is aperiodic, so this also
     * converges for permutation-like P). Throws if it has not converged to 1e-12.
     */
    static double[] stationary(double[] p, int n) {
        double[] x = new double[n], y = new double[n];
        java.util.Arrays.fill(x, 1.0 / n);
        for (int it = 0; it < 1_000_000; it++) {
            double diff = 0, s = 0;
            for (int i = 0; i < n; i++) {
                double acc = 0;
                for (int j = 0; j < n; j++) acc += p[i * n + j] * x[j];
                y[i] = 0.5 * (x[i] + acc);
                s += y[i];
            }
            for (int i = 0; i < n; i++) {
                y[i] /= s;
                diff = Math.max(diff, Math.abs(y[i] - x[i]));
            }
            double[] tmp = x;
            x = y;
            y = tmp;
            if (diff < 1e-15) break;
        }
        double res = 0;
        for (int i = 0; i < n; i++) {
            double acc = 0;
            for (int j = 0; j < n; j++) acc += p[i * n + j] * x[j];
            res = Math.max(res, Math.abs(acc - x[i]));
        }
        if (res > 1e-12) throw new IllegalArgumentException("ScbTask: no stationary law found for P (residual " + res + ")");
        return x;
    }

    /** Fills {@code b} with fresh i.i.d. examples drawn from {@code rng}. */
    public void sample(Rng rng, ScbBatch b) {
        if (rng == null || b == null) throw new IllegalArgumentException("ScbTask.sample: rng or batch is null");
        if (b.seqLen != t) throw new IllegalArgumentException("ScbTask.sample: batch has T=" + b.seqLen + " but the task has T=" + t);
        for (int e = 0; e < b.batch; e++) {
            int off = e * t;
            for (int i = 0; i < t; i++) b.tokens[off + i] = muCdf.sample(rng);
            int k = muCdf.sample(rng);
            int s = qCols[k].sample(rng);
            b.queries[e] = k;
            b.positions[e] = s;
            b.targets[e] = pCols[b.tokens[off + s]].sample(rng);
        }
    }

    public int vocab() {
        return n;
    }

    public int seqLen() {
        return t;
    }

    public int sparsity() {
        return q;
    }

    /** A copy of P (row-major, column-stochastic). */
    public double[] transition() {
        return p.clone();
    }

    /** A copy of the stationary law mu. */
    public double[] stationary() {
        return mu.clone();
    }

    /** A copy of A* (T x N, row-major; column k is q^(k)). */
    public double[] attention() {
        return aStar.clone();
    }

    /** P[i][j] without copying. */
    public double p(int i, int j) {
        return p[i * n + j];
    }

    public double mu(int i) {
        return mu[i];
    }

    /** A*[t][k] = q^(k)_t without copying. */
    public double aStar(int pos, int k) {
        return aStar[pos * n + k];
    }

    /** The same P and A* with a different transition matrix (the downstream/pretraining pair of a transfer run). */
    public ScbTask withTransition(double[] newP) {
        return new ScbTask(n, t, q, newP, aStar);
    }
}
