package dev.onelayer.model.icar;

/**
 * The population loss of the {@link DiagonalAttentionModel} under the commuting unitary process
 * with s_0 = all-ones (icar.md section 2(b), derived in the notes and checked there by Monte-Carlo):
 * <pre>
 *   l_r = (||p_r||^2 - p_{r,r}^2) ||C||_F^2 + p_{r,r}^2 ||C 1||^2 - 2 p_{r,r+1} tr C + d,
 *   p_r = P[r, 0..r+1],  r = 0..T-2,
 * </pre>
 * with {@code C = B^T A}. The minimum over p_r for a given C is {@code d - (tr C)^2 / ||C||_F^2},
 * which is {@code >= d - rank C}: hence the floor (d - H)/d of the normalised loss when H < d.
 */
public final class UnitaryPopulationLoss {

    private UnitaryPopulationLoss() {
    }

    /**
     * Sum over rows of l_r (the expected per-sequence loss of the model).
     *
     * @param c  C (d x d, row-major)
     * @param p  P (T x T, row-major)
     */
    public static double total(double[] c, int d, double[] p, int seqLen) {
        if (c == null || c.length != d * d) throw new IllegalArgumentException("UnitaryPopulationLoss: C must hold d*d=" + d * d + " values");
        if (p == null || p.length != seqLen * seqLen) throw new IllegalArgumentException("UnitaryPopulationLoss: P must hold T*T=" + seqLen * seqLen + " values");
        double fro = 0, tr = 0, c1 = 0;
        for (int i = 0; i < d; i++) {
            double row = 0;
            for (int j = 0; j < d; j++) {
                fro += c[i * d + j] * c[i * d + j];
                row += c[i * d + j];
            }
            c1 += row * row;
            tr += c[i * d + i];
        }
        double sum = 0;
        for (int r = 0; r <= seqLen - 2; r++) {
            double n2 = 0;
            for (int s = 0; s <= r + 1; s++) n2 += p[r * seqLen + s] * p[r * seqLen + s];
            double prr = p[r * seqLen + r], pn = p[r * seqLen + r + 1];
            sum += (n2 - prr * prr) * fro + prr * prr * c1 - 2 * pn * tr + d;
        }
        return sum;
    }

    /** {@link #total} divided by the zero predictor's loss (T-1) d. */
    public static double normalised(double[] c, int d, double[] p, int seqLen) {
        return total(c, d, p, seqLen) / ((seqLen - 1.0) * d);
    }
}
