package dev.onelayer.model.analysis;

import java.util.Arrays;

/**
 * Thin singular value decomposition {@code A = U·diag(σ)·Vᵀ} of an m x n matrix in float64, by
 * one-sided (Hestenes) Jacobi: plane rotations applied to the columns of A until every pair is
 * orthogonal; the column norms are then the singular values, the normalised columns U, and the
 * accumulated rotations V. Chosen over Golub–Kahan because it is short, needs no bidiagonal QR
 * step, and computes small singular values to high relative accuracy (Demmel &amp; Veselić 1992).
 *
 * <p>With k = min(m, n): U is m x k and V is n x k, both row-major with orthonormal columns;
 * σ has k entries in descending order. For m &lt; n the decomposition of Aᵀ is computed and the
 * roles of U and V swapped, so the rotations always act on the shorter dimension's count of
 * columns. Columns of U belonging to (numerically) zero singular values (rank-deficient A) are
 * completed to an orthonormal set by Gram–Schmidt against the standard basis, so U stays
 * orthonormal in every case.
 *
 * <p>Convergence: a pair (p, q) is rotated while {@code |a_p·a_q| > √m·ε·‖a_p‖·‖a_q‖} with ε the
 * unit roundoff of double (√m ε: the rounding noise of the m-term dot, as in LAPACK's dgesvj);
 * convergence is quadratic, and random 100 x 100 matrices take about
 * 16 sweeps (about 1e-14 relative reconstruction error); more than
 * {@link #MAX_SWEEPS} sweeps throws.
 */
public final class Svd {

    /** Sweeps after which the iteration is declared non-convergent (never reached in practice). */
    public static final int MAX_SWEEPS = 80;

    private static final double EPS = Math.ulp(1.0) / 2; // unit roundoff u = 2^-53

    private final int rows, cols, k;
    private final double[] u, sigma, v;
    private final int sweeps;

    private Svd(int rows, int cols, double[] u, double[] sigma, double[] v, int sweeps) {
        this.rows = rows;
        this.cols = cols;
        this.k = sigma.length;
        this.u = u;
        this.sigma = sigma;
        this.v = v;
        this.sweeps = sweeps;
    }

    /** SVD of the row-major {@code rows x cols} matrix {@code a} (not modified). */
    public static Svd of(int rows, int cols, double[] a) {
        if (rows < 1 || cols < 1) throw new IllegalArgumentException("Svd: rows=" + rows + " and cols=" + cols + " must be positive");
        if (a == null || a.length < (long) rows * cols) {
            throw new IllegalArgumentException("Svd: array of length " + (a == null ? "null" : a.length)
                    + " is shorter than rows*cols=" + (long) rows * cols);
        }
        for (int i = 0; i < rows * cols; i++) {
            if (!Double.isFinite(a[i])) throw new IllegalArgumentException("Svd: element (" + i / cols + ", " + i % cols + ") is " + a[i]);
        }
        if (rows >= cols) return jacobi(rows, cols, a, false);
        Svd t = jacobi(cols, rows, a, true);
        return new Svd(rows, cols, t.v, t.sigma, t.u, t.sweeps);
    }

    /** SVD of a float32 row-major matrix (a weight buffer), widened to double. */
    public static Svd of(int rows, int cols, float[] a, int offset) {
        if (a == null || offset < 0 || offset + (long) rows * cols > a.length) {
            throw new IllegalArgumentException("Svd: float array of length " + (a == null ? "null" : a.length)
                    + " cannot hold rows=" + rows + " x cols=" + cols + " at offset " + offset);
        }
        if (rows < 1 || cols < 1) throw new IllegalArgumentException("Svd: rows=" + rows + " and cols=" + cols + " must be positive");
        double[] d = new double[rows * cols];
        for (int i = 0; i < d.length; i++) d[i] = a[offset + i];
        return of(rows, cols, d);
    }

    /** SVD of a {@code double[rows][cols]} matrix. */
    public static Svd of(double[][] a) {
        if (a == null || a.length == 0 || a[0] == null) throw new IllegalArgumentException("Svd: matrix is null or empty");
        int m = a.length, n = a[0].length;
        double[] flat = new double[m * n];
        for (int i = 0; i < m; i++) {
            if (a[i] == null || a[i].length != n) throw new IllegalArgumentException("Svd: row " + i + " has length "
                    + (a[i] == null ? "null" : a[i].length) + ", row 0 has " + n);
            System.arraycopy(a[i], 0, flat, i * n, n);
        }
        return of(m, n, flat);
    }

    /**
     * Jacobi on an m x n matrix with m >= n. {@code transposed}: read {@code a} as the row-major
     * n x m matrix whose transpose is to be decomposed.
     */
    private static Svd jacobi(int m, int n, double[] a, boolean transposed) {
        // Columns stored contiguously: col[j][i] = A(i, j); rotations then touch two arrays.
        double[][] col = new double[n][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) col[j][i] = transposed ? a[j * m + i] : a[i * n + j];
        }
        double[][] vc = new double[n][n];
        for (int j = 0; j < n; j++) vc[j][j] = 1;

        // The computed a_p.a_q carries a rounding error of about sqrt(m) u |a_p| |a_q|
        // (probabilistic bound of an m-term dot product), so a threshold of u alone can sit below
        // the noise floor: a pair with a tiny and a large column then never tests orthogonal.
        // LAPACK's one-sided Jacobi (dgesvj) uses the same sqrt(m) u.
        double tol = Math.sqrt(m) * EPS;
        int sweep = 0;
        boolean rotated = true;
        while (rotated) {
            if (sweep == MAX_SWEEPS) throw new IllegalStateException("Svd: no convergence after " + MAX_SWEEPS + " sweeps");
            sweep++;
            rotated = false;
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    double[] ap = col[p], aq = col[q];
                    double alpha = 0, beta = 0, gamma = 0;
                    for (int i = 0; i < m; i++) {
                        alpha += ap[i] * ap[i];
                        beta += aq[i] * aq[i];
                        gamma += ap[i] * aq[i];
                    }
                    if (Math.abs(gamma) <= tol * Math.sqrt(alpha) * Math.sqrt(beta)) continue;
                    rotated = true;
                    // Rotation that zeroes the (p, q) entry of AᵀA (Golub & Van Loan, Alg. 8.5.1 / 8.6.3).
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = Math.signum(zeta) / (Math.abs(zeta) + Math.hypot(1, zeta));
                    if (zeta == 0) t = 1;
                    double c = 1 / Math.sqrt(1 + t * t), s = c * t;
                    rotate(ap, aq, c, s);
                    rotate(vc[p], vc[q], c, s);
                }
            }
        }

        double[] norm = new double[n];
        for (int j = 0; j < n; j++) norm[j] = norm2(col[j]);
        Integer[] order = new Integer[n];
        for (int j = 0; j < n; j++) order[j] = j;
        Arrays.sort(order, (x, y) -> Double.compare(norm[y], norm[x]));

        double[] sigma = new double[n];
        double[] u = new double[m * n];
        double[] v = new double[n * n];
        // Below this a column is rounding noise, not a direction: normalising it would give a
        // vector far from orthogonal to the others, so it is replaced by a completion.
        double tiny = norm[order[0]] * m * EPS * 4;
        boolean[] valid = new boolean[n];
        for (int r = 0; r < n; r++) {
            int j = order[r];
            sigma[r] = norm[j];
            for (int i = 0; i < n; i++) v[i * n + r] = vc[j][i];
            if (norm[j] > tiny && norm[j] > 0) {
                valid[r] = true;
                for (int i = 0; i < m; i++) u[i * n + r] = col[j][i] / norm[j];
            }
        }
        completeColumns(m, n, u, valid);
        return new Svd(m, n, u, sigma, v, sweep);
    }

    /** a_p' = c·a_p − s·a_q, a_q' = s·a_p + c·a_q. */
    private static void rotate(double[] ap, double[] aq, double c, double s) {
        for (int i = 0; i < ap.length; i++) {
            double x = ap[i], y = aq[i];
            ap[i] = c * x - s * y;
            aq[i] = s * x + c * y;
        }
    }

    /**
     * Fills the invalid columns of the m x n row-major U with unit vectors orthogonal to all
     * others: for each, the standard basis vector with the largest component outside the current
     * span, projected out twice ("twice is enough", Giraud et al. 2005). With j of m directions
     * still free, Σᵢ ‖P eᵢ‖² = j, so the best candidate keeps a norm of at least √(1/m).
     */
    private static void completeColumns(int m, int n, double[] u, boolean[] valid) {
        double[] w = new double[m], best = new double[m];
        for (int r = 0; r < n; r++) {
            if (valid[r]) continue;
            double bestNorm = -1;
            for (int cand = 0; cand < m; cand++) {
                Arrays.fill(w, 0);
                w[cand] = 1;
                for (int pass = 0; pass < 2; pass++) {
                    for (int c = 0; c < n; c++) {
                        if (!valid[c]) continue;
                        double d = 0;
                        for (int i = 0; i < m; i++) d += u[i * n + c] * w[i];
                        for (int i = 0; i < m; i++) w[i] -= d * u[i * n + c];
                    }
                }
                double nw = norm2(w);
                if (nw > bestNorm) {
                    bestNorm = nw;
                    System.arraycopy(w, 0, best, 0, m);
                }
            }
            if (!(bestNorm > 0)) throw new IllegalStateException("Svd: could not complete U (m=" + m + ", n=" + n + ")");
            for (int i = 0; i < m; i++) u[i * n + r] = best[i] / bestNorm;
            valid[r] = true;
        }
    }

    static double norm2(double[] x) {
        double scale = 0;
        for (double e : x) scale = Math.max(scale, Math.abs(e));
        if (scale == 0) return 0;
        double s = 0;
        for (double e : x) {
            double y = e / scale;
            s += y * y;
        }
        return scale * Math.sqrt(s);
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** min(rows, cols): the number of singular values. */
    public int size() {
        return k;
    }

    /** Jacobi sweeps used (each sweep visits all n(n−1)/2 column pairs). */
    public int sweeps() {
        return sweeps;
    }

    /** Singular values in descending order (a copy). */
    public double[] singularValues() {
        return sigma.clone();
    }

    /** U, rows x min(rows, cols), row-major, orthonormal columns (a copy). */
    public double[] u() {
        return u.clone();
    }

    /** V, cols x min(rows, cols), row-major, orthonormal columns (a copy). */
    public double[] v() {
        return v.clone();
    }

    /** The largest singular value (the spectral norm ‖A‖₂). */
    public double spectralNorm() {
        return sigma[0];
    }

    /**
     * Number of singular values above {@code relTol·σ₁}; with {@code relTol <= 0}, the LAPACK
     * default {@code max(m, n)·ε·σ₁} is used.
     */
    public int rank(double relTol) {
        double tol = relTol > 0 ? relTol * sigma[0] : Math.max(rows, cols) * Math.ulp(1.0) * sigma[0];
        int r = 0;
        while (r < k && sigma[r] > tol) r++;
        return r;
    }

    /** U·diag(σ)·Vᵀ, row-major rows x cols (for checks and low-rank truncation with {@code rank}). */
    public double[] reconstruct(int rank) {
        if (rank < 0 || rank > k) throw new IllegalArgumentException("Svd.reconstruct: rank=" + rank + " is outside [0, " + k + "]");
        double[] a = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double s = 0;
                for (int r = 0; r < rank; r++) s += u[i * k + r] * sigma[r] * v[j * k + r];
                a[i * cols + j] = s;
            }
        }
        return a;
    }
}
