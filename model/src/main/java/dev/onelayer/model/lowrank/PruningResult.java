package dev.onelayer.model.lowrank;

/**
 * Issue 8 experiment 3 on one trained run.
 *
 * <p>At the small group's fraction R: {@code magnitude*} prune exactly the small group;
 * {@code random*} are means (and the standard deviation of the error, the minimum of the output
 * change) over {@code draws} random row sets of the same size. Curves: for each rate,
 * magnitude (smallest rows first), largest-first, and random (mean and standard deviation over the
 * draws) of test error, test hinge loss and relative output change {@code ||F_p - F|| / ||F||}.
 */
public record PruningResult(RowNormSplit split, double baselineError, double baselineHinge, int draws,
                            double magnitudeError, double magnitudeHinge, double magnitudeChange,
                            double randomError, double randomErrorSd, double randomHinge, double randomChange, double randomChangeMin,
                            double[] rates, Curve magnitude, Curve largest, Curve random) {

    /** Test error, hinge loss and output change at each rate; the *Sd arrays are zero for deterministic orders. */
    public record Curve(double[] error, double[] errorSd, double[] hinge, double[] hingeSd, double[] change, double[] changeSd) {
    }
}
