package dev.onelayer.kernel.vector;

/** Scalar twins of {@link Lanes#expNonPositive} and {@link Lanes#tanh}, for the scalar tails. */
final class ScalarMath {

    private ScalarMath() {
    }

    static float expNonPositive(float x) {
        if (!(x >= Lanes.EXP_MIN)) return 0f;
        float t = x * 1.44269504088896341f - 0.5f;
        int n = (int) t;
        float fn = n;
        float r = Math.fma(fn, -0.693359375f, x);
        r = Math.fma(fn, 2.12194440e-4f, r);
        float p = Math.fma(r, 1.9875691500e-4f, 1.3981999507e-3f);
        p = Math.fma(p, r, 8.3334519073e-3f);
        p = Math.fma(p, r, 4.1665795894e-2f);
        p = Math.fma(p, r, 1.6666665459e-1f);
        p = Math.fma(p, r, 5.0000001201e-1f);
        p = Math.fma(p, r * r, r + 1f);
        return p * Float.intBitsToFloat((n + 127) << 23);
    }

    static float tanh(float u) {
        float e = expNonPositive(-2f * Math.abs(u));
        float t = (1f - e) / (1f + e);
        return u < 0f ? -t : t;
    }
}
