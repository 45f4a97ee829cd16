package dev.onelayer.model.icar;

import dev.onelayer.model.core.GradCheck;
import dev.onelayer.model.core.Params;
import dev.onelayer.model.core.Rng;
import dev.onelayer.model.core.Workspace;
import dev.onelayer.model.train.Model;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Gradients against finite differences, the theory's exact solutions, and the closed-form loss. */
class IcarModelsTest {

    private static final double U = 0x1p-24;

    /**
     * Each model's prediction is linear in every single parameter, so the loss is quadratic along
     * each coordinate and the central difference has no truncation error; what is left is the
     * float32 rounding of two loss evaluations over n terms, bounded by about n u (loss + sum y^2)
     * and divided by the step h (a generous 8x on top).
     */
    private static <B extends dev.onelayer.model.train.Batch> void gradCheck(Model<B> model, B batch, double targetEnergy) {
        Params params = model.params();
        Workspace ws = new Workspace();
        double loss0 = model.forward(batch, 0, batch.size(), ws);
        double h = 1e-2;
        int terms = params.size() + batch.size() * 64;
        double atol = 8 * terms * U * (loss0 + targetEnergy) / h;
        GradCheck.Report rep = GradCheck.check(params, () -> model.forward(batch, 0, batch.size(), new Workspace()), g -> {
            Workspace w = new Workspace();
            model.forward(batch, 0, batch.size(), w);
            model.backward(batch, 0, batch.size(), w, 1f, g);
        }, h, 1e-3, atol);
        assertTrue(rep.passed(), rep.toString());
        assertTrue(rep.checked() == params.size());
    }

    private static double energy(SequenceBatch b) {
        double e = 0;
        for (float x : b.states) e += (double) x * x;
        return e;
    }

    @Test
    void diagonalModelGradientsRealAndComplex() {
        for (boolean complex : new boolean[] {false, true}) {
            ArProcess proc = ArProcess.of(complex ? ArProcess.Kind.UNITARY_DIAGONAL : ArProcess.Kind.ROTATION_BLOCKS, 4, 6, ArProcess.Start.RANDOM);
            DiagonalAttentionModel m = new DiagonalAttentionModel(3, 6, 4, complex, 0.3, Rng.seeded(7));
            SequenceBatch b = proc.newBatch(3);
            proc.sample(Rng.seeded(8), b);
            gradCheck(m, b, energy(b));
        }
    }

    @Test
    void positionalOnlyModelGradientsAndFixedHeads() {
        ArProcess proc = new ArProcess(ArProcess.Kind.SCALAR_COMPLEX, 1, 6, ArProcess.Start.ONES, 0, 3);
        DiagonalAttentionModel m = DiagonalAttentionModel.positionalOnly(6, 1, true);
        m.params().get("P").normal(Rng.seeded(15), 0.3);
        SequenceBatch b = proc.newBatch(4);
        proc.sample(Rng.seeded(16), b);
        assertEquals(1, m.params().count(), "only P is a parameter");
        gradCheck(m, b, energy(b));
        // d = 1, a = b = 1: row r predicts sum_t' p_{r,t'} conj(s_r) s_t' s_t'.
        float[] out = m.predict(b, 0, 1, new Workspace());
        float[] p = m.params().get("P").copyValues();
        for (int r = 0; r < 5; r++) {
            double re = 0, im = 0, qr = b.states[b.offset(0, r)], qi = b.states[b.offset(0, r) + 1];
            for (int s = 0; s <= r + 1; s++) {
                double kr = b.states[b.offset(0, s)], ki = b.states[b.offset(0, s) + 1];
                double zr = qr * kr + qi * ki, zi = qr * ki - qi * kr;          // conj(q) k
                double wr = zr * kr - zi * ki, wi = zr * ki + zi * kr;          // (conj(q) k) k
                re += p[r * 6 + s] * wr;
                im += p[r * 6 + s] * wi;
            }
            assertEquals(re, out[r * 2], 1e-5, "re row " + r);
            assertEquals(im, out[r * 2 + 1], 1e-5, "im row " + r);
        }
    }

    @Test
    void augmentedModelGradientsPerPositionAndShared() {
        ArProcess proc = ArProcess.of(ArProcess.Kind.HAAR_ORTHOGONAL, 3, 5, ArProcess.Start.RANDOM);
        SequenceBatch b = proc.newBatch(3);
        proc.sample(Rng.seeded(9), b);
        gradCheck(new AugmentedModel(3, 5, 3, 0.3, Rng.seeded(10)), b, energy(b));
        gradCheck(new AugmentedModel(3, 5, AugmentedModel.ALL_POSITIONS, 0.3, Rng.seeded(11)), b, energy(b));
    }

    @Test
    void unitaryTheorySolutionIsExact() {
        // C = c I (A = B = sqrt(c) I, H = d), p_{r,r+1} = 1/c, all else 0: lambda^{r+2} = (lambda^{r+1})^2 conj(lambda^r).
        int d = 5, T = 8;
        DiagonalAttentionModel m = new DiagonalAttentionModel(d, T, d, true, 0, Rng.seeded(1));
        double c = -1.3;
        float[] v = m.params().values();
        int a = m.params().get("A").offset(), bb = m.params().get("B").offset(), p = m.params().get("P").offset();
        for (int i = 0; i < d; i++) {
            v[a + i * d + i] = (float) Math.sqrt(1.3);
            v[bb + i * d + i] = (float) -Math.sqrt(1.3);
        }
        for (int r = 0; r < T - 1; r++) v[p + r * T + r + 1] = (float) (1 / c);
        ArProcess proc = ArProcess.of(ArProcess.Kind.UNITARY_DIAGONAL, d, T, ArProcess.Start.RANDOM);
        SequenceBatch b = proc.newBatch(16);
        proc.sample(Rng.seeded(2), b);
        double loss = m.forward(b, 0, b.n, new Workspace());
        assertTrue(loss <= 1e-9 * energy(b), "loss " + loss);
    }

    @Test
    void rotationTheorySolutionIsExact() {
        // C = c blockdiag(J): head h = block k with a_h = b_h = sqrt(c) on both coordinates of the block;
        // p_{r,r+1} = 1/c, p_{r,r} = -1/(2c); s_0 = all-ones (so <s_r, s_r> = 2 per block).
        int d = 6, T = 8;
        DiagonalAttentionModel m = new DiagonalAttentionModel(d / 2, T, d, false, 0, Rng.seeded(1));
        double c = 0.8;
        float[] v = m.params().values();
        int a = m.params().get("A").offset(), bb = m.params().get("B").offset(), p = m.params().get("P").offset();
        for (int h = 0; h < d / 2; h++) {
            for (int j = 2 * h; j < 2 * h + 2; j++) {
                v[a + h * d + j] = (float) Math.sqrt(c);
                v[bb + h * d + j] = (float) Math.sqrt(c);
            }
        }
        for (int r = 0; r < T - 1; r++) {
            v[p + r * T + r + 1] = (float) (1 / c);
            v[p + r * T + r] = (float) (-0.5 / c);
        }
        ArProcess proc = ArProcess.of(ArProcess.Kind.ROTATION_BLOCKS, d, T, ArProcess.Start.ONES);
        SequenceBatch b = proc.newBatch(16);
        proc.sample(Rng.seeded(3), b);
        double loss = m.forward(b, 0, b.n, new Workspace());
        assertTrue(loss <= 1e-9 * energy(b), "loss " + loss);
    }

    @Test
    void complexModelMatchesClosedFormPopulationLoss() {
        // The notes' closed form l_r for unitary data with s_0 = 1, at random (A, B, P): Monte-Carlo
        // mean of the per-sequence loss over n sequences within 5 standard errors.
        int d = 4, T = 6, H = 3, n = 20000;
        DiagonalAttentionModel m = new DiagonalAttentionModel(H, T, d, true, 0.4, Rng.seeded(12));
        ArProcess proc = ArProcess.of(ArProcess.Kind.UNITARY_DIAGONAL, d, T, ArProcess.Start.ONES);
        SequenceBatch b = proc.newBatch(n);
        proc.sample(Rng.seeded(13), b);
        Workspace ws = new Workspace();
        double sum = 0, sq = 0;
        for (int i = 0; i < n; i++) {
            double l = m.forward(b, i, i + 1, ws);
            sum += l;
            sq += l * l;
        }
        double mean = sum / n, se = Math.sqrt((sq / n - mean * mean) / n);
        float[] pv = m.params().get("P").copyValues();
        double[] p = new double[pv.length];
        for (int i = 0; i < p.length; i++) p[i] = pv[i];
        double closed = UnitaryPopulationLoss.total(m.coupling(), d, p, T);
        assertEquals(closed, mean, 5 * se, "closed form vs Monte-Carlo");
    }

    @Test
    void augmentedGdSolutionPredictsOneGdStep() {
        // P_1 = [0, eta I, 0], Q_{32} = I: pred_t = eta sum_{t'} s_{t'} (s_{t'-1}^T s_t) exactly.
        int d = 3, L = 6;
        double eta = 0.07;
        ArProcess proc = ArProcess.of(ArProcess.Kind.HAAR_ORTHOGONAL, d, L, ArProcess.Start.RANDOM);
        SequenceBatch b = proc.newBatch(4);
        proc.sample(Rng.seeded(14), b);
        for (int pos : new int[] {AugmentedModel.ALL_POSITIONS, 4}) {
            AugmentedModel m = new AugmentedModel(d, L, pos, 0, Rng.seeded(1));
            float[] v = m.params().values();
            int po = m.params().get("P").offset(), qo = m.params().get("Q").offset();
            for (int i = 0; i < d; i++) {
                v[po + i * 3 * d + d + i] = (float) eta;
                v[qo + (2 * d + i) * 3 * d + d + i] = 1f;
            }
            float[] pred = m.predict(b, 0, b.n, new Workspace());
            double[] gd = new double[d];
            for (int i = 0; i < b.n; i++) {
                for (int k = 0; k < m.positions(); k++) {
                    AugmentedExperiment.oneGdStep(b, i, m.positionAt(k), gd);
                    for (int c = 0; c < d; c++) {
                        assertEquals(eta * gd[c], pred[(i * m.positions() + k) * d + c], 1e-5 * (1 + Math.abs(eta * gd[c]) * 10),
                                "t=" + m.positionAt(k));
                    }
                }
            }
        }
    }

    @Test
    void modelsRejectMismatchedBatches() {
        DiagonalAttentionModel m = new DiagonalAttentionModel(2, 5, 3, false, 0.1, Rng.seeded(1));
        SequenceBatch wrong = new SequenceBatch(2, 6, 3);
        assertThrows(IllegalArgumentException.class, () -> m.forward(wrong, 0, 2, new Workspace()));
        AugmentedModel a = new AugmentedModel(3, 5, 2, 0.1, Rng.seeded(1));
        assertThrows(IllegalArgumentException.class, () -> a.forward(new SequenceBatch(2, 4, 3), 0, 2, new Workspace()));
        assertThrows(IllegalArgumentException.class, () -> new AugmentedModel(3, 5, 5, 0.1, Rng.seeded(1)));
    }
}
