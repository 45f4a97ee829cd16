package dev.onelayer.kernel.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Shared vector building blocks: the species, a fixed-order horizontal sum, and exp/tanh written
 * with adds, multiplies and FMAs only.
 *
 * <p>Why not {@code reduceLanes(ADD)} or {@code lanewise(EXP)}: the first combines lanes in an
 * unspecified order, and the second is an SVML call in C2 but {@code Math.exp} per lane in the
 * interpreter. Either would let the same input give different bits before and after JIT
 * compilation. Every operation below is exactly specified in IEEE arithmetic, so all tiers agree.
 */
final class Lanes {

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int L = F.length();

    // Rotations by L/2, L/4, L/8, L/16 lanes: a pairwise tree that always adds the same pairs.
    private static final VectorShuffle<Float> R8 = VectorShuffle.iota(F, 8 % L, 1, true);
    private static final VectorShuffle<Float> R4 = VectorShuffle.iota(F, 4 % L, 1, true);
    private static final VectorShuffle<Float> R2 = VectorShuffle.iota(F, 2 % L, 1, true);
    private static final VectorShuffle<Float> R1 = VectorShuffle.iota(F, 1, 1, true);

    private Lanes() {
    }

    /** Sum of the lanes in a fixed pairwise order (same bits on every tier). */
    static float sum(FloatVector v) {
        if (L >= 16) v = v.add(v.rearrange(R8));
        if (L >= 8) v = v.add(v.rearrange(R4));
        if (L >= 4) v = v.add(v.rearrange(R2));
        v = v.add(v.rearrange(R1));
        return v.lane(0);
    }

    /** Max of the lanes (max is exact and commutative, so order cannot change the bits). */
    static float max(FloatVector v) {
        return v.reduceLanes(VectorOperators.MAX);
    }

    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    // Cephes expf minimax coefficients on [-ln2/2, ln2/2].
    private static final float P0 = 1.9875691500e-4f;
    private static final float P1 = 1.3981999507e-3f;
    private static final float P2 = 8.3334519073e-3f;
    private static final float P3 = 4.1665795894e-2f;
    private static final float P4 = 1.6666665459e-1f;
    private static final float P5 = 5.0000001201e-1f;
    private static final float ROUND_MAGIC = 0x1.8p23f;
    /** Below this exp underflows past the smallest normal float; results there are flushed to 0. */
    static final float EXP_MIN = -87.33f;

    /**
     * exp(x) for x <= 0 (inputs above 0 are not supported: callers subtract the maximum first),
     * relative error about 2 ulp; x < -87.33 (including -inf) gives 0.
     *
     * <p>n = round(x log2 e) comes out of one FMA: x log2e + 1.5*2^23 lands where the float grid
     * has spacing 1, so the FMA's single rounding rounds to the nearest integer and n sits in the
     * low bits of the result (no F2I/I2F converts: on JDK 17 with AVX2 those are not intrinsified
     * and box every vector). 2^n is applied by adding n to the exponent field of the polynomial,
     * exact because x >= -87.33 keeps n >= -126 with a polynomial >= 1 there (a normal result).
     * Fourteen lane operations in all, the hot part of the softmax kernels.
     */
    static FloatVector expNonPositive(FloatVector x) {
        // Lanes below EXP_MIN (and -inf) compute garbage, even NaN, that the final blend replaces.
        var under = x.compare(VectorOperators.LT, EXP_MIN);
        FloatVector t = x.fma(FloatVector.broadcast(F, LOG2E), FloatVector.broadcast(F, ROUND_MAGIC));
        FloatVector fn = t.sub(ROUND_MAGIC);
        FloatVector r = fn.fma(FloatVector.broadcast(F, -LN2_HI), x);
        r = fn.fma(FloatVector.broadcast(F, -LN2_LO), r);
        FloatVector p = r.fma(FloatVector.broadcast(F, P0), FloatVector.broadcast(F, P1));
        p = p.fma(r, FloatVector.broadcast(F, P2));
        p = p.fma(r, FloatVector.broadcast(F, P3));
        p = p.fma(r, FloatVector.broadcast(F, P4));
        p = p.fma(r, FloatVector.broadcast(F, P5));
        p = p.fma(r.mul(r), r.add(1f));
        // (bits(t) - bits(magic)) << 23 = n << 23 (mod 2^32), and bits(magic) << 23 = 0 (mod 2^32).
        IntVector scale = t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23);
        return p.reinterpretAsInts().add(scale).reinterpretAsFloats().blend(0f, under);
    }

    /** tanh(u) = sign(u) (1 - e) / (1 + e) with e = exp(-2|u|) <= 1. */
    static FloatVector tanh(FloatVector u) {
        FloatVector a = u.abs();
        FloatVector e = expNonPositive(a.mul(-2f));
        FloatVector t = FloatVector.broadcast(F, 1f).sub(e).div(e.add(1f));
        return t.blend(t.neg(), u.compare(VectorOperators.LT, 0f));
    }
}
