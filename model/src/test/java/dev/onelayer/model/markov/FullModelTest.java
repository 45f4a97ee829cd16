package dev.onelayer.model.markov;

import dev.onelayer.kernel.SoftmaxAttentionSpec;
import dev.onelayer.model.core.Param;
import dev.onelayer.model.core.Params;
import dev.onelayer.model.core.Rng;
import dev.onelayer.model.core.Workspace;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FullModelTest {

    private static final double U = 0x1.0p-24; // float32 unit roundoff

    /**
     * Float32 error model of a 2-block instance with d = 3: the longest dependent chain has about
     * 19 stages (embedding, per block LN, q/k/v, softmax, c_proj, LN, c_fc, GELU, mlp.c_proj, then
     * LN_f and the head), each an accumulation of at most 4d = 12 terms, so each activation
     * carries a relative error of at most ~19·12·u times the ratio Σ|terms|/|sum|, allowed up to
     * 20 for random weights of std 0.5 (as in TheoryModelTest): ~2.7e-4.
     */
    private static final double FLOAT32_REL = 19 * 12 * U * 20;

    private static MarkovBatch batch(int size, int n, long seed) {
        MarkovTask task = new MarkovTask(BinaryChain.of(0.5, 0.8), n);
        MarkovBatch b = task.newBatch(size);
        task.sample(Rng.seeded(seed), b);
        return b;
    }

    /** Random weights everywhere, gains around 1 and a nonzero bias, so every gradient path is exercised. */
    private static FullModel randomModel(FullModel.Config c, long seed) {
        FullModel model = new FullModel(c).initGpt2(Rng.seeded(seed), 0.5);
        Rng rng = Rng.seeded(seed + 100);
        for (Param p : model.params().list()) {
            if (p.name().contains("ln")) {
                for (int i = 0; i < p.size(); i++) p.set(i, (float) (1 + 0.3 * rng.normal()));
            } else if (p == model.headBias() || p.name().contains("c_proj")) {
                p.normal(rng, 0.5);
            }
        }
        return model;
    }

    private void forwardAndGradient(boolean tied, int layers, int window, long seed) {
        int d = 3, n = 5, size = 2;
        FullModel model = randomModel(new FullModel.Config(2, d, layers, n, tied, window), seed);
        MarkovBatch b = batch(size, n, seed + 1);
        float[] w = model.params().values();
        double[] t = new double[w.length];
        for (int i = 0; i < w.length; i++) t[i] = w[i];
        double reference = ReferenceFullModel.loss(model, t, b);
        Workspace ws = new Workspace();
        double loss = model.forward(b, 0, size, ws) / size;
        assertEquals(reference, loss, FLOAT32_REL * Math.abs(reference), "forward vs float64 reference");

        // Central differences of the float64 reference: h = 1e-5 gives truncation ~h²|L'''| and
        // rounding ~1e-16/h, both < 1e-9 (the model is smooth: GELU, softmax, LayerNorm with ε).
        double hStep = 1e-5;
        float[] g = new float[model.params().size()];
        model.backward(b, 0, size, ws, 1f / size, g);
        double gMax = 0;
        for (float v : g) gMax = Math.max(gMax, Math.abs(v));
        Params ps = model.params();
        String worst = "";
        double worstRatio = 0;
        for (int i = 0; i < t.length; i++) {
            double keep = t[i];
            t[i] = keep + hStep;
            double lp = ReferenceFullModel.loss(model, t, b);
            t[i] = keep - hStep;
            double lm = ReferenceFullModel.loss(model, t, b);
            t[i] = keep;
            double numeric = (lp - lm) / (2 * hStep);
            double allowed = FLOAT32_REL * (Math.abs(numeric) + gMax);
            double ratio = Math.abs(numeric - g[i]) / allowed;
            if (ratio > worstRatio) {
                worstRatio = ratio;
                worst = ps.label(i) + " analytic=" + g[i] + " numeric=" + numeric;
            }
        }
        assertTrue(worstRatio <= 1, "gradient vs float64 finite differences (tied=" + tied + ", layers=" + layers + ", window=" + window
                + "): worst " + worst + " error/allowed=" + worstRatio);
    }

    @Test
    void forwardAndGradientMatchFloat64ReferenceUntied() {
        forwardAndGradient(false, 1, SoftmaxAttentionSpec.NO_WINDOW, 41);
    }

    @Test
    void forwardAndGradientMatchFloat64ReferenceTied() {
        forwardAndGradient(true, 1, SoftmaxAttentionSpec.NO_WINDOW, 51);
    }

    @Test
    void forwardAndGradientMatchFloat64ReferenceTwoLayersWithWindow() {
        forwardAndGradient(true, 2, 2, 61);
        forwardAndGradient(false, 2, 1, 71);
    }

    @Test
    void gpt2InitialisationAndDecayGroups() {
        FullModel tied = new FullModel(FullModel.Config.of(8, 4, 16, true)).initGpt2(Rng.seeded(3), 0.02);
        FullModel untied = new FullModel(FullModel.Config.of(8, 4, 16, false));
        assertSame(tied.tokenEmbedding(), tied.head());
        assertEquals(untied.params().size() - 16, tied.params().size());
        assertEquals(Params.NO_DECAY, tied.tokenEmbedding().group(), "tied table is an Embedding: no decay");
        assertEquals(Params.DECAY, untied.head().group(), "untied head is a Linear: decay");
        assertEquals(Params.NO_DECAY, tied.headBias().group());
        assertEquals(Params.NO_DECAY, tied.positions().group());
        Params ps = tied.params();
        assertEquals(Params.NO_DECAY, ps.get("h3.ln_2").group());
        assertEquals(Params.DECAY, ps.get("h0.attn.c_attn").group());
        for (int i = 0; i < 8; i++) assertEquals(1f, ps.get("h2.ln_1").get(i));
        assertEquals(0f, tied.headBias().get(0));
        // residual projections get std 0.02/sqrt(2·4): the sample std of 4·8·32 = 1024 entries has a
        // relative standard error of 1/sqrt(2·1024) = 2.2%, so 10% is a 4.5-sigma bound
        double ss = 0;
        int count = 0;
        for (int l = 0; l < 4; l++) {
            Param p = ps.get("h" + l + ".mlp.c_proj");
            for (int i = 0; i < p.size(); i++, count++) ss += (double) p.get(i) * p.get(i);
        }
        assertEquals(0.02 / Math.sqrt(8), Math.sqrt(ss / count), 0.1 * 0.02 / Math.sqrt(8));
    }

    @Test
    void predictIsTheSoftmaxProbabilityOfSymbolOne() {
        int n = 6, size = 3;
        FullModel model = randomModel(FullModel.Config.of(4, 1, n, false), 9);
        MarkovBatch b = batch(size, n, 10);
        float[] f = new float[size * n];
        Workspace ws = new Workspace();
        double loss = model.predict(b, 0, size, ws, f);
        double ce = 0;
        for (int i = 0; i < size; i++) {
            double seq = 0;
            for (int t = 0; t < n; t++) seq -= Math.log(b.symbol(i, t + 1) == 1 ? f[i * n + t] : 1 - f[i * n + t]);
            ce += seq / n;
        }
        assertEquals(loss, ce, 1e-5 * loss);
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> new FullModel.Config(2, 8, 0, 16, true, -1));
        assertThrows(IllegalArgumentException.class, () -> new FullModel.Config(1, 8, 1, 16, true, -1));
        assertThrows(IllegalArgumentException.class, () -> new FullModel.Config(2, 8, 1, 16, true, -2));
        FullModel model = new FullModel(FullModel.Config.of(4, 1, 10, true));
        assertThrows(IllegalArgumentException.class, () -> model.forward(batch(2, 9, 1), 0, 2, new Workspace()));
        MarkovBatch multi = new MarkovTask(MultiStateChain.of(3, 0.2), 10).newBatch(2);
        assertThrows(IllegalArgumentException.class, () -> model.forward(multi, 0, 2, new Workspace()));
    }
}
