package dev.onelayer.kernel.vector;

import static dev.onelayer.kernel.vector.Lanes.F;
import static dev.onelayer.kernel.vector.Lanes.L;

import dev.onelayer.kernel.ScalarDenseOps;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Element-wise optimiser updates of {@link dev.onelayer.kernel.DenseOps}: {@code axpyWide} (a
 * float64 step on float parameters) and float32 Adam. Each entry is the same expression as in the
 * scalar implementation, so both give the same bits.
 */
final class VectorUpdates {

    /** float64 lanes, and floats of the same count (half the width) to widen into them. */
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> FH = VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));
    private static final int DL = D.length();

    private VectorUpdates() {
    }

    /**
     * {@code y = (float) (y + alpha x)} in float64. Why by hand: C2 on JDK 17 does not vectorize the
     * float-double conversions of the scalar loop (JDK 25 does), which made it ~10x slower there.
     */
    static void axpyWide(int n, double alpha, float[] x, int xOff, float[] y, int yOff) {
        DoubleVector a = DoubleVector.broadcast(D, alpha);
        int i = 0;
        for (int bound = FH.loopBound(n); i < bound; i += DL) {
            DoubleVector xd = (DoubleVector) FloatVector.fromArray(FH, x, xOff + i).convertShape(VectorOperators.F2D, D, 0);
            DoubleVector yd = (DoubleVector) FloatVector.fromArray(FH, y, yOff + i).convertShape(VectorOperators.F2D, D, 0);
            // mul then add, two roundings, as the scalar expression (no fma contraction in Java)
            ((FloatVector) yd.add(a.mul(xd)).convertShape(VectorOperators.D2F, FH, 0)).intoArray(y, yOff + i);
        }
        ScalarDenseOps.axpyWideRange(n - i, alpha, x, xOff + i, y, yOff + i);
    }

    static void adam(int n, float[] w, int wOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff,
                     float beta1, float beta2, float stepSize, float invSqrtBc2, float eps) {
        float c1 = 1f - beta1, c2 = 1f - beta2;
        FloatVector b1 = FloatVector.broadcast(F, beta1), b2 = FloatVector.broadcast(F, beta2);
        FloatVector vc1 = FloatVector.broadcast(F, c1), vc2 = FloatVector.broadcast(F, c2);
        FloatVector step = FloatVector.broadcast(F, stepSize), inv = FloatVector.broadcast(F, invSqrtBc2), e = FloatVector.broadcast(F, eps);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector gi = FloatVector.fromArray(F, g, gOff + i);
            FloatVector mi = b1.fma(FloatVector.fromArray(F, m, mOff + i), vc1.mul(gi));
            FloatVector vi = b2.fma(FloatVector.fromArray(F, v, vOff + i), vc2.mul(gi.mul(gi)));
            mi.intoArray(m, mOff + i);
            vi.intoArray(v, vOff + i);
            FloatVector den = vi.sqrt().fma(inv, e);
            FloatVector.fromArray(F, w, wOff + i).sub(step.mul(mi).div(den)).intoArray(w, wOff + i);
        }
        ScalarDenseOps.adamRange(n - i, w, wOff + i, g, gOff + i, m, mOff + i, v, vOff + i, beta1, beta2, stepSize, invSqrtBc2, eps);
    }
}
