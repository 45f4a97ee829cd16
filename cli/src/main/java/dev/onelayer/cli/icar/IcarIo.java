package dev.onelayer.cli.icar;

import dev.onelayer.cli.Progress;
import dev.onelayer.cli.RunOutput;
import dev.onelayer.cli.UsageException;
import dev.onelayer.cli.io.Charts;
import dev.onelayer.cli.io.Csv;
import dev.onelayer.model.train.MetricsListener;

import java.io.PrintWriter;
import java.util.Locale;

/** Small helpers the icar subcommands share: option checks, matrix CSVs and heatmaps, progress. */
final class IcarIo {

    private IcarIo() {
    }

    static void positive(String option, long value) {
        if (value < 1) throw new UsageException(option + " must be at least 1, got " + value);
    }

    static void positiveFinite(String option, double value) {
        if (!(value > 0) || Double.isInfinite(value)) throw new UsageException(option + " must be finite and > 0, got " + value);
    }

    static int intSteps(long steps) {
        if (steps > Integer.MAX_VALUE) throw new UsageException("--steps must be at most " + Integer.MAX_VALUE + ", got " + steps);
        return (int) steps;
    }

    /** Writes a row-major matrix as CSV (columns c0..c{cols-1}, one row per matrix row) and a heatmap. */
    static void matrix(RunOutput out, String name, String title, int rows, int cols, double[] values) {
        String[] header = new String[cols + 1];
        header[0] = "row";
        for (int j = 0; j < cols; j++) header[j + 1] = "c" + j;
        Csv csv = new Csv(header);
        for (int i = 0; i < rows; i++) {
            double[] r = new double[cols + 1];
            r[0] = i;
            System.arraycopy(values, i * cols, r, 1, cols);
            csv.row(r);
        }
        out.csv(name + ".csv", csv);
        out.chart(name, Charts.heatmap(title, rows, cols, values));
    }

    /**
     * The part of a T x T positional matrix the model uses: rows r = 0..T-2, columns t' &lt;= r+1
     * (shift 1: the previous token is the query); masked entries are shown as 0.
     */
    static double[] causalRows(double[] p, int seqLen) {
        double[] out = new double[(seqLen - 1) * seqLen];
        for (int r = 0; r <= seqLen - 2; r++) {
            for (int s = 0; s <= r + 1; s++) out[r * seqLen + s] = p[r * seqLen + s];
        }
        return out;
    }

    static double[] toDouble(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) out[i] = v[i];
        return out;
    }

    /** A listener that moves the bar and records (step, loss) every {@code every} steps into {@code curve}. */
    static MetricsListener recorder(Progress progress, Csv curve, int every, double lossScale) {
        return m -> {
            double loss = m.loss() * lossScale;
            progress.update(m.step() + 1, loss);
            if (m.step() % every == 0) curve.row(m.step(), loss, m.lr());
        };
    }

    /** One "quantity: measured vs theory, gap" line. */
    static void compare(PrintWriter w, String what, double measured, double theory) {
        w.printf(Locale.ROOT, "  %-44s measured %12.6g   theory %12.6g   gap %+.3g%n", what, measured, theory, measured - theory);
    }

    static String fmt(double x) {
        return String.format(Locale.ROOT, "%.4g", x);
    }
}
