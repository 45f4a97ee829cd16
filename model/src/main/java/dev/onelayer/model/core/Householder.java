package dev.onelayer.model.core;

/** Float64 Householder QR, used for Haar-orthogonal sampling. */
final class Householder {

    private Householder() {
    }

    /**
     * Returns Q·diag(sign(R_jj)) for the QR factorisation A = QR of the row-major n x n matrix
     * {@code a} (overwritten). With a Gaussian A the result is Haar distributed.
     */
    static double[] orthogonalFactorSignFixed(double[] a, int n) {
        double[][] vs = new double[n][];
        double[] rDiag = new double[n];
        for (int k = 0; k < n; k++) {
            double norm = 0;
            for (int i = k; i < n; i++) norm = Math.hypot(norm, a[i * n + k]);
            double akk = a[k * n + k];
            double alpha = akk >= 0 ? -norm : norm; // reflect away from a_kk to avoid cancellation
            double[] v = new double[n - k];
            for (int i = k; i < n; i++) v[i - k] = a[i * n + k];
            v[0] -= alpha;
            double vn2 = 0;
            for (double x : v) vn2 += x * x;
            if (vn2 > 0) {
                for (int j = k; j < n; j++) { // A <- (I - 2 v v^T / v^T v) A
                    double s = 0;
                    for (int i = k; i < n; i++) s += v[i - k] * a[i * n + j];
                    s = 2 * s / vn2;
                    for (int i = k; i < n; i++) a[i * n + j] -= s * v[i - k];
                }
            }
            vs[k] = vn2 > 0 ? v : null;
            rDiag[k] = a[k * n + k];
        }
        // Q = H_0 H_1 ... H_{n-1} I, accumulated backwards.
        double[] q = new double[n * n];
        for (int i = 0; i < n; i++) q[i * n + i] = 1;
        for (int k = n - 1; k >= 0; k--) {
            double[] v = vs[k];
            if (v == null) continue;
            double vn2 = 0;
            for (double x : v) vn2 += x * x;
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int i = k; i < n; i++) s += v[i - k] * q[i * n + j];
                s = 2 * s / vn2;
                for (int i = k; i < n; i++) q[i * n + j] -= s * v[i - k];
            }
        }
        for (int j = 0; j < n; j++) {
            if (rDiag[j] < 0) for (int i = 0; i < n; i++) q[i * n + j] = -q[i * n + j];
        }
        return q;
    }
}
