package dev.onelayer.model.icar;

import dev.onelayer.model.core.Rng;
import dev.onelayer.model.train.Task;

/**
 * The in-context autoregressive process of Sander et al. 2024 (icar.md section 1):
 * {@code s_{t+1} = W s_t + sigma xi_t} with a fresh W per sequence and {@code xi_t ~ N(0, I)}
 * (sigma = 0 in every reference script).
 *
 * <p>Every W is stored as a real {@code dim x dim} matrix. The commuting kinds are all block
 * diagonal with 2x2 rotations {@code R(theta) = [[cos, -sin], [sin, cos]]}; they differ in what a
 * coordinate means:
 * <ul>
 *   <li>{@link Kind#ROTATION_BLOCKS}: real d (even), {@code W = blockdiag(R(theta_1..theta_{d/2}))},
 *       theta i.i.d. U[0, 2pi); the models work on the d real coordinates.</li>
 *   <li>{@link Kind#UNITARY_DIAGONAL}: complex d, {@code W = diag(lambda_1..lambda_d)},
 *       {@code lambda = e^{i theta}}, theta i.i.d. U[0, 2pi); stored as real pairs, so dim = 2d and
 *       the matrix is the same block-rotation one, but the models multiply complex numbers as
 *       pairs (a real model on the 2d coordinates would be the rotation case).</li>
 *   <li>{@link Kind#HAAR_ORTHOGONAL}: real d, W ~ Haar on O(d) (non-commuting, det may be -1).</li>
 *   <li>{@link Kind#SCALAR_COMPLEX}: complex d = 1, {@code lambda = exp(i theta / mu)}, theta ~ U[0, 2pi),
 *       so the angle lies in [0, 2pi / mu) (Fig 6).</li>
 * </ul>
 *
 * @param kind  the law of W
 * @param d     dimension in the task's own field (complex for the complex kinds)
 * @param len   each sequence is s_0..s_len
 * @param start the law of s_0
 * @param sigma process-noise standard deviation (>= 0)
 * @param mu    angle divisor of {@link Kind#SCALAR_COMPLEX} (ignored otherwise, must be > 0)
 */
public record ArProcess(Kind kind, int d, int len, Start start, double sigma, double mu) implements Task<SequenceBatch> {

    /** The law of W. */
    public enum Kind {
        ROTATION_BLOCKS, UNITARY_DIAGONAL, HAAR_ORTHOGONAL, SCALAR_COMPLEX;

        /** Whether coordinates are complex (stored as real pairs). */
        public boolean complex() {
            return this == UNITARY_DIAGONAL || this == SCALAR_COMPLEX;
        }
    }

    /**
     * The law of s_0. For complex kinds "one" is the complex 1, i.e. the real pair (1, 0).
     * <ul>
     *   <li>ONES: the all-ones vector (the theory's choice).</li>
     *   <li>SCALED_ONES: all-ones divided by sqrt(d) (the PyTorch experiments' choice).</li>
     *   <li>RANDOM: same norm per coordinate or block as ONES, random direction: complex kinds
     *       {@code e^{i phi}} per coordinate; rotation blocks {@code R(phi)(1, 1)} per block; Haar
     *       a uniform direction of norm sqrt(d). This removes the fixed first token the trained
     *       augmented model can exploit (icar.md, validated settings 3(c)).</li>
     * </ul>
     */
    public enum Start { ONES, SCALED_ONES, RANDOM }

    public ArProcess {
        String k = "ArProcess";
        if (kind == null || start == null) throw new IllegalArgumentException(k + ": kind and start are required");
        if (d < 1) throw new IllegalArgumentException(k + ": d=" + d + " must be positive");
        if (kind == Kind.ROTATION_BLOCKS && d % 2 != 0) throw new IllegalArgumentException(k + ": ROTATION_BLOCKS needs an even d, got " + d);
        if (kind == Kind.SCALAR_COMPLEX && d != 1) throw new IllegalArgumentException(k + ": SCALAR_COMPLEX has d = 1, got " + d);
        if (len < 1) throw new IllegalArgumentException(k + ": len=" + len + " must be at least 1");
        if (!(sigma >= 0) || Double.isInfinite(sigma)) throw new IllegalArgumentException(k + ": sigma=" + sigma + " must be finite and >= 0");
        if (!(mu > 0) || Double.isInfinite(mu)) throw new IllegalArgumentException(k + ": mu=" + mu + " must be finite and > 0");
    }

    /** Noise-free process with mu = 1. */
    public static ArProcess of(Kind kind, int d, int len, Start start) {
        return new ArProcess(kind, d, len, start, 0, 1);
    }

    /** Real width of a state: 2d for complex kinds. */
    public int dim() {
        return kind.complex() ? 2 * d : d;
    }

    @Override
    public SequenceBatch newBatch(int size) {
        return new SequenceBatch(size, len, dim());
    }

    /** Draws W (row-major, real form, dim x dim, float64) into {@code w}. */
    public void sampleW(Rng rng, double[] w) {
        int m = dim();
        if (w == null || w.length != m * m) throw new IllegalArgumentException("ArProcess.sampleW: w needs " + m * m + " doubles");
        java.util.Arrays.fill(w, 0);
        switch (kind) {
            case HAAR_ORTHOGONAL -> System.arraycopy(rng.haarOrthogonal(m), 0, w, 0, m * m);
            case SCALAR_COMPLEX -> rotation(w, m, 0, rng.uniform(0, 2 * Math.PI) / mu);
            default -> {
                for (int b = 0; b < m / 2; b++) rotation(w, m, 2 * b, rng.uniform(0, 2 * Math.PI));
            }
        }
    }

    private static void rotation(double[] w, int m, int at, double theta) {
        double c = Math.cos(theta), s = Math.sin(theta);
        w[at * m + at] = c;
        w[at * m + at + 1] = -s;
        w[(at + 1) * m + at] = s;
        w[(at + 1) * m + at + 1] = c;
    }

    /** Draws s_0 (float64, real form) into {@code s0}. */
    public void sampleStart(Rng rng, double[] s0) {
        int m = dim();
        if (s0 == null || s0.length != m) throw new IllegalArgumentException("ArProcess.sampleStart: s0 needs " + m + " doubles");
        double scale = start == Start.SCALED_ONES ? 1 / Math.sqrt(d) : 1;
        if (start != Start.RANDOM) {
            for (int i = 0; i < m; i++) s0[i] = kind.complex() && i % 2 == 1 ? 0 : scale;
            return;
        }
        switch (kind) {
            case UNITARY_DIAGONAL, SCALAR_COMPLEX -> {
                for (int i = 0; i < d; i++) {
                    double phi = rng.uniform(0, 2 * Math.PI);
                    s0[2 * i] = Math.cos(phi);
                    s0[2 * i + 1] = Math.sin(phi);
                }
            }
            case ROTATION_BLOCKS -> {
                for (int b = 0; b < d / 2; b++) {
                    double phi = rng.uniform(0, 2 * Math.PI), c = Math.cos(phi), s = Math.sin(phi);
                    s0[2 * b] = c - s;
                    s0[2 * b + 1] = s + c;
                }
            }
            case HAAR_ORTHOGONAL -> {
                double nrm = 0;
                for (int i = 0; i < m; i++) {
                    s0[i] = rng.normal();
                    nrm += s0[i] * s0[i];
                }
                double f = Math.sqrt(d / nrm);
                for (int i = 0; i < m; i++) s0[i] *= f;
            }
        }
    }

    /**
     * Fills sequence {@code i} of {@code batch} from the given W and s_0, iterating
     * {@code s_{t+1} = W s_t + sigma xi_t} in float64 and rounding each state to float.
     */
    public void fill(Rng rng, double[] w, double[] s0, SequenceBatch batch, int i) {
        int m = dim();
        if (batch.dim != m || batch.len != len) {
            throw new IllegalArgumentException("ArProcess.fill: batch holds len=" + batch.len + ", dim=" + batch.dim + "; process has len=" + len + ", dim=" + m);
        }
        double[] cur = s0.clone(), next = new double[m];
        for (int t = 0; t <= len; t++) {
            int off = batch.offset(i, t);
            for (int c = 0; c < m; c++) batch.states[off + c] = (float) cur[c];
            if (t == len) break;
            for (int r = 0; r < m; r++) {
                double acc = 0;
                for (int c = 0; c < m; c++) acc += w[r * m + c] * cur[c];
                next[r] = sigma > 0 ? acc + sigma * rng.normal() : acc;
            }
            double[] tmp = cur;
            cur = next;
            next = tmp;
        }
    }

    @Override
    public void sample(Rng rng, SequenceBatch batch) {
        int m = dim();
        double[] w = new double[m * m], s0 = new double[m];
        for (int i = 0; i < batch.n; i++) {
            sampleW(rng, w);
            sampleStart(rng, s0);
            fill(rng, w, s0, batch, i);
        }
    }
}
