package dev.onelayer.kernel.vector;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * The vector exp (rounding to n without an F2I conversion) gives the same bits as its scalar
 * twin (which rounds with {@code (int)}), lane by lane, over a dense sweep of [-100, 0], every float
 * of [EXP_MIN, -87] and the values where x log2(e) - 0.5 is an exact integer or half-integer (the
 * rounding's edge cases); relative error at most 4 * 2^-23 wherever it is not flushed to 0 (x >= EXP_MIN).
 */
class LanesExpTest {

    @Test
    void vectorExpHasTheScalarTwinsBits() {
        int L = Lanes.L;
        float[] x = new float[L], y = new float[L];
        int filled = 0;
        long checked = 0;
        int start = Float.floatToRawIntBits(-0.0f);
        for (int bits = start; ; bits += 4999) {
            float v = Float.intBitsToFloat(bits);
            if (v < -100f) break;
            x[filled++] = v;
            if (filled == L) {
                checked += compare(x, y);
                filled = 0;
            }
        }
        // Every float in [EXP_MIN, -87], where the results approach the smallest normal float.
        for (float v = Lanes.EXP_MIN; v <= -87f; v = Math.nextUp(v)) {
            x[filled++] = v;
            if (filled == L) {
                checked += compare(x, y);
                filled = 0;
            }
        }
        // Edge cases of the rounding: t = x log2e - 0.5 near integers and half-integers.
        for (int n = -130; n <= 1; n++) {
            for (float frac : new float[] {0f, 0.5f, -0.5f}) {
                float x0 = (n + frac + 0.5f) / 1.44269504088896341f;
                for (int u = -3; u <= 3; u++) {
                    float v = Float.intBitsToFloat(Float.floatToRawIntBits(x0) + u);
                    if (!(v <= 0f)) continue;   // stepping below +0 in bits gives NaN patterns
                    x[filled++] = v;
                    if (filled == L) {
                        checked += compare(x, y);
                        filled = 0;
                    }
                }
            }
        }
        if (checked < 100_000) throw new AssertionError("only " + checked + " inputs checked");
    }

    private static int compare(float[] x, float[] y) {
        Lanes.expNonPositive(FloatVector.fromArray(Lanes.F, x, 0)).intoArray(y, 0);
        for (int i = 0; i < x.length; i++) {
            float s = ScalarMath.expNonPositive(x[i]);
            if (Float.floatToRawIntBits(s) != Float.floatToRawIntBits(y[i])) {
                throw new AssertionError("exp(" + x[i] + "): vector " + y[i] + ", scalar " + s);
            }
            double rel = Math.abs(y[i] - Math.exp(x[i])) / Math.exp(x[i]);
            // Every input the exp does not flush to 0, down to EXP_MIN itself (worst seen near it: 6.0e-8).
            if (x[i] >= Lanes.EXP_MIN && !(rel <= 4 * 0x1p-23)) throw new AssertionError("exp(" + x[i] + ") = " + y[i] + ", relative error " + rel);
        }
        return x.length;
    }
}
