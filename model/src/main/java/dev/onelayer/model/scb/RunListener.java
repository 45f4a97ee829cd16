package dev.onelayer.model.scb;

/**
 * Told after each unit of an experiment's work (a training run; for the single-run softmax
 * comparison, a curve point), so a caller (the command line's progress bar) can follow a long sweep. Called on the experiment's thread; implementations shared by
 * experiments running on several threads must be thread-safe.
 */
@FunctionalInterface
public interface RunListener {

    /** A listener that ignores every call. */
    RunListener NONE = label -> { };

    /** One unit finished; {@code label} names it (method, T, seed; or samples seen). */
    void runDone(String label);
}
