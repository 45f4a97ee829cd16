package dev.onelayer.model.markov;

import dev.onelayer.model.core.Params;
import dev.onelayer.model.core.Rng;
import dev.onelayer.model.core.Workspace;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TheoryModelTest {

    private static final double U = 0x1.0p-24; // float32 unit roundoff

    private static MarkovBatch batch(int size, int n, long seed) {
        MarkovTask task = new MarkovTask(BinaryChain.of(0.5, 0.8), n);
        MarkovBatch b = task.newBatch(size);
        task.sample(Rng.seeded(seed), b);
        return b;
    }

    private static double[] theta(TheoryModel m) {
        float[] w = m.params().values();
        double[] t = new double[w.length];
        for (int i = 0; i < w.length; i++) t[i] = w[i];
        return t;
    }

    /**
     * Float32 error model for this tiny instance: the longest dependent chain is about six layers,
     * each an accumulation of at most 4d = 12 products (or N = 6 softmax terms), so each activation
     * carries a relative error of at most ~ 6·12·u ≈ 4.3e-6 times the ratio Σ|terms|/|sum|; we allow
     * that ratio up to 20 (random weights of std 0.5 on a 3-wide model), giving ~1e-4.
     */
    private static final double FLOAT32_REL = 6 * 12 * U * 20;

    private void forwardAndGradient(boolean tied, int window, long seed) {
        forwardAndGradient(3, 6, 3, tied, window, seed, FLOAT32_REL);
    }

    private void forwardAndGradient(int d, int n, int size, boolean tied, int window, long seed, double float32Rel) {
        final double FLOAT32_REL = float32Rel;
        TheoryModel model = new TheoryModel(new TheoryModel.Config(d, n, tied, window)).initNormal(Rng.seeded(seed), 0.5);
        model.params().values()[model.b().offset()] = 0.3f; // b = 0 would leave its gradient path untested
        MarkovBatch b = batch(size, n, seed + 1);
        double[] t = theta(model);
        double[] minPre = new double[1];
        double reference = ReferenceTheoryModel.loss(model, t, b, minPre);
        Workspace ws = new Workspace();
        double loss = model.forward(b, 0, size, ws) / size;
        assertEquals(reference, loss, FLOAT32_REL * Math.abs(reference), "forward vs float64 reference");

        // Finite differences of the float64 reference: h = 1e-5 gives truncation ~h²|L'''| and
        // rounding ~1e-16/h, both < 1e-9, negligible next to the float32 analytic gradient's error.
        double hStep = 1e-5;
        assertTrue(minPre[0] > 100 * hStep, "instance too close to a ReLU kink for finite differences: " + minPre[0]);
        float[] g = new float[model.params().size()];
        model.forward(b, 0, size, ws);
        model.backward(b, 0, size, ws, 1f / size, g);
        double gMax = 0;
        for (float v : g) gMax = Math.max(gMax, Math.abs(v));
        Params ps = model.params();
        String worst = "";
        double worstRatio = 0;
        for (int i = 0; i < t.length; i++) {
            double keep = t[i];
            t[i] = keep + hStep;
            double lp = ReferenceTheoryModel.loss(model, t, b, null);
            t[i] = keep - hStep;
            double lm = ReferenceTheoryModel.loss(model, t, b, null);
            t[i] = keep;
            double numeric = (lp - lm) / (2 * hStep);
            // relative float32 error of each term, measured against the largest gradient entry
            // (cancellation between the tied uses of e can make one entry small)
            double allowed = FLOAT32_REL * (Math.abs(numeric) + gMax);
            double ratio = Math.abs(numeric - g[i]) / allowed;
            if (ratio > worstRatio) {
                worstRatio = ratio;
                worst = ps.label(i) + " analytic=" + g[i] + " numeric=" + numeric;
            }
        }
        assertTrue(worstRatio <= 1, "gradient vs float64 finite differences (tied=" + tied + ", window=" + window + "): worst " + worst
                + " error/allowed=" + worstRatio);
    }

    @Test
    void forwardAndGradientMatchFloat64ReferenceUntied() {
        forwardAndGradient(false, -1, 11);
    }

    @Test
    void forwardAndGradientMatchFloat64ReferenceTied() {
        forwardAndGradient(true, -1, 21);
    }

    @Test
    void forwardAndGradientMatchFloat64ReferenceWithWindow() {
        forwardAndGradient(true, 2, 31);
    }

    /**
     * The paper's width d = 8, which the vector kernels run through their fixed-width softmax
     * attention, with N = 19 so rows end both on and inside a key vector. The same error model with
     * chains of at most max(4d, N) = 32 terms: 6·32·u·20.
     */
    @Test
    void forwardAndGradientMatchFloat64ReferenceAtWidthEight() {
        forwardAndGradient(8, 19, 1, false, -1, kinkFreeSeed(8, 19, 1, false, -1, 51), 6 * 32 * U * 20);
        forwardAndGradient(8, 19, 1, true, -1, kinkFreeSeed(8, 19, 1, true, -1, 52), 6 * 32 * U * 20);
        forwardAndGradient(8, 19, 1, true, 5, kinkFreeSeed(8, 19, 1, true, 5, 53), 6 * 32 * U * 20);
    }

    /**
     * The first seed from {@code from} on (steps of 100) whose instance keeps every ReLU
     * pre-activation at least 100 finite-difference steps from 0 (with 4d·N = 608 of them, a
     * random instance often has one closer); chosen by that precondition alone, never by the
     * gradient check's outcome.
     */
    private static long kinkFreeSeed(int d, int n, int size, boolean tied, int window, long from) {
        for (long seed = from; ; seed += 100) {
            TheoryModel model = new TheoryModel(new TheoryModel.Config(d, n, tied, window)).initNormal(Rng.seeded(seed), 0.5);
            model.params().values()[model.b().offset()] = 0.3f;
            double[] minPre = new double[1];
            ReferenceTheoryModel.loss(model, theta(model), batch(size, n, seed + 1), minPre);
            if (minPre[0] > 100 * 1e-5) return seed;
        }
    }

    @Test
    void tiedModelHasNoSeparateOutputVector() {
        TheoryModel tied = new TheoryModel(TheoryModel.Config.of(4, 8, true));
        TheoryModel untied = new TheoryModel(TheoryModel.Config.of(4, 8, false));
        assertEquals(untied.params().size() - 4, tied.params().size());
        assertTrue(tied.a() == tied.e());
        assertEquals(Params.NO_DECAY, tied.positions().group());
        assertEquals(Params.NO_DECAY, tied.b().group());
        assertEquals(Params.DECAY, tied.e().group());
        assertEquals(Params.DECAY, untied.a().group());
    }

    /** At θ_π every prediction is σ(log(p/q)) = π_1 and, tied, only e and b get a gradient. */
    @Test
    void unigramPointPredictsPiEverywhere() {
        double p = 0.5, q = 0.8, pi1 = p / (p + q);
        int n = 16, size = 4;
        TheoryModel model = new TheoryModel(TheoryModel.Config.of(4, n, true)).initUnigram(Rng.seeded(5), 0.02, p, q);
        MarkovBatch b = batch(size, n, 6);
        float[] f = new float[size * n];
        Workspace ws = new Workspace();
        double loss = model.predict(b, 0, size, ws, f) / size;
        float bias = (float) Math.log(p / q);
        double sig = 1 / (1 + Math.exp(-bias));
        assertEquals(pi1, sig, 1e-7); // b rounded to float32
        double expected = 0;
        for (int i = 0; i < size; i++) {
            for (int t = 0; t < n; t++) {
                assertEquals(sig, f[i * n + t], 2 * U, "prediction at (" + i + ", " + t + ")");
                expected -= b.symbol(i, t + 1) == 1 ? Math.log(sig) : Math.log(1 - sig);
            }
        }
        assertEquals(expected / (size * n), loss, 1e-6 * expected / (size * n));
        float[] g = new float[model.params().size()];
        model.backward(b, 0, size, ws, 1f / size, g);
        for (var prm : model.params().list()) {
            boolean moves = prm == model.e() || prm == model.b();
            double norm = 0;
            for (int i = 0; i < prm.size(); i++) norm += Math.abs(g[prm.offset() + i]);
            if (!moves) assertEquals(0.0, norm, "gradient of " + prm.name() + " at θ_π must vanish exactly");
        }
    }

    @Test
    void chunksAddUpToTheWholeBatch() {
        int n = 10, size = 5;
        TheoryModel model = new TheoryModel(TheoryModel.Config.of(4, n, false)).initNormal(Rng.seeded(7), 0.3);
        MarkovBatch b = batch(size, n, 8);
        double whole = model.forward(b, 0, size, new Workspace());
        double parts = model.forward(b, 0, 2, new Workspace()) + model.forward(b, 2, size, new Workspace());
        assertEquals(whole, parts, 1e-5 * whole);
    }

    @Test
    void rejectsBadInput() {
        TheoryModel model = new TheoryModel(TheoryModel.Config.of(4, 10, true));
        assertThrows(IllegalArgumentException.class, () -> model.forward(batch(2, 9, 1), 0, 2, new Workspace()));
        assertThrows(IllegalArgumentException.class, () -> model.forward(batch(2, 10, 1), 1, 1, new Workspace()));
        MarkovBatch multi = new MarkovTask(MultiStateChain.of(3, 0.2), 10).newBatch(2);
        assertThrows(IllegalArgumentException.class, () -> model.forward(multi, 0, 2, new Workspace()));
        assertThrows(IllegalArgumentException.class, () -> new TheoryModel.Config(0, 10, true, -1));
        assertThrows(IllegalArgumentException.class, () -> new TheoryModel(TheoryModel.Config.of(2, 4, true)).initUnigram(Rng.seeded(1), 0.02, 0, 0.5));
    }
}
