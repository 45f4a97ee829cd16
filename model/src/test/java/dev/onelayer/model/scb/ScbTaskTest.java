package dev.onelayer.model.scb;

import dev.onelayer.model.core.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Generator facts and the closed-form population quantities against Monte-Carlo. */
class ScbTaskTest {

    private static void assertColumnStochastic(double[] m, int rows, int cols, int maxNonZeros) {
        for (int c = 0; c < cols; c++) {
            double s = 0;
            int nz = 0;
            for (int r = 0; r < rows; r++) {
                double x = m[r * cols + c];
                assertTrue(x >= 0, "entry (" + r + ", " + c + ") = " + x);
                s += x;
                if (x > 0) nz++;
            }
            // each entry is a normalised double: the sum is 1 up to rows roundings of 2^-53
            assertEquals(1.0, s, rows * 0x1p-52, "column " + c);
            assertTrue(nz <= maxNonZeros, "column " + c + " has " + nz + " non-zeros, more than " + maxNonZeros);
        }
    }

    @Test
    void generatorsGiveColumnStochasticPAndQSparseAttention() {
        for (String kind : new String[] {"pmix", "dirichlet"}) {
            for (long seed = 1; seed <= 5; seed++) {
                ScbTask task = new ScbTaskConfig(7, 30, 3, kind, 2.0).build(seed);
                assertColumnStochastic(task.transition(), 7, 7, "pmix".equals(kind) ? 3 : 7);
                assertColumnStochastic(task.attention(), 30, 7, 3);
            }
        }
        // pmix has exact zeros (what pins the valley, Validated settings 1) and is doubly stochastic
        double[] p = ScbTaskConfig.recoveryDefault().build(3).transition();
        int zeros = 0;
        for (double x : p) if (x == 0) zeros++;
        assertTrue(zeros >= 100 - 30, "pmix P has only " + zeros + " zeros");
    }

    @Test
    void muIsStationary() {
        for (String kind : new String[] {"pmix", "dirichlet"}) {
            ScbTask task = new ScbTaskConfig(9, 10, 2, kind, 1.0).build(11);
            double[] mu = task.stationary();
            double sum = 0;
            for (int i = 0; i < 9; i++) {
                double pm = 0;
                for (int j = 0; j < 9; j++) pm += task.p(i, j) * mu[j];
                assertEquals(mu[i], pm, 1e-12, kind + ": (P mu)_" + i);
                sum += mu[i];
            }
            assertEquals(1.0, sum, 1e-12);
        }
        // a periodic chain (a single cycle) still gets its stationary law (lazy power iteration)
        double[] cycle = new double[16];
        for (int j = 0; j < 4; j++) cycle[((j + 1) % 4) * 4 + j] = 1;
        double[] a = new double[4 * 2];
        for (int k = 0; k < 4; k++) a[k] = 1; // every query reads position 0
        ScbTask task = new ScbTask(4, 2, 1, cycle, a);
        for (int i = 0; i < 4; i++) assertEquals(0.25, task.mu(i), 1e-12);
    }

    @Test
    void rejectsBadInputs() {
        double[] p = {0.5, 0.5, 0.5, 0.4};
        assertThrows(IllegalArgumentException.class, () -> new ScbTask(2, 1, 1, p, new double[] {1, 1}));
        double[] ok = {0.5, 0.5, 0.5, 0.5};
        double[] dense = {0.5, 0.5, 0.5, 0.5}; // T=2, Q=1: columns have 2 non-zeros
        assertThrows(IllegalArgumentException.class, () -> new ScbTask(2, 2, 1, ok, dense));
        assertThrows(IllegalArgumentException.class, () -> new ScbTaskConfig(10, 50, 2, "nope", 1.0));
    }

    @Test
    void samplesFollowTheTask() {
        ScbTask task = new ScbTaskConfig(5, 8, 2, "dirichlet", 1.0).build(4);
        ScbBatch b = new ScbBatch(20_000, 8);
        task.sample(Rng.seeded(9), b);
        // every read position is in the support of q^(k), and the target is reachable from the token there
        for (int e = 0; e < b.batch; e++) {
            assertTrue(task.aStar(b.positions[e], b.queries[e]) > 0);
            assertTrue(task.p(b.targets[e], b.tokens[e * 8 + b.positions[e]]) > 0);
        }
        // token frequencies match mu: binomial sd sqrt(mu(1-mu)/M) with M = B*T draws; 5 sd
        int m = b.batch * 8;
        double[] freq = new double[5];
        for (int x : b.tokens) freq[x] += 1.0 / m;
        for (int i = 0; i < 5; i++) {
            assertEquals(task.mu(i), freq[i], 5 * Math.sqrt(task.mu(i) * (1 - task.mu(i)) / m), "token " + i);
        }
    }

    @Test
    void secondMomentMatchesMonteCarlo() {
        int n = 5, t = 40, m = 200_000;
        ScbTask task = new ScbTaskConfig(n, t, 3, "dirichlet", 1.0).build(2);
        Rng rng = Rng.seeded(5);
        double[] q = rng.dirichlet(t, 0.5);
        double[] closed = ScbPopulation.secondMoment(task.stationary(), q);
        double[] sum = new double[n * n], sumSq = new double[n * n];
        ScbBatch b = new ScbBatch(1000, t);
        double[] h = new double[n];
        for (int done = 0; done < m; done += b.batch) {
            task.sample(rng, b);
            for (int e = 0; e < b.batch; e++) {
                java.util.Arrays.fill(h, 0);
                for (int p = 0; p < t; p++) h[b.tokens[e * t + p]] += q[p];
                for (int i = 0; i < n * n; i++) {
                    double x = h[i / n] * h[i % n];
                    sum[i] += x;
                    sumSq[i] += x * x;
                }
            }
        }
        for (int i = 0; i < n * n; i++) {
            double mean = sum[i] / m, sd = Math.sqrt(Math.max(sumSq[i] / m - mean * mean, 0) / m);
            assertEquals(closed[i], mean, 5 * sd + 1e-12, "entry (" + i / n + ", " + i % n + ")");
        }
    }

    @Test
    void populationLossMatchesMonteCarloAndItsMinimum() {
        int n = 4, t = 6;
        ScbTask task = new ScbTaskConfig(n, t, 2, "dirichlet", 1.0).build(8);
        Rng rng = Rng.seeded(3);
        ScbModel model = new ScbModel(n, t);
        // arbitrary (not simplex) parameters: the closed form holds for any V, A
        for (int i = 0; i < model.v.length; i++) model.v[i] = (float) rng.uniform(-0.5, 1);
        for (int i = 0; i < model.aT.length; i++) model.aT[i] = (float) rng.uniform(-0.2, 0.6);
        double closed = ScbPopulation.loss(task, model.v, model.attention());
        // the model overload reads A^T in place, in the same order: the same bits
        assertEquals(closed, ScbPopulation.loss(task, model), 0.0);
        ScbBatch b = new ScbBatch(2000, t);
        int reps = 100;
        double sum = 0, sumSq = 0;
        for (int r = 0; r < reps; r++) {
            task.sample(rng, b);
            float[] y = model.forward(b);
            for (int e = 0; e < b.batch; e++) {
                double l = 0;
                for (int i = 0; i < n; i++) {
                    double d = (i == b.targets[e] ? 1 : 0) - (double) y[e * n + i];
                    l += 0.5 * d * d;
                }
                sum += l;
                sumSq += l * l;
            }
        }
        int m = reps * b.batch;
        double mean = sum / m, sd = Math.sqrt((sumSq / m - mean * mean) / m);
        // 5 sd of the sample mean, plus float32 forward rounding (|y| < 4: relative 1e-6 of the loss)
        assertEquals(closed, mean, 5 * sd + 1e-6 * Math.abs(closed));

        // L* = L(P, A*), and it is below the loss at perturbed parameters
        double[] p = task.transition(), a = task.attention();
        double lStar = ScbPopulation.optimalLoss(task);
        assertEquals(lStar, ScbPopulation.loss(task, p, a), 1e-14);
        assertTrue(ScbPopulation.loss(task, model) > lStar);
    }

    @Test
    void valleyExcessIsExact() {
        // Validated settings 1: V_a = (1-a) mu 1^T + a P, A_a = A*/a + (1 - 1/a)/T has excess 1/2 (a-1)^2 tr(PDP^T)/T
        ScbTask task = ScbTaskConfig.recoveryDefault().build(1);
        int n = task.vocab(), t = task.seqLen();
        for (double alpha : new double[] {0.8, 1.2, 2.0}) {
            double[] v = new double[n * n], a = new double[t * n];
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) v[i * n + j] = (1 - alpha) * task.mu(i) + alpha * task.p(i, j);
            for (int p = 0; p < t; p++) for (int k = 0; k < n; k++) a[p * n + k] = task.aStar(p, k) / alpha + (1 - 1 / alpha) / t;
            double expected = 0.5 * (alpha - 1) * (alpha - 1) * ScbPopulation.transitionSignal(task) / t;
            double excess = ScbPopulation.loss(task, v, a) - ScbPopulation.optimalLoss(task);
            // float64 evaluation of O(N^2 + TN) terms of size <= 1: cancellation error well below 1e-12
            assertEquals(expected, excess, 1e-12, "alpha=" + alpha);
        }
    }
}
