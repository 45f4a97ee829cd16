package dev.onelayer.model.scb;

import dev.onelayer.model.core.Rng;

/** Draws a column-stochastic N x N transition matrix P (row-major, {@code P[i*N+j] = Pr[i | j]}). */
@FunctionalInterface
public interface TransitionGenerator {

    double[] generate(int n, Rng rng);

    /** Every column i.i.d. Dirichlet(alpha): dense P (scb.md 1 [?]; the notes' "dense Dirichlet(1) P"). */
    static TransitionGenerator dirichletColumns(double alpha) {
        if (!(alpha > 0) || Double.isInfinite(alpha)) throw new IllegalArgumentException("dirichletColumns: alpha=" + alpha + " must be positive");
        return (n, rng) -> {
            double[] p = new double[n * n];
            for (int j = 0; j < n; j++) {
                double[] c = rng.dirichlet(n, alpha);
                for (int i = 0; i < n; i++) p[i * n + j] = c[i];
            }
            return p;
        };
    }

    /**
     * "pmix" (Validated settings 1): {@code P = sum_r w_r Pi_r} over {@code perms} uniformly random
     * permutation matrices with weights w ~ Dirichlet(alpha). Doubly stochastic (so mu = 1/N) with
     * exact zeros, which is what pins the valley parameter alpha = 1 under V &gt;= 0.
     */
    static TransitionGenerator permutationMixture(int perms, double alpha) {
        if (perms < 1) throw new IllegalArgumentException("permutationMixture: perms=" + perms + " must be >= 1");
        if (!(alpha > 0) || Double.isInfinite(alpha)) throw new IllegalArgumentException("permutationMixture: alpha=" + alpha + " must be positive");
        return (n, rng) -> {
            double[] w = rng.dirichlet(perms, alpha);
            double[] p = new double[n * n];
            for (int r = 0; r < perms; r++) {
                int[] pi = rng.permutation(n);
                for (int j = 0; j < n; j++) p[pi[j] * n + j] += w[r];
            }
            return p;
        };
    }

    /** The notes' default pmix: 3 permutations, Dirichlet(2) weights. */
    static TransitionGenerator pmix() {
        return permutationMixture(3, 2.0);
    }

    /** A user-given P (validated by {@link ScbTask}). */
    static TransitionGenerator given(double[] p) {
        if (p == null) throw new IllegalArgumentException("given: P is null");
        double[] copy = p.clone();
        return (n, rng) -> {
            if (copy.length != n * n) throw new IllegalArgumentException("given: P has " + copy.length + " entries, not N*N=" + n * n);
            return copy.clone();
        };
    }
}
