package dev.onelayer.model.optim;

import dev.onelayer.model.core.Param;
import dev.onelayer.model.core.Params;

import java.util.Arrays;

/**
 * Euclidean projections of the columns of a row-major matrix, for projected gradient descent on
 * column-stochastic parameters (the SCB paper keeps V and A's columns on the simplex).
 */
public final class Projections {

    private Projections() {
    }

    /**
     * Projects every column of the rows x cols matrix at {@code a[off]} (leading dimension cols)
     * onto the probability simplex {@code {x ≥ 0, Σx = 1}}, by the sort-and-threshold algorithm of
     * Duchi et al. 2008 (Fig. 1): with u sorted descending, ρ = max{j : u_j − (Σ_{r≤j} u_r − 1)/j > 0},
     * τ = (Σ_{r≤ρ} u_r − 1)/ρ, x = max(v − τ, 0). {@code scratch} needs {@code rows} doubles.
     */
    public static void simplexColumns(float[] a, int off, int rows, int cols, double[] scratch) {
        checkMatrix("simplexColumns", a, off, rows, cols);
        if (scratch == null || scratch.length < rows) throw new IllegalArgumentException("simplexColumns: scratch needs " + rows + " doubles");
        for (int c = 0; c < cols; c++) {
            for (int r = 0; r < rows; r++) {
                float v = a[off + r * cols + c];
                if (!Float.isFinite(v)) throw new IllegalArgumentException("simplexColumns: entry (" + r + ", " + c + ") is " + v);
                scratch[r] = v;
            }
            Arrays.sort(scratch, 0, rows); // ascending; walk it from the top
            double cum = 0, tau = 0;
            for (int j = 1; j <= rows; j++) {
                double u = scratch[rows - j];
                cum += u;
                double t = (cum - 1) / j;
                if (u - t > 0) tau = t;
            }
            for (int r = 0; r < rows; r++) {
                int i = off + r * cols + c;
                a[i] = (float) Math.max(a[i] - tau, 0);
            }
        }
    }

    /**
     * Projects every column onto the affine set {@code {x : Σx = 1}}: {@code x ← x − (Σx − 1)/rows}
     * (the orthogonal projection, since the set's normal is the all-ones vector).
     */
    public static void affineColumns(float[] a, int off, int rows, int cols) {
        checkMatrix("affineColumns", a, off, rows, cols);
        for (int c = 0; c < cols; c++) {
            double s = 0;
            for (int r = 0; r < rows; r++) s += a[off + r * cols + c];
            double shift = (s - 1) / rows;
            for (int r = 0; r < rows; r++) a[off + r * cols + c] = (float) (a[off + r * cols + c] - shift);
        }
    }

    /** Trainer constraint: keep every column of the 2-D parameter {@code name} on the simplex. */
    public static Constraint simplex(String name) {
        return new Constraint() {
            private double[] scratch = new double[0];

            @Override
            public void apply(Params params, double lr) {
                Param p = params.get(name);
                if (scratch.length < p.rows()) scratch = new double[p.rows()];
                simplexColumns(params.values(), p.offset(), p.rows(), p.cols(), scratch);
            }
        };
    }

    /** Trainer constraint: keep every column of the 2-D parameter {@code name} summing to 1. */
    public static Constraint affine(String name) {
        return (params, lr) -> {
            Param p = params.get(name);
            affineColumns(params.values(), p.offset(), p.rows(), p.cols());
        };
    }

    private static void checkMatrix(String what, float[] a, int off, int rows, int cols) {
        if (a == null) throw new IllegalArgumentException(what + ": matrix is null");
        if (rows < 1 || cols < 1) throw new IllegalArgumentException(what + ": matrix is " + rows + "x" + cols + "; needs positive dimensions");
        if (off < 0 || (long) off + (long) rows * cols > a.length) {
            throw new IllegalArgumentException(what + ": " + rows + "x" + cols + " matrix at offset " + off + " does not fit an array of " + a.length);
        }
    }
}
