package dev.onelayer.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * A progress bar for long runs (steps done, steps/s, ETA, current loss) on standard error. It is
 * drawn only on an interactive terminal and without --quiet; otherwise every call is a no-op, so
 * logs and tests stay clean.
 */
public final class Progress implements AutoCloseable {

    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    /** A bar over {@code total} steps, or a silent one when {@code quiet} or not on a terminal. */
    public static Progress start(String task, long total, boolean quiet) {
        return start(task, total, "steps", quiet);
    }

    /** A bar over {@code total} units named {@code unit} (e.g. "runs"), or a silent one when {@code quiet} or not on a terminal. */
    public static Progress start(String task, long total, String unit, boolean quiet) {
        if (quiet || System.console() == null || total <= 0) return new Progress(null);
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
                .setUpdateIntervalMillis(200)
                .showSpeed(new java.text.DecimalFormat("#.0"))
                .setSpeedUnit(ChronoUnit.SECONDS)
                .setUnit(" " + unit, 1)
                .build();
        return new Progress(bar);
    }

    /** Records that {@code done} steps are complete and the latest loss. */
    public void update(long done, double loss) {
        if (bar == null) return;
        bar.stepTo(done);
        bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4g", loss));
    }

    /** Records that {@code done} units are complete, with a short note (e.g. the run just finished). */
    public void update(long done, String message) {
        if (bar == null) return;
        bar.stepTo(done);
        bar.setExtraMessage(" " + message);
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}
