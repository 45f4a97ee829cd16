package dev.onelayer.model.train;

/** Receives the trainer's metrics: the CLI prints and plots them, tests assert on them. */
public interface MetricsListener {

    /** After every step. */
    void onStep(StepMetrics m);

    /** After every evaluation. */
    default void onEval(EvalMetrics m) {
    }

    /** After a checkpoint was written. */
    default void onCheckpoint(long step, java.nio.file.Path path) {
    }
}
