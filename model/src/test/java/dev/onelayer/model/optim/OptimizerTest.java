package dev.onelayer.model.optim;

import dev.onelayer.model.core.Params;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.*;

/** Optimizer steps against hand-computed values (float64 arithmetic written out in the test). */
class OptimizerTest {

    /** Float32 state and parameters: a handful of roundings, each at most u = 2^-24 relative. */
    static final double REL = 16 * 0x1p-24;

    static Params twoGroups() {
        Params p = new Params();
        p.add("W", Params.DECAY, 1, 1).fill(1f);
        p.add("b", Params.NO_DECAY, 1).fill(1f);
        return p;
    }

    static void grads(Params p, float g) {
        p.grads()[0] = g;
        p.grads()[1] = g;
    }

    @Test
    void adamWBiasCorrectionAndDecoupledDecayOnlyOnTheDecayGroup() {
        Params p = twoGroups();
        AdamW opt = new AdamW(0.9, 0.999, 1e-8, 0.01, true);
        double lr = 0.1;
        grads(p, 0.5f);
        opt.step(p, lr);
        // t=1: m = 0.1*0.5 = 0.05, v = 0.001*0.25 = 2.5e-4, m̂ = 0.5, v̂ = 0.25: update = lr*0.5/(0.5+1e-8)
        double upd1 = lr * 0.5 / (0.5 + 1e-8);
        double w1 = 1.0 * (1 - lr * 0.01) - upd1;  // decoupled shrink 1 - lr*λ first
        double b1 = 1.0 - upd1;                    // no_decay group: no shrink
        assertEquals(w1, p.values()[0], REL * Math.abs(w1));
        assertEquals(b1, p.values()[1], REL * Math.abs(b1));

        grads(p, -0.25f);
        opt.step(p, lr);
        // t=2: m = 0.9*0.05 + 0.1*(-0.25) = 0.02; v = 0.999*2.5e-4 + 0.001*0.0625 = 3.1225e-4
        double m = 0.02, v = 3.1225e-4;
        double mHat = m / (1 - 0.81), vHat = v / (1 - 0.998001);
        double upd2 = lr * mHat / (Math.sqrt(vHat) + 1e-8);
        double w2 = w1 * (1 - lr * 0.01) - upd2;
        double b2 = b1 - upd2;
        assertEquals(w2, p.values()[0], REL * Math.abs(w2));
        assertEquals(b2, p.values()[1], REL * Math.abs(b2));
        assertEquals(2, opt.steps());
    }

    @Test
    void adamWGroupDecayCanBeSetPerGroup() {
        Params p = twoGroups();
        AdamW opt = new AdamW(0.9, 0.999, 1e-8, 0.0, true).groupDecay(Params.NO_DECAY, 0.5);
        grads(p, 0f);
        opt.step(p, 0.1);
        // zero gradient: m = v = 0, so only decay acts: b ← b(1 − 0.1·0.5), W untouched.
        assertEquals(1f, p.values()[0]);
        assertEquals(0.95, p.values()[1], REL);
    }

    @Test
    void adamWithCoupledL2AddsDecayToTheGradient() {
        Params p = twoGroups();
        AdamW opt = new AdamW(0.9, 0.999, 0, 0.5, false);
        grads(p, 0.5f);
        opt.step(p, 0.1);
        // g_W = 0.5 + 0.5*1 = 1 and g_b = 0.5; with eps = 0 the first Adam step is lr·sign(g).
        assertEquals(0.9, p.values()[0], REL);
        assertEquals(0.9, p.values()[1], REL);
        assertEquals("adam-l2", opt.name());
    }

    @Test
    void sgdMomentumMatchesTorchRecursion() {
        Params p = twoGroups();
        Sgd opt = new Sgd(0.9, 0.0);
        grads(p, 0.5f);
        opt.step(p, 0.1);
        assertEquals(0.95, p.values()[0], REL); // buffer = g on the first step
        opt.step(p, 0.1);
        assertEquals(0.95 - 0.1 * (0.9 * 0.5 + 0.5), p.values()[0], REL);
    }

    @Test
    void sgdCoupledDecayRespectsGroups() {
        Params p = twoGroups();
        Sgd opt = new Sgd(0, 0.1);
        grads(p, 0f);
        opt.step(p, 1.0);
        assertEquals(0.9, p.values()[0], REL);
        assertEquals(1f, p.values()[1]);
    }

    @Test
    void optimizerStateRoundTripsAndRefusesWrongSize() throws IOException {
        Params p = twoGroups();
        AdamW a = new AdamW(0.01);
        grads(p, 0.3f);
        a.step(p, 0.1);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        a.writeState(new DataOutputStream(bos));
        AdamW b = new AdamW(0.01);
        b.readState(new DataInputStream(new ByteArrayInputStream(bos.toByteArray())), p);
        Params p2 = p.copy();
        grads(p, 0.2f);
        grads(p2, 0.2f);
        a.step(p, 0.1);
        b.step(p2, 0.1);
        assertArrayEquals(p.values(), p2.values());

        Params other = new Params();
        other.add("W", 3);
        AdamW c = new AdamW(0.01);
        IOException e = assertThrows(IOException.class,
                () -> c.readState(new DataInputStream(new ByteArrayInputStream(bos.toByteArray())), other));
        assertTrue(e.getMessage().contains("3 parameters"), e.getMessage());
        assertEquals(0, c.steps());
    }

    @Test
    void softThresholdShrinksTowardZeroByLrTimesLambda() {
        Params p = new Params();
        p.add("A", 1, 5).from(new float[]{0.5f, -0.5f, 0.05f, -0.05f, 0f});
        Prox.l1("A", 1.0).apply(p, 0.1);
        assertArrayEquals(new float[]{0.4f, -0.4f, 0f, 0f, 0f}, p.values(), 1e-7f);
        assertThrows(IllegalArgumentException.class, () -> Prox.softThreshold(p.values(), 0, 5, -1));
    }

    @Test
    void simplexProjectionHandExample() {
        // column (0.5, 0.5, 0.5): tau = (1.5 - 1)/3 -> 1/3 each;
        // column (1, 0.2, -0.4): sorted 1, 0.2, -0.4; j=1: 1-(0)=1>0; j=2: 0.2-(0.2/2)=0.1>0, tau=0.1;
        // j=3: -0.4-((0.8-1)/3)= -0.333<0. x = (0.9, 0.1, 0).
        float[] a = {0.5f, 1f, 0.5f, 0.2f, 0.5f, -0.4f};
        Projections.simplexColumns(a, 0, 3, 2, new double[3]);
        float third = (float) (0.5 - 1.0 / 6);
        assertArrayEquals(new float[]{third, 0.9f, third, 0.1f, third, 0f}, a, 1e-7f);
    }

    @Test
    void simplexProjectionIsTheNearestPointKkt() {
        java.util.Random r = new java.util.Random(3);
        int rows = 7, cols = 5;
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) v[i] = (float) (2 * r.nextGaussian());
        float[] x = v.clone();
        Projections.simplexColumns(x, 0, rows, cols, new double[rows]);
        for (int c = 0; c < cols; c++) {
            double s = 0;
            // KKT: x = max(v - tau, 0) for one tau; so v - x is the same (tau) on the support and >= ... off it
            double tau = Double.NaN;
            for (int i = 0; i < rows; i++) {
                float xi = x[i * cols + c];
                assertTrue(xi >= 0);
                s += xi;
                if (xi > 0) {
                    double t = v[i * cols + c] - xi;
                    if (Double.isNaN(tau)) tau = t;
                    assertEquals(tau, t, 4e-6 * (1 + Math.abs(tau)));
                }
            }
            for (int i = 0; i < rows; i++) if (x[i * cols + c] == 0) assertTrue(v[i * cols + c] <= tau + 4e-6 * (1 + Math.abs(tau)));
            assertEquals(1.0, s, rows * 0x1p-23);
        }
    }

    @Test
    void affineProjectionMakesColumnsSumToOneAndIsOrthogonal() {
        float[] a = {1f, 2f, 3f, 4f}; // 2x2, columns (1,3) and (2,4)
        Projections.affineColumns(a, 0, 2, 2);
        assertArrayEquals(new float[]{-0.5f, -0.5f, 1.5f, 1.5f}, a, 0f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Projections.affineColumns(a, 1, 2, 2));
        assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
    }

    @Test
    void clipByGlobalNormScalesOnlyAboveTheBound() {
        float[] g = {3f, 4f};
        assertEquals(5.0, GradClip.clipByGlobalNorm(g, 10), 0);
        assertArrayEquals(new float[]{3f, 4f}, g);
        assertEquals(5.0, GradClip.clipByGlobalNorm(g, 1), 0);
        assertEquals(1.0, GradClip.globalNorm(g), 1e-6);
        assertEquals(0.6, g[0], 1e-6);
        assertThrows(IllegalArgumentException.class, () -> GradClip.clipByGlobalNorm(g, 0));
    }
}
