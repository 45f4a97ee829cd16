package dev.onelayer.cli.lowrank;

import dev.onelayer.cli.Progress;
import dev.onelayer.model.lowrank.LowRankConfig;
import dev.onelayer.model.lowrank.TrainedRun;
import dev.onelayer.model.lowrank.Training;

import java.io.PrintWriter;
import java.util.Locale;

/** Shared pieces of the lowrank subcommands: a training run with a progress bar, and claim lines. */
final class Runs {

    private Runs() {
    }

    static TrainedRun train(String task, LowRankConfig config, boolean quiet) {
        try (Progress progress = Progress.start(task, config.steps(), quiet)) {
            return Training.run(config, progress::update);
        }
    }

    /** One "measured vs paper" line. */
    static void claim(PrintWriter out, boolean quiet, String what, String measured, String claim) {
        if (quiet) return;
        out.printf(Locale.ROOT, "  %-44s %-34s paper: %s%n", what, measured, claim);
    }

    static String f(String fmt, Object... args) {
        return String.format(Locale.ROOT, fmt, args);
    }

    static double[] toDouble(int[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) d[i] = x[i];
        return d;
    }
}
