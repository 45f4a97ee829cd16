package dev.onelayer.model.markov;

import dev.onelayer.model.core.Params;

/**
 * An independent float64 evaluation of {@link FullModel}'s loss as plain loops over positions,
 * straight from the GPT-2 equations (explicit softmax over the attended keys, LayerNorm, tanh
 * GELU), reading parameters by name. Reference for the forward and for finite differences.
 */
final class ReferenceFullModel {

    private static final double GELU_C = Math.sqrt(2 / Math.PI);

    private ReferenceFullModel() {
    }

    /** Mean over the batch of the per-sequence mean cross-entropy;. */
    static double loss(FullModel model, double[] th, MarkovBatch batch) {
        FullModel.Config c = model.config();
        int v = c.vocab(), d = c.d(), h = 4 * d, n = c.seqLen(), layers = c.layers();
        Params ps = model.params();
        int wte = ps.get("wte").offset(), wpe = ps.get("wpe").offset();
        int head = c.tied() ? wte : ps.get("lm_head").offset(), bias = ps.get("lm_head.bias").offset();
        double total = 0;
        for (int s = 0; s < batch.size(); s++) {
            double[][] x = new double[n][d];
            for (int t = 0; t < n; t++) {
                for (int j = 0; j < d; j++) x[t][j] = th[wte + batch.symbol(s, t) * d + j] + th[wpe + t * d + j];
            }
            for (int l = 0; l < layers; l++) {
                String p = "h" + l + ".";
                int attn = ps.get(p + "attn.c_attn").offset(), proj = ps.get(p + "attn.c_proj").offset();
                double[][] q = new double[n][], k = new double[n][], vv = new double[n][];
                for (int t = 0; t < n; t++) {
                    double[] a = layerNorm(x[t], th, ps.get(p + "ln_1").offset());
                    q[t] = mv(th, attn, a, d, d);
                    k[t] = mv(th, attn + d * d, a, d, d);
                    vv[t] = mv(th, attn + 2 * d * d, a, d, d);
                }
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
                        for (int j = 0; j < d; j++) o[j] += pr * vv[i][j];
                    }
                    double[] y = mv(th, proj, o, d, d);
                    for (int j = 0; j < d; j++) x[t][j] += y[j];
                }
                int fc = ps.get(p + "mlp.c_fc").offset(), mp = ps.get(p + "mlp.c_proj").offset();
                for (int t = 0; t < n; t++) {
                    double[] pre = mv(th, fc, layerNorm(x[t], th, ps.get(p + "ln_2").offset()), h, d);
                    for (int j = 0; j < h; j++) {
                        double u = pre[j];
                        pre[j] = 0.5 * u * (1 + Math.tanh(GELU_C * (u + 0.044715 * u * u * u)));
                    }
                    double[] y = mv(th, mp, pre, d, h);
                    for (int j = 0; j < d; j++) x[t][j] += y[j];
                }
            }
            double seq = 0;
            for (int t = 0; t < n; t++) {
                double[] logits = mv(th, head, layerNorm(x[t], th, ps.get("ln_f").offset()), v, d);
                double max = Double.NEGATIVE_INFINITY;
                for (int cc = 0; cc < v; cc++) {
                    logits[cc] += th[bias + cc];
                    max = Math.max(max, logits[cc]);
                }
                double z = 0;
                for (double lg : logits) z += Math.exp(lg - max);
                seq += max + Math.log(z) - logits[batch.symbol(s, t + 1)];
            }
            total += seq / n;
        }
        return total / batch.size();
    }

    private static double[] layerNorm(double[] x, double[] th, int gOff) {
        int d = x.length;
        double mean = 0, var = 0;
        for (double xi : x) mean += xi;
        mean /= d;
        for (double xi : x) var += (xi - mean) * (xi - mean);
        double rs = 1 / Math.sqrt(var / d + LayerNorm.EPS);
        double[] y = new double[d];
        for (int j = 0; j < d; j++) y[j] = th[gOff + j] * (x[j] - mean) * rs;
        return y;
    }

    /** W x with W at {@code th[off..]} stored [rows][cols]. */
    private static double[] mv(double[] th, int off, double[] x, int rows, int cols) {
        double[] y = new double[rows];
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int c = 0; c < cols; c++) s += th[off + r * cols + c] * x[c];
            y[r] = s;
        }
        return y;
    }
}
