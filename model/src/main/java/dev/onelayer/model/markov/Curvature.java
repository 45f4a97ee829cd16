package dev.onelayer.model.markov;

import dev.onelayer.model.core.Param;

/**
 * The curvature quantity the reference code logs as {@code eig} (markov.md section 3): the
 * smallest eigenvalue of {@code 2(p+q−1)·I_d + Cov(p_n)}, where
 * {@code Cov(p_n) = (1/N) Σ_n (p_n − p̄)(p_n − p̄)ᵀ} is the covariance of the positional
 * embeddings. Up to a positive factor it is the curvature of the tied loss in e at θ_π; it is
 * positive definite whenever p + q &gt; 1, which makes θ_π a local minimum there.
 */
public final class Curvature {

    private Curvature() {
    }

    /** {@code λ_min(2(p+q−1) I + Cov(pos))} for positional embeddings {@code pos} of shape [N][d]. */
    public static double lambdaMin(double p, double q, Param pos) {
        if (pos == null || pos.rank() != 2) throw new IllegalArgumentException("Curvature.lambdaMin: need positional embeddings of shape [N][d]");
        int n = pos.rows(), d = pos.cols();
        double[] mean = new double[d];
        for (int t = 0; t < n; t++) for (int j = 0; j < d; j++) mean[j] += pos.get(t, j);
        for (int j = 0; j < d; j++) mean[j] /= n;
        double[][] m = new double[d][d];
        for (int t = 0; t < n; t++) {
            for (int i = 0; i < d; i++) {
                double ci = pos.get(t, i) - mean[i];
                for (int j = 0; j < d; j++) m[i][j] += ci * (pos.get(t, j) - mean[j]) / n;
            }
        }
        for (int i = 0; i < d; i++) m[i][i] += 2 * (p + q - 1);
        double[] ev = symmetricEigenvalues(m);
        double min = Double.POSITIVE_INFINITY;
        for (double v : ev) min = Math.min(min, v);
        return min;
    }

    /**
     * Eigenvalues of a symmetric matrix by cyclic Jacobi rotations in float64 (the matrices here are
     * d×d with small d; Jacobi is accurate to a few ulps of the norm). {@code a} is overwritten.
     */
    static double[] symmetricEigenvalues(double[][] a) {
        int d = a.length;
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int i = 0; i < d; i++) for (int j = i + 1; j < d; j++) off += a[i][j] * a[i][j];
            if (off == 0 || off < 1e-30 * frobenius(a)) break;
            for (int p = 0; p < d; p++) {
                for (int q = p + 1; q < d; q++) {
                    if (a[p][q] == 0) continue;
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double c = 1 / Math.sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < d; k++) { // columns p, q
                        double akp = a[k][p], akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < d; k++) { // rows p, q
                        double apk = a[p][k], aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                }
            }
        }
        double[] ev = new double[d];
        for (int i = 0; i < d; i++) ev[i] = a[i][i];
        return ev;
    }

    private static double frobenius(double[][] a) {
        double s = 0;
        for (double[] r : a) for (double v : r) s += v * v;
        return s;
    }
}
