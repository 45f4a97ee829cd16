package dev.onelayer.props.attention;

import dev.onelayer.kernel.ScbReadoutSpec;

/**
 * Float64 reference of the SCB readout (form 5) with the one-hot matrix X materialised:
 * {@code y_b = V (X_b (A e_{q_b}))}; backward {@code dV = sum_b dy_b (X_b A e_{q_b})^T},
 * {@code dA = sum_b X_b^T V^T dy_b e_{q_b}^T}.
 */
final class ScbRef {

    final double[] y, yAbs, dV, dVAbs, dA, dAAbs;

    ScbRef(ScbReadoutSpec sp, double[] vMat, double[] aMat, int[] tokens, int[] queries, double[] dy) {
        int T = sp.seqLen(), N = sp.vocab(), B = sp.batch();
        y = new double[B * N];
        yAbs = new double[B * N];
        dV = new double[N * N];
        dVAbs = new double[N * N];
        dA = new double[T * N];
        dAAbs = new double[T * N];
        for (int bt = 0; bt < B; bt++) {
            double[][] x = new double[N][T];
            for (int t = 0; t < T; t++) x[tokens[bt * T + t]][t] = 1;
            int qk = queries[bt];
            double[] h = new double[N], hAbs = new double[N];
            for (int j = 0; j < N; j++) {
                for (int t = 0; t < T; t++) {
                    h[j] += x[j][t] * aMat[t * N + qk];
                    hAbs[j] += x[j][t] * Math.abs(aMat[t * N + qk]);
                }
            }
            for (int i = 0; i < N; i++) {
                for (int j = 0; j < N; j++) {
                    y[bt * N + i] += vMat[i * N + j] * h[j];
                    yAbs[bt * N + i] += Math.abs(vMat[i * N + j]) * hAbs[j];
                    if (dy == null) continue;
                    dV[i * N + j] += dy[bt * N + i] * h[j];
                    dVAbs[i * N + j] += Math.abs(dy[bt * N + i]) * hAbs[j];
                }
            }
            if (dy == null) continue;
            for (int t = 0; t < T; t++) {
                for (int j = 0; j < N; j++) {
                    if (x[j][t] == 0) continue;
                    for (int i = 0; i < N; i++) {
                        dA[t * N + qk] += vMat[i * N + j] * dy[bt * N + i];
                        dAAbs[t * N + qk] += Math.abs(vMat[i * N + j] * dy[bt * N + i]);
                    }
                }
            }
        }
    }

    static double loss(ScbReadoutSpec sp, double[] vMat, double[] aMat, int[] tokens, int[] queries, double[] r) {
        double[] y = new ScbRef(sp, vMat, aMat, tokens, queries, null).y;
        double sum = 0;
        for (int i = 0; i < y.length; i++) sum += y[i] * r[i];
        return sum;
    }
}
