package dev.onelayer.model.markov;

/**
 * An independent float64 evaluation of {@link TheoryModel}'s loss, written as plain loops straight
 * from the equations (explicit softmax over i ≤ n, no kernels), reading the float32 parameter
 * values by name. Used as the reference for the forward and for finite differences.
 */
final class ReferenceTheoryModel {

    private ReferenceTheoryModel() {
    }

    /** Mean over the batch of the per-sequence mean BCE; {@code minAbsPre[0]} gets min |W_1 y| (distance to the ReLU kink). */
    static double loss(TheoryModel model, double[] theta, MarkovBatch batch, double[] minAbsPre) {
        TheoryModel.Config c = model.config();
        int d = c.d(), h = 4 * d, n = c.seqLen();
        var ps = model.params();
        double[] e = slice(theta, ps.get("e").offset(), d);
        double[] wq = slice(theta, ps.get("W_Q").offset(), d * d), wk = slice(theta, ps.get("W_K").offset(), d * d);
        double[] wv = slice(theta, ps.get("W_V").offset(), d * d), wo = slice(theta, ps.get("W_O").offset(), d * d);
        double[] w1 = slice(theta, ps.get("W_1").offset(), h * d), w2 = slice(theta, ps.get("W_2").offset(), d * h);
        double[] a = c.tied() ? e : slice(theta, ps.get("a").offset(), d);
        double b = theta[ps.get("b").offset()];
        int pOff = ps.get("p").offset();
        double total = 0;
        double minPre = Double.POSITIVE_INFINITY;
        for (int s = 0; s < batch.size(); s++) {
            double[][] x = new double[n][d], q = new double[n][], k = new double[n][], v = new double[n][];
            for (int t = 0; t < n; t++) {
                for (int j = 0; j < d; j++) x[t][j] = theta[pOff + t * d + j] + batch.symbol(s, t) * e[j];
                q[t] = mv(wq, x[t], d, d);
                k[t] = mv(wk, x[t], d, d);
                v[t] = mv(wv, x[t], d, d);
            }
            double seq = 0;
            for (int t = 0; t < n; t++) {
                int first = c.window() < 0 ? 0 : Math.max(0, t - c.window());
                double[] sc = new double[t + 1];
                double max = Double.NEGATIVE_INFINITY;
                for (int i = first; i <= t; i++) {
                    double dot = 0;
                    for (int j = 0; j < d; j++) dot += q[t][j] * k[i][j];
                    sc[i] = dot / Math.sqrt(d);
                    max = Math.max(max, sc[i]);
                }
                double norm = 0;
                for (int i = first; i <= t; i++) norm += Math.exp(sc[i] - max);
                double[] o = new double[d];
                for (int i = first; i <= t; i++) {
                    double pr = Math.exp(sc[i] - max) / norm;
                    for (int j = 0; j < d; j++) o[j] += pr * v[i][j];
                }
                double[] y = add(x[t], mv(wo, o, d, d));
                double[] pre = mv(w1, y, h, d);
                for (int j = 0; j < h; j++) {
                    minPre = Math.min(minPre, Math.abs(pre[j]));
                    pre[j] = Math.max(0, pre[j]);
                }
                double[] z = add(y, mv(w2, pre, d, h));
                double logit = b;
                for (int j = 0; j < d; j++) logit += a[j] * z[j];
                int target = batch.symbol(s, t + 1);
                double softplus = logit > 0 ? logit + Math.log1p(Math.exp(-logit)) : Math.log1p(Math.exp(logit));
                seq += softplus - target * logit;
            }
            total += seq / n;
        }
        if (minAbsPre != null) minAbsPre[0] = minPre;
        return total / batch.size();
    }

    private static double[] slice(double[] a, int off, int len) {
        return java.util.Arrays.copyOfRange(a, off, off + len);
    }

    /** W x with W stored [rows][cols]. */
    private static double[] mv(double[] w, double[] x, int rows, int cols) {
        double[] y = new double[rows];
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int c = 0; c < cols; c++) s += w[r * cols + c] * x[c];
            y[r] = s;
        }
        return y;
    }

    private static double[] add(double[] x, double[] y) {
        double[] z = new double[x.length];
        for (int i = 0; i < x.length; i++) z[i] = x[i] + y[i];
        return z;
    }
}
