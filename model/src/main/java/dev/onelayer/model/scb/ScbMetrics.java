package dev.onelayer.model.scb;

/**
 * Distances of a model (V, A) to the ground truth (P, A*).
 *
 * <p>Gauge (Validated settings 1): without constraints {@code (cV, A/c)} is the same model, so
 * before measuring, A is rescaled so its columns sum to 1 on average, {@code c = mean_k 1^T a_k},
 * and V is multiplied by c. For simplex-constrained models c = 1 and nothing changes.
 */
public final class ScbMetrics {

    private ScbMetrics() {
    }

    /** The gauge c = mean_k 1^T a_k. */
    public static double gauge(ScbModel m) {
        // summed in A's row order (position-major), the order of the reports so far
        double s = 0;
        for (int p = 0; p < m.seqLen; p++) for (int k = 0; k < m.vocab; k++) s += m.a(p, k);
        return s / m.vocab;
    }

    /** {@code |c V - P|_F}. */
    public static double distanceV(ScbTask task, ScbModel m) {
        double c = gauge(m), acc = 0;
        int n = task.vocab();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double d = c * m.v[i * n + j] - task.p(i, j);
                acc += d * d;
            }
        }
        return Math.sqrt(acc);
    }

    /** {@code |A / c - A*|_F}. */
    public static double distanceA(ScbTask task, ScbModel m) {
        double c = gauge(m), acc = 0;
        int n = task.vocab();
        for (int p = 0; p < task.seqLen(); p++) {
            for (int k = 0; k < n; k++) {
                double d = m.a(p, k) / c - task.aStar(p, k);
                acc += d * d;
            }
        }
        return Math.sqrt(acc);
    }

    /**
     * corr(V, P): the cosine between {@code cV - mu 1^T} and {@code P - mu 1^T}, i.e. after removing
     * the trivial direction every column-stochastic matrix shares (scb.md 3 "(centering)").
     */
    public static double correlation(ScbTask task, double[] v, double c) {
        int n = task.vocab();
        double dot = 0, vv = 0, pp = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double x = c * v[i * n + j] - task.mu(i), y = task.p(i, j) - task.mu(i);
                dot += x * y;
                vv += x * x;
                pp += y * y;
            }
        }
        return vv > 0 && pp > 0 ? dot / Math.sqrt(vv * pp) : 0;
    }

    public static double correlation(ScbTask task, ScbModel m) {
        double[] v = new double[m.v.length];
        for (int i = 0; i < v.length; i++) v[i] = m.v[i];
        return correlation(task, v, gauge(m));
    }

    /**
     * Number of query tokens k whose {@code q} largest entries of column k of {@code map} (T x N,
     * row-major) all lie in the support of q^(k): "the attention found the right positions".
     */
    public static int supportMatches(ScbTask task, double[] map) {
        int n = task.vocab(), t = task.seqLen(), q = task.sparsity();
        if (map == null || map.length < t * n) throw new IllegalArgumentException("supportMatches: map needs T*N=" + t * n + " entries");
        int ok = 0;
        boolean[] taken = new boolean[t];
        for (int k = 0; k < n; k++) {
            java.util.Arrays.fill(taken, false);
            boolean good = true;
            for (int r = 0; r < q; r++) {
                int best = -1;
                for (int p = 0; p < t; p++) if (!taken[p] && (best < 0 || map[p * n + k] > map[best * n + k])) best = p;
                taken[best] = true;
                good &= task.aStar(best, k) > 0;
            }
            if (good) ok++;
        }
        return ok;
    }
}
