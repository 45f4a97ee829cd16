package dev.onelayer.cli.scb;

import dev.onelayer.cli.Progress;
import dev.onelayer.cli.UsageException;
import dev.onelayer.model.scb.RunListener;
import dev.onelayer.model.scb.ScbOptimizerConfig;

import java.util.concurrent.atomic.AtomicLong;

/** Option parsing, medians and the progress listener shared by the scb subcommands. */
final class ScbArgs {

    private ScbArgs() {
    }

    /**
     * An optimiser preset by name: {@code pppd} (Validated settings "PPPD as built"),
     * {@code pppd-vn} (Validated settings 3) or {@code sgd:<lr>} (plain SGD).
     */
    static ScbOptimizerConfig optimizer(String spec, String option) {
        if ("pppd".equals(spec)) return ScbOptimizerConfig.pppd();
        if ("pppd-vn".equals(spec)) return ScbOptimizerConfig.pppdVn();
        if (spec != null && spec.startsWith("sgd:")) {
            double lr;
            try {
                lr = Double.parseDouble(spec.substring(4));
            } catch (NumberFormatException e) {
                throw new UsageException(option + " sgd:<lr> needs a number, got '" + spec + "'");
            }
            if (!(lr > 0) || Double.isInfinite(lr)) throw new UsageException(option + " learning rate must be finite and > 0, got " + spec);
            return ScbOptimizerConfig.sgd(lr);
        }
        throw new UsageException(option + " must be pppd, pppd-vn or sgd:<lr>, got '" + spec + "'");
    }

    /** Checks a sweep of T: at least {@code minCount} distinct increasing values, each at least Q. */
    static void seqLens(int[] ts, int q, int minCount, String option) {
        if (ts == null || ts.length < minCount) throw new UsageException(option + " needs at least " + minCount + " values of T");
        for (int i = 0; i < ts.length; i++) {
            if (ts[i] < 1) throw new UsageException(option + ": T must be at least 1, got " + ts[i]);
            if (q > ts[i]) throw new UsageException("Q=" + q + " must not exceed T=" + ts[i] + " (" + option + ")");
            if (i > 0 && ts[i] <= ts[i - 1]) throw new UsageException(option + " must be strictly increasing, got " + java.util.Arrays.toString(ts));
        }
    }

    static void atLeast(String option, long value, long min) {
        if (value < min) throw new UsageException(option + " must be at least " + min + ", got " + value);
    }

    static void fraction(String option, double value) {
        if (!(value > 0 && value < 1)) throw new UsageException(option + " must be in (0, 1), got " + value);
    }

    /** Samples per run: steps times batch, refusing overflow. */
    static long samples(long steps, int batch) {
        if (steps > Long.MAX_VALUE / Math.max(1, batch)) throw new UsageException("--steps " + steps + " times --batch " + batch + " overflows");
        return steps * batch;
    }

    /** A thread-safe listener that advances {@code progress} by one unit per finished run. */
    static RunListener listener(Progress progress) {
        AtomicLong done = new AtomicLong();
        return label -> {
            long d = done.incrementAndGet();
            synchronized (progress) {
                progress.update(d, label);
            }
        };
    }

    /** --threads checked before anything is written (TrainingOptions.validate checks it again). */
    static void threads(dev.onelayer.cli.TrainingOptions options) {
        if (options.threads() < 1) throw new UsageException("--threads must be at least 1, got " + options.threads());
    }

    /** Prints the summary line and the claims table on the command's standard output. */
    static void report(picocli.CommandLine.Model.CommandSpec spec, String line, ClaimTable claims) {
        java.io.PrintWriter out = spec.commandLine().getOut();
        out.print(line);
        claims.print(out);
        out.flush();
    }

    /** Median of values where -1 means "not reached" (counted as +infinity); NaN for none. */
    static double median(long[] xs) {
        return xs.length == 0 ? Double.NaN : dev.onelayer.model.scb.PlateauStats.median(xs);
    }

    static double median(double[] xs) {
        double[] d = xs.clone();
        java.util.Arrays.sort(d);
        int n = d.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? d[n / 2] : 0.5 * (d[n / 2 - 1] + d[n / 2]);
    }

    /** -1 ("not reached") as NaN, so CSV cells stay empty. */
    static double orNaN(long x) {
        return x < 0 ? Double.NaN : x;
    }

    static boolean allFinitePositive(double[] xs) {
        for (double x : xs) if (!(x > 0) || Double.isInfinite(x)) return false;
        return true;
    }

    static boolean increasing(double[] xs) {
        for (int i = 1; i < xs.length; i++) if (!(xs[i] > xs[i - 1])) return false;
        return true;
    }

    static double[] toDouble(int[] xs) {
        double[] d = new double[xs.length];
        for (int i = 0; i < xs.length; i++) d[i] = xs[i];
        return d;
    }
}
