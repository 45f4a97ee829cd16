package dev.onelayer.model.scb;

/**
 * A training curve against samples seen: absolute Frobenius distances (gauge-fixed, see
 * {@link ScbMetrics}) to P and A*, excess population loss and corr(V, P).
 */
public record ScbCurve(String label, long[] samples, double[] distV, double[] distA, double[] excess, double[] corr) {

    public int size() {
        return samples.length;
    }

    public double finalDistV() {
        return distV[distV.length - 1];
    }

    public double finalDistA() {
        return distA[distA.length - 1];
    }

    public double finalExcess() {
        return excess[excess.length - 1];
    }

    /** The first sample count at which both distances are below {@code eps}, or -1. */
    public long firstBelow(double eps) {
        for (int i = 0; i < samples.length; i++) if (distV[i] < eps && distA[i] < eps) return samples[i];
        return -1;
    }
}
