package dev.onelayer.model.scb;

import dev.onelayer.model.core.Rng;

/** Draws A* (T x N, row-major): for every query token k a probability vector q^(k) over T positions with at most Q non-zeros. */
@FunctionalInterface
public interface SparseAttentionGenerator {

    double[] generate(int t, int n, int q, Rng rng);

    /**
     * Support: Q distinct positions uniformly at random; weights on it ~ Dirichlet(alpha) (scb.md 1
     * leaves both open [?]; alpha = 2 gives |A*|_F about 2.4 at N = 10, Q = 2, near the notes' 2.3).
     */
    static SparseAttentionGenerator randomSupport(double alpha) {
        if (!(alpha > 0) || Double.isInfinite(alpha)) throw new IllegalArgumentException("randomSupport: alpha=" + alpha + " must be positive");
        return (t, n, q, rng) -> {
            if (q < 1 || q > t) throw new IllegalArgumentException("randomSupport: need 1 <= Q <= T (Q=" + q + ", T=" + t + ")");
            double[] a = new double[t * n];
            for (int k = 0; k < n; k++) {
                int[] perm = rng.permutation(t);
                double[] w = rng.dirichlet(q, alpha);
                for (int r = 0; r < q; r++) a[perm[r] * n + k] = w[r];
            }
            return a;
        };
    }

    /** A user-given A* (validated by {@link ScbTask}). */
    static SparseAttentionGenerator given(double[] aStar) {
        if (aStar == null) throw new IllegalArgumentException("given: A* is null");
        double[] copy = aStar.clone();
        return (t, n, q, rng) -> {
            if (copy.length != t * n) throw new IllegalArgumentException("given: A* has " + copy.length + " entries, not T*N=" + t * n);
            return copy.clone();
        };
    }
}
