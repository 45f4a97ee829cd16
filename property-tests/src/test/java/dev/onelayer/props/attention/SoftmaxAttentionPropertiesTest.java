package dev.onelayer.props.attention;

import dev.onelayer.kernel.AttentionOps;
import dev.onelayer.kernel.SoftmaxAttentionSpec;
import dev.onelayer.props.harness.Gen;
import dev.onelayer.props.harness.Harness;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Form 4 (fused softmax attention) against the float64 reference with materialised probabilities. */
class SoftmaxAttentionPropertiesTest {

    private static final int CASES = 100;

    private static int[] dims(Gen g) {
        return new int[] {g.dim(0, 2), g.dim(0, 2), g.dim(40), g.dim(16), g.dim(16)};
    }

    private static SoftmaxAttentionSpec spec(int[] d, Gen g) {
        int T = d[2];
        boolean causal = g.nextInt(4) != 0;
        int w = causal && g.nextBoolean() ? g.nextInt(T + 2) : SoftmaxAttentionSpec.NO_WINDOW;
        float scale = g.nextBoolean() ? (float) (1 / Math.sqrt(Math.max(1, d[3]))) : g.coefficient();
        return new SoftmaxAttentionSpec(d[0], d[1], T, d[3], d[4], scale, causal, w);
    }

    /** Values whose scores stay moderate (the WIDE distribution would make every bound vacuous). */
    private static float[] values(Gen g, int n) {
        Gen.Dist[] ok = {Gen.Dist.UNIFORM, Gen.Dist.NORMAL, Gen.Dist.SPARSE};
        return g.array(n, ok[g.nextInt(ok.length)]);
    }

    /** Runs forward, probabilities and backward of one case and checks all three against the reference. */
    static void checkCase(AttentionOps ops, SoftmaxAttentionSpec sp, float[] q, float[] k, float[] v, float[] dOut) {
        String name = ops.name() + " " + sp;
        float[] ws = new float[sp.workspaceFloats()];
        float[] out = new float[sp.vFloats()], lse = new float[sp.rowFloats()];
        Arrays.fill(out, Float.NaN);
        ops.softmax(sp, q, k, v, out, lse, ws);
        SoftmaxRef ref = new SoftmaxRef(sp, q, k, v);
        Bounds.check(name + " out", out, ref.out, ref.outBound);
        Bounds.check(name + " lse", lse, ref.lse, ref.lseBound);
        float[] again = new float[out.length], lse2 = new float[lse.length];
        ops.softmax(sp, q, k, v, again, lse2, ws);
        Bounds.sameBits(name + " repeat out", out, again, 0, out.length);

        float[] probs = new float[sp.probabilityFloats()];
        Arrays.fill(probs, Float.NaN);
        ops.softmaxProbabilities(sp, q, k, lse, probs, ws);
        Bounds.check(name + " probabilities", probs, ref.probs, ref.probsBound);
        int T = sp.seqLen();
        for (int row = 0; row < sp.rowFloats(); row++) {
            int t = row % T;
            double sum = 0;
            for (int j = 0; j < T; j++) {
                float p = probs[row * T + j];
                boolean attended = j >= sp.first(t) && j <= sp.last(t);
                if (!attended && p != 0f) throw new AssertionError(name + ": masked probability [" + row + "][" + j + "] = " + p);
                if (!(p >= 0f && p <= 1f)) throw new AssertionError(name + ": probability [" + row + "][" + j + "] = " + p);
                sum += p;
            }
            double tol = 2 * ref.rel[row] + (T + 2) * Bounds.U;
            if (!(Math.abs(sum - 1) <= tol)) throw new AssertionError(name + ": row " + row + " sums to " + sum);
        }

        if (dOut == null) return;
        float[] dq = new float[sp.qkFloats()], dk = new float[sp.qkFloats()], dv = new float[sp.vFloats()];
        Arrays.fill(dq, Float.NaN);
        Arrays.fill(dk, Float.NaN);
        Arrays.fill(dv, Float.NaN);
        ops.softmaxBackward(sp, q, k, v, out, lse, dOut, dq, dk, dv, ws);
        ref.backward(sp, q, k, v, dOut);
        Bounds.check(name + " dq", dq, ref.dq, ref.dqBound);
        Bounds.check(name + " dk", dk, ref.dk, ref.dkBound);
        Bounds.check(name + " dv", dv, ref.dv, ref.dvBound);
    }

    @Test
    void forwardProbabilitiesAndBackwardMatchFloat64Reference() {
        for (AttentionOps ops : AttentionImpls.all()) {
            Harness.forAll("softmax/" + ops.name(), CASES, SoftmaxAttentionPropertiesTest::dims, (d, g) -> {
                SoftmaxAttentionSpec sp = spec(d, g);
                checkCase(ops, sp, values(g, sp.qkFloats()), values(g, sp.qkFloats()), values(g, sp.vFloats()),
                        values(g, sp.vFloats()));
            });
        }
    }

    /** Sequences longer than one key block: the online rescaling across blocks is exercised. */
    @Test
    void longSequencesCrossKeyBlocks() {
        for (AttentionOps ops : AttentionImpls.all()) {
            Harness.forAll("softmax/long/" + ops.name(), 6,
                    g -> new int[] {1, 1, g.dim(AttentionOps.KEY_BLOCK + 1, 2 * AttentionOps.KEY_BLOCK + 90), g.dim(1, 6), g.dim(1, 6)},
                    (d, g) -> {
                        SoftmaxAttentionSpec sp = spec(d, g);
                        float[] q = values(g, sp.qkFloats()), k = values(g, sp.qkFloats());
                        if (g.nextBoolean()) risingScores(sp, q, k);
                        checkCase(ops, sp, q, k, values(g, sp.vFloats()), values(g, sp.vFloats()));
                    });
        }
    }

    /** Scores rising along the keys (q = 1, k grows with the position): the running max grows in every key block. */
    private static void risingScores(SoftmaxAttentionSpec sp, float[] q, float[] k) {
        for (int row = 0; row < sp.rowFloats(); row++) {
            for (int c = 0; c < sp.dk(); c++) {
                q[row * sp.dk() + c] = 1f;
                k[row * sp.dk() + c] = 0.02f * (row % sp.seqLen());
            }
        }
    }

    /**
     * Head width dk = dv = 8 (the Markov theory model's d), which the vector implementation runs
     * through its fixed-width kernels: rows ending inside a key vector (T around multiples of the
     * lane count), several key blocks with a rising maximum, windows, full attention.
     */
    @Test
    void widthEight() {
        for (AttentionOps ops : AttentionImpls.all()) {
            Harness.forAll("softmax/width8/" + ops.name(), CASES, g -> new int[] {g.dim(1, 2), g.dim(1, 2), g.dim(70), 8, 8},
                    (d, g) -> {
                        SoftmaxAttentionSpec sp = spec(d, g);
                        checkCase(ops, sp, values(g, sp.qkFloats()), values(g, sp.qkFloats()), values(g, sp.vFloats()),
                                values(g, sp.vFloats()));
                    });
            Harness.forAll("softmax/width8/long/" + ops.name(), 6,
                    g -> new int[] {1, g.dim(1, 2), g.dim(AttentionOps.KEY_BLOCK + 1, 2 * AttentionOps.KEY_BLOCK + 90), 8, 8},
                    (d, g) -> {
                        SoftmaxAttentionSpec sp = spec(d, g);
                        float[] q = values(g, sp.qkFloats()), k = values(g, sp.qkFloats());
                        if (g.nextBoolean()) risingScores(sp, q, k);
                        checkCase(ops, sp, q, k, values(g, sp.vFloats()), values(g, sp.vFloats()));
                    });
        }
    }

    /**
     * Keys after a row's end never reach it, not even non-finite ones: width-8 rows whose last key
     * vector runs past the row (the lanes beyond are computed and must add exact zeros).
     */
    @Test
    void laterNonFiniteTokensDoNotReachEarlierRows() {
        for (AttentionOps ops : AttentionImpls.all()) {
            Harness.forAll("softmax/width8/later-nan/" + ops.name(), 30, g -> new int[] {1, 1, g.dim(2, 60), 8, 8}, (d, g) -> {
                SoftmaxAttentionSpec sp = SoftmaxAttentionSpec.causal(1, 1, d[2], 8);
                int T = sp.seqLen(), t0 = 1 + g.nextInt(T - 1);
                float[] q = values(g, sp.qkFloats()), k = values(g, sp.qkFloats()), v = values(g, sp.vFloats());
                float[] dOut = values(g, sp.vFloats());
                float[] ws = new float[sp.workspaceFloats()];
                float[] out = new float[sp.vFloats()], lse = new float[sp.rowFloats()];
                float[] dq = new float[sp.qkFloats()], dk = new float[sp.qkFloats()], dv = new float[sp.vFloats()];
                ops.softmax(sp, q, k, v, out, lse, ws);
                ops.softmaxBackward(sp, q, k, v, out, lse, dOut, dq, dk, dv, ws);
                for (int j = t0; j < T; j++) {
                    for (int c = 0; c < 8; c++) {
                        k[j * 8 + c] = Float.NaN;
                        v[j * 8 + c] = Float.POSITIVE_INFINITY;
                    }
                }
                float[] out2 = new float[sp.vFloats()], lse2 = new float[sp.rowFloats()];
                float[] dq2 = new float[sp.qkFloats()], dk2 = new float[sp.qkFloats()], dv2 = new float[sp.vFloats()];
                ops.softmax(sp, q, k, v, out2, lse2, ws);
                // dOut of the rows from t0 on is 0: they then add nothing to the earlier keys' dk, dv.
                float[] dOut2 = dOut.clone();
                java.util.Arrays.fill(dOut2, t0 * 8, T * 8, 0f);
                float[] out3 = out.clone();
                System.arraycopy(out2, t0 * 8, out3, t0 * 8, (T - t0) * 8);
                ops.softmaxBackward(sp, q, k, v, out3, lse2, dOut2, dq2, dk2, dv2, ws);
                Bounds.sameBits("out rows before t0=" + t0, out, out2, 0, t0 * 8);
                Bounds.sameBits("lse rows before t0=" + t0, lse, lse2, 0, t0);
                Bounds.sameBits("dq rows before t0=" + t0, dq, dq2, 0, t0 * 8);
            });
        }
    }

    @Test
    void windowOfTEqualsNoWindowAndOutputsIgnoreLaterTokens() {
        for (AttentionOps ops : AttentionImpls.all()) {
            Harness.forAll("softmax/masking/" + ops.name(), CASES, SoftmaxAttentionPropertiesTest::dims, (d, g) -> {
                int T = d[2];
                if (T == 0) return;
                SoftmaxAttentionSpec sp = spec(d, g);
                if (!sp.causal()) sp = new SoftmaxAttentionSpec(d[0], d[1], T, d[3], d[4], sp.scale(), true, SoftmaxAttentionSpec.NO_WINDOW);
                float[] q = values(g, sp.qkFloats()), k = values(g, sp.qkFloats()), v = values(g, sp.vFloats());
                float[] ws = new float[sp.workspaceFloats()];
                float[] out = new float[sp.vFloats()], lse = new float[sp.rowFloats()];
                ops.softmax(sp, q, k, v, out, lse, ws);
                SoftmaxAttentionSpec full = new SoftmaxAttentionSpec(d[0], d[1], T, d[3], d[4], sp.scale(), true, T);
                SoftmaxAttentionSpec none = new SoftmaxAttentionSpec(d[0], d[1], T, d[3], d[4], sp.scale(), true, SoftmaxAttentionSpec.NO_WINDOW);
                float[] a = new float[sp.vFloats()], b = new float[sp.vFloats()], la = new float[lse.length], lb = new float[lse.length];
                ops.softmax(full, q, k, v, a, la, ws);
                ops.softmax(none, q, k, v, b, lb, ws);
                Bounds.sameBits("window=T vs none out", a, b, 0, a.length);
                Bounds.sameBits("window=T vs none lse", la, lb, 0, la.length);

                int t0 = g.nextInt(T);
                for (int bh = 0; bh < sp.batch() * sp.heads(); bh++) {
                    for (int c = 0; c < sp.dk(); c++) {
                        q[(bh * T + t0) * sp.dk() + c] += 1f;
                        k[(bh * T + t0) * sp.dk() + c] += 5f;
                    }
                    for (int i = 0; i < sp.dv(); i++) v[(bh * T + t0) * sp.dv() + i] -= 2f;
                }
                float[] out2 = new float[sp.vFloats()], lse3 = new float[sp.rowFloats()];
                ops.softmax(sp, q, k, v, out2, lse3, ws);
                for (int bh = 0; bh < sp.batch() * sp.heads(); bh++) {
                    Bounds.sameBits("out rows before t0=" + t0, out, out2, bh * T * sp.dv(), (bh * T + t0) * sp.dv());
                    Bounds.sameBits("lse rows before t0=" + t0, lse, lse3, bh * T, bh * T + t0);
                }
            });
        }
    }

    @Test
    void degenerateInputs() {
        for (AttentionOps ops : AttentionImpls.all()) {
            Gen g = new Gen(42);
            // T = 1: the single probability is exactly 1 and out is v itself.
            SoftmaxAttentionSpec one = SoftmaxAttentionSpec.causal(2, 2, 1, 3);
            float[] v1 = values(g, one.vFloats());
            float[] out1 = new float[one.vFloats()], lse1 = new float[one.rowFloats()];
            ops.softmax(one, values(g, one.qkFloats()), values(g, one.qkFloats()), v1, out1, lse1, new float[one.workspaceFloats()]);
            Bounds.sameBits(ops.name() + " T=1 out = v", out1, v1, 0, v1.length);
            checkCase(ops, one, values(g, one.qkFloats()), values(g, one.qkFloats()), v1, values(g, one.vFloats()));
            // d = 1 and dk = 0 (every score 0).
            checkCase(ops, SoftmaxAttentionSpec.causal(1, 1, 9, 1), values(g, 9), values(g, 9), values(g, 9), values(g, 9));
            SoftmaxAttentionSpec d0 = new SoftmaxAttentionSpec(1, 1, 9, 0, 2, 1f, true, SoftmaxAttentionSpec.NO_WINDOW);
            checkCase(ops, d0, new float[0], new float[0], values(g, 18), values(g, 18));
            // All-equal scores (q = 0): uniform probabilities, out is the running mean of v.
            SoftmaxAttentionSpec eq = SoftmaxAttentionSpec.causal(1, 2, 37, 4);
            checkCase(ops, eq, new float[eq.qkFloats()], values(g, eq.qkFloats()), values(g, eq.vFloats()), values(g, eq.vFloats()));
            // Very large scores (|s| up to ~1e5): no overflow, no NaN, still within the bounds.
            for (boolean causal : new boolean[] {true, false}) {
                SoftmaxAttentionSpec big = new SoftmaxAttentionSpec(1, 1, 300, 4, 3, 1f, causal, SoftmaxAttentionSpec.NO_WINDOW);
                float[] q = values(g, big.qkFloats()), k = values(g, big.qkFloats());
                for (int i = 0; i < q.length; i++) {
                    q[i] *= 150f;
                    k[i] *= 150f;
                }
                checkCase(ops, big, q, k, values(g, big.vFloats()), values(g, big.vFloats()));
            }
        }
    }

    @Test
    void referenceGradientsMatchFiniteDifferences() {
        Harness.forAll("softmax/reference-fd", 20, g -> new int[] {g.dim(1, 2), 1, g.dim(1, 7), g.dim(1, 4), g.dim(1, 4)}, (d, g) -> {
            SoftmaxAttentionSpec sp = spec(d, g);
            float[] q = g.array(sp.qkFloats(), Gen.Dist.UNIFORM), k = g.array(sp.qkFloats(), Gen.Dist.UNIFORM);
            float[] v = g.array(sp.vFloats(), Gen.Dist.UNIFORM), r = g.array(sp.vFloats(), Gen.Dist.UNIFORM);
            SoftmaxRef ref = new SoftmaxRef(sp, q, k, v);
            ref.backward(sp, q, k, v, r);
            double[] qd = FiniteDifferences.toDouble(q), kd = FiniteDifferences.toDouble(k), vd = FiniteDifferences.toDouble(v);
            double[] rd = FiniteDifferences.toDouble(r);
            FiniteDifferences.check("dq " + sp, qd, () -> SoftmaxRef.loss(sp, qd, kd, vd, rd), ref.dq, 1e-5, 1e-7);
            FiniteDifferences.check("dk " + sp, kd, () -> SoftmaxRef.loss(sp, qd, kd, vd, rd), ref.dk, 1e-5, 1e-7);
            FiniteDifferences.check("dv " + sp, vd, () -> SoftmaxRef.loss(sp, qd, kd, vd, rd), ref.dv, 1e-5, 1e-7);
        });
    }
}
