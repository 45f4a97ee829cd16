package dev.onelayer.model.markov;

/**
 * LayerNorm with a gain and no bias over rows of width d (GPT-2 with {@code bias=False}, the
 * reference code's {@code LayerNorm(ndim, bias=False)}): {@code y = g ⊙ x̂},
 * {@code x̂ = (x − μ)/√(σ² + ε)} with the biased variance σ². Row statistics in float64. Plain
 * loops: d is 4..32 here and the cost is O(rows·d), negligible next to attention.
 */
final class LayerNorm {

    /** PyTorch's default ε. */
    static final double EPS = 1e-5;

    private LayerNorm() {
    }

    /** Writes x̂ and y = g ⊙ x̂ for {@code rows} rows of x, and 1/√(σ² + ε) per row into rstd. */
    static void forward(int rows, int d, float[] x, float[] w, int gOff, float[] xhat, float[] rstd, float[] y) {
        for (int r = 0, o = 0; r < rows; r++, o += d) {
            double mean = 0;
            for (int j = 0; j < d; j++) mean += x[o + j];
            mean /= d;
            double var = 0;
            for (int j = 0; j < d; j++) {
                double c = x[o + j] - mean;
                var += c * c;
            }
            double rs = 1 / Math.sqrt(var / d + EPS);
            rstd[r] = (float) rs;
            for (int j = 0; j < d; j++) {
                float xh = (float) ((x[o + j] - mean) * rs);
                xhat[o + j] = xh;
                y[o + j] = w[gOff + j] * xh;
            }
        }
    }

    /**
     * Backward: {@code dx += rstd·(dx̂ − mean(dx̂) − x̂·mean(dx̂ ⊙ x̂))} with {@code dx̂ = dy ⊙ g},
     * and {@code dg += Σ_rows dy ⊙ x̂} (accumulated in float64 in {@code dgAcc}, length d, which
     * the caller zeroes and adds to the gradient).
     */
    static void backward(int rows, int d, float[] dy, float[] xhat, float[] rstd, float[] w, int gOff, float[] dx, double[] dgAcc) {
        for (int r = 0, o = 0; r < rows; r++, o += d) {
            double m1 = 0, m2 = 0;
            for (int j = 0; j < d; j++) {
                double dxh = (double) dy[o + j] * w[gOff + j];
                m1 += dxh;
                m2 += dxh * xhat[o + j];
                dgAcc[j] += (double) dy[o + j] * xhat[o + j];
            }
            m1 /= d;
            m2 /= d;
            double rs = rstd[r];
            for (int j = 0; j < d; j++) {
                double dxh = (double) dy[o + j] * w[gOff + j];
                dx[o + j] += (float) (rs * (dxh - m1 - xhat[o + j] * m2));
            }
        }
    }
}
