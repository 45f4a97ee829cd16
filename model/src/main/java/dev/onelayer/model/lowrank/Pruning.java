package dev.onelayer.model.lowrank;

import dev.onelayer.model.core.Param;
import dev.onelayer.model.core.Rng;

import java.util.Arrays;

/**
 * Issue 8 experiment 3: structured magnitude pruning of W_O's rows (neurons) on a trained run
 * (notes section 4 "Sparsity"): the row-norm split, pruning the small group versus random rows of
 * the same count, and curves over pruning rates for smallest-first, random and largest-first
 * orders.
 *
 * <p>Zeroing row j of W_O sets h_lj = 0 for every token and ReLU(0) = 0, so a pruned output is
 * exactly F minus the pruned neurons' contributions; the contributions are computed once
 * ({@link AttentionMlpModel#neuronContributions}) and every mask is a sum over kept neurons.
 */
public final class Pruning {

    private Pruning() {
    }

    /** Default rates 0, 5, ..., 60 %. */
    public static double[] defaultRates() {
        double[] r = new double[13];
        for (int i = 0; i < r.length; i++) r[i] = i * 0.05;
        return r;
    }

    /** Runs the analysis with {@code draws} random masks per rate, random stream {@code (seed, "pruning")}. */
    public static PruningResult run(TrainedRun run, double[] rates, int draws, long seed) {
        if (run == null) throw new IllegalArgumentException("Pruning.run: run is null");
        if (draws < 1) throw new IllegalArgumentException("Pruning.run: draws=" + draws + " must be >= 1");
        if (rates == null) throw new IllegalArgumentException("Pruning.run: rates is null");
        for (double r : rates) if (!(r >= 0 && r <= 1)) throw new IllegalArgumentException("Pruning.run: rate " + r + " outside [0, 1]");
        AttentionMlpModel model = run.model();
        PatternData test = run.task().test();
        int m = model.neurons(), n = test.n();
        Param wO = model.params().get("wO");
        RowNormSplit split = RowNormSplit.of(RowNormSplit.rowNorms(model.params().values(), wO.offset(), m, wO.cols()));
        double[] c = model.neuronContributions(test);
        double[] f = new double[n];
        for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) f[i] += c[i * m + j];
        double baseErr = AttentionMlpModel.error(f, test.y()), baseHinge = AttentionMlpModel.hinge(f, test.y());

        Integer[] boxed = new Integer[m];
        for (int j = 0; j < m; j++) boxed[j] = j;
        double[] norms = split.norms();
        Arrays.sort(boxed, (x, y) -> Double.compare(norms[x], norms[y]) != 0 ? Double.compare(norms[x], norms[y]) : Integer.compare(x, y));
        int[] ascending = new int[m];
        for (int j = 0; j < m; j++) ascending[j] = boxed[j];
        int[] descending = new int[m];
        for (int j = 0; j < m; j++) descending[j] = ascending[m - 1 - j];

        double[] mag = metrics(c, f, test.y(), m, ascending, split.smallCount());
        Rng rng = Rng.stream(seed, "pruning");
        double[][] rnd = new double[draws][];
        for (int t = 0; t < draws; t++) rnd[t] = metrics(c, f, test.y(), m, rng.permutation(m), split.smallCount());
        double[] rMean = mean(rnd), rSd = sd(rnd, rMean);
        double minChange = Double.POSITIVE_INFINITY;
        for (double[] x : rnd) minChange = Math.min(minChange, x[2]);

        int p = rates.length;
        PruningResult.Curve magC = curve(p), bigC = curve(p), rndC = curve(p);
        for (int i = 0; i < p; i++) {
            int count = (int) Math.round(rates[i] * m);
            put(magC, i, metrics(c, f, test.y(), m, ascending, count), null);
            put(bigC, i, metrics(c, f, test.y(), m, descending, count), null);
            double[][] draw = new double[draws][];
            for (int t = 0; t < draws; t++) draw[t] = metrics(c, f, test.y(), m, rng.permutation(m), count);
            double[] mu = mean(draw);
            put(rndC, i, mu, sd(draw, mu));
        }
        return new PruningResult(split, baseErr, baseHinge, draws, mag[0], mag[1], mag[2], rMean[0], rSd[0], rMean[1], rMean[2], minChange,
                rates.clone(), magC, bigC, rndC, signs(model.outputVector(), ascending));
    }

    private static int[] signs(float[] a, int[] order) {
        int[] s = new int[order.length];
        for (int i = 0; i < order.length; i++) s[i] = a[order[i]] > 0 ? 1 : -1;
        return s;
    }

    /** {error, hinge, ||F_p - F|| / ||F||} after pruning the first {@code count} neurons of {@code order}. */
    static double[] metrics(double[] c, double[] f, int[] y, int m, int[] order, int count) {
        int n = f.length;
        double[] fp = f.clone();
        for (int k = 0; k < count; k++) {
            int j = order[k];
            for (int i = 0; i < n; i++) fp[i] -= c[i * m + j];
        }
        double num = 0, den = 0;
        for (int i = 0; i < n; i++) {
            num += (fp[i] - f[i]) * (fp[i] - f[i]);
            den += f[i] * f[i];
        }
        return new double[] {AttentionMlpModel.error(fp, y), AttentionMlpModel.hinge(fp, y), den == 0 ? 0 : Math.sqrt(num / den)};
    }

    private static PruningResult.Curve curve(int p) {
        return new PruningResult.Curve(new double[p], new double[p], new double[p], new double[p], new double[p], new double[p]);
    }

    private static void put(PruningResult.Curve c, int i, double[] mu, double[] sd) {
        c.error()[i] = mu[0];
        c.hinge()[i] = mu[1];
        c.change()[i] = mu[2];
        if (sd != null) {
            c.errorSd()[i] = sd[0];
            c.hingeSd()[i] = sd[1];
            c.changeSd()[i] = sd[2];
        }
    }

    private static double[] mean(double[][] x) {
        double[] mu = new double[x[0].length];
        for (double[] r : x) for (int k = 0; k < mu.length; k++) mu[k] += r[k] / x.length;
        return mu;
    }

    private static double[] sd(double[][] x, double[] mu) {
        double[] s = new double[mu.length];
        if (x.length < 2) return s;
        for (double[] r : x) for (int k = 0; k < mu.length; k++) s[k] += (r[k] - mu[k]) * (r[k] - mu[k]);
        for (int k = 0; k < s.length; k++) s[k] = Math.sqrt(s[k] / (x.length - 1));
        return s;
    }
}
