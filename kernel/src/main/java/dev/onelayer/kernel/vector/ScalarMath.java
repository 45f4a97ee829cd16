package dev.onelayer.kernel.vector;

/** Scalar twins of {@link Lanes#expNonPositive} and {@link Lanes#tanh}, for the scalar tails. */
final class ScalarMath {

    private ScalarMath() {
    }

    /** The same operations as {@link Lanes#expNonPositive}, one lane. */
    static float expNonPositive(float x) {
        if (!(x >= Lanes.EXP_MIN)) return x < Lanes.EXP_MIN ? 0f : Float.NaN;
        float t = Math.fma(x, 1.44269504088896341f, 0x1.8p23f);
        float fn = t - 0x1.8p23f;
        float r = Math.fma(fn, -0.693359375f, x);
        r = Math.fma(fn, 2.12194440e-4f, r);
        float p = Math.fma(r, 1.9875691500e-4f, 1.3981999507e-3f);
        p = Math.fma(p, r, 8.3334519073e-3f);
        p = Math.fma(p, r, 4.1665795894e-2f);
        p = Math.fma(p, r, 1.6666665459e-1f);
        p = Math.fma(p, r, 5.0000001201e-1f);
        p = Math.fma(p, r * r, r + 1f);
        return Float.intBitsToFloat(Float.floatToRawIntBits(p) + (Float.floatToRawIntBits(t) << 23));
    }

    static float tanh(float u) {
        float e = expNonPositive(-2f * Math.abs(u));
        float t = (1f - e) / (1f + e);
        return u < 0f ? -t : t;
    }
}
