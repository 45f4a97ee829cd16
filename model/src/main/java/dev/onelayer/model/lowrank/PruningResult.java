package dev.onelayer.model.lowrank;

/**
 * Issue 8 experiment 3 on one trained run.
 *
 * <p>At the small group's fraction R: {@code magnitude*} prune exactly the small group;
 * {@code random*} are means (and the standard deviation of the error, the minimum of the output
 * change) over {@code draws} random row sets of the same size. Curves: for each rate,
 * magnitude (smallest rows first), largest-first, and random (mean and standard deviation over the
 * draws) of test error, test hinge loss and relative output change {@code ||F_p - F|| / ||F||}.
 * {@code ascendingSigns[i]} is the sign of a for the row of rank i in ascending norm order.
 */
public record PruningResult(RowNormSplit split, double baselineError, double baselineHinge, int draws,
                            double magnitudeError, double magnitudeHinge, double magnitudeChange,
                            double randomError, double randomErrorSd, double randomHinge, double randomChange, double randomChangeMin,
                            double[] rates, Curve magnitude, Curve largest, Curve random, int[] ascendingSigns) {

    /**
     * Share of neurons with a_j &gt; 0 among the rows ranked {@code from..to-1} by ascending norm
     * (e.g. the rows magnitude pruning removes just past the small group: near 0 or 1 when they are
     * one sign group's neurons).
     */
    public double positiveShare(int from, int to) {
        if (from < 0 || to > ascendingSigns.length || from >= to) throw new IllegalArgumentException("PruningResult.positiveShare: [" + from + ", " + to + ")");
        int pos = 0;
        for (int i = from; i < to; i++) if (ascendingSigns[i] > 0) pos++;
        return pos / (double) (to - from);
    }

    /** Test error, hinge loss and output change at each rate; the *Sd arrays are zero for deterministic orders. */
    public record Curve(double[] error, double[] errorSd, double[] hinge, double[] hingeSd, double[] change, double[] changeSd) {
    }
}
