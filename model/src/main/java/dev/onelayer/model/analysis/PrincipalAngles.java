package dev.onelayer.model.analysis;

/**
 * Principal angles between the column spaces of two matrices with the same number of rows
 * (Björck &amp; Golub 1973): orthonormal bases Q₁, Q₂ are taken from the left singular vectors of
 * each matrix belonging to its nonzero singular values (so rank-deficient inputs are fine), and
 * {@code cos θᵢ = σᵢ(Q₁ᵀQ₂)}. Used to compare heads' subspaces (Sander et al.: heads become
 * orthogonal) and the span of weight updates across steps.
 *
 * <p>Small angles: {@code acos} of a cosine near 1 loses half the digits (an angle below ~1e-8
 * rad reads as 0), so, following Knyazev &amp; Argentati (2002), angles whose cosine is at least
 * 1/√2 are taken from the sines instead: the singular values of {@code (I − Q₁Q₁ᵀ)Q₂}.
 */
public final class PrincipalAngles {

    private PrincipalAngles() {
    }

    /**
     * Angles in radians, ascending, between span(A) and span(B); A is {@code rows x aCols}, B is
     * {@code rows x bCols}, both row-major. There are min(rank A, rank B) angles (none when
     * either matrix is zero). Ranks use {@link Svd#rank(double)} with the default tolerance.
     */
    public static double[] between(int rows, int aCols, double[] a, int bCols, double[] b) {
        double[] q1 = basis("A", rows, aCols, a);
        double[] q2 = basis("B", rows, bCols, b);
        // Angles are symmetric in A and B; keep the larger basis first so that the sines of
        // (I − Q₁Q₁ᵀ)Q₂ are exactly the sines of the principal angles (one per column of Q₂).
        if (q1.length < q2.length) {
            double[] t = q1;
            q1 = q2;
            q2 = t;
        }
        int r1 = q1.length / rows, r2 = q2.length / rows;
        if (r2 == 0) return new double[0];
        double[] cos = cosinesOfBases(rows, r1, q1, r2, q2);
        double[] resid = q2.clone();
        for (int j = 0; j < r2; j++) {
            for (int c = 0; c < r1; c++) {
                double d = 0;
                for (int t = 0; t < rows; t++) d += q1[t * r1 + c] * q2[t * r2 + j];
                for (int t = 0; t < rows; t++) resid[t * r2 + j] -= d * q1[t * r1 + c];
            }
        }
        double[] sinDesc = Svd.of(rows, r2, resid).singularValues();
        double[] theta = new double[r2];
        for (int i = 0; i < r2; i++) {
            double c = Math.min(1, Math.max(0, cos[i]));
            double sin = Math.min(1, sinDesc[r2 - 1 - i]); // ascending sines pair with descending cosines
            theta[i] = c * c >= 0.5 ? Math.asin(sin) : Math.acos(c);
        }
        return theta;
    }

    /** The cosines of {@link #between}, descending (1 for shared directions, 0 for orthogonal). */
    public static double[] cosines(int rows, int aCols, double[] a, int bCols, double[] b) {
        double[] q1 = basis("A", rows, aCols, a);
        double[] q2 = basis("B", rows, bCols, b);
        return cosinesOfBases(rows, q1.length / rows, q1, q2.length / rows, q2);
    }

    private static double[] cosinesOfBases(int rows, int r1, double[] q1, int r2, double[] q2) {
        if (r1 == 0 || r2 == 0) return new double[0];
        double[] m = new double[r1 * r2];
        for (int i = 0; i < r1; i++) {
            for (int j = 0; j < r2; j++) {
                double s = 0;
                for (int t = 0; t < rows; t++) s += q1[t * r1 + i] * q2[t * r2 + j];
                m[i * r2 + j] = s;
            }
        }
        return Svd.of(r1, r2, m).singularValues();
    }

    /** Orthonormal basis of span(X), rows x rank, row-major. */
    static double[] basis(String name, int rows, int cols, double[] x) {
        if (rows < 1 || cols < 1) throw new IllegalArgumentException("PrincipalAngles: " + name + " is " + rows + " x " + cols + "; both must be positive");
        if (x == null || x.length != rows * cols) {
            throw new IllegalArgumentException("PrincipalAngles: " + name + " has " + (x == null ? "null" : String.valueOf(x.length))
                    + " elements, expected rows*cols=" + rows * cols);
        }
        Svd svd = Svd.of(rows, cols, x);
        int r = svd.spectralNorm() == 0 ? 0 : svd.rank(0);
        int k = svd.size();
        double[] u = svd.u();
        double[] q = new double[rows * r];
        for (int i = 0; i < rows; i++) System.arraycopy(u, i * k, q, i * r, r);
        return q;
    }
}
