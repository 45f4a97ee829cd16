package dev.onelayer.props.attention;

import dev.onelayer.kernel.AttentionOps;
import dev.onelayer.kernel.ScbReadoutSpec;
import dev.onelayer.props.harness.Gen;
import dev.onelayer.props.harness.Harness;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Form 5 (SCB reduced readout y = V X A e_q, scb.md 2) against the one-hot float64 reference. */
class ScbReadoutPropertiesTest {

    private static int[] tokens(Gen g, int n, int vocab) {
        int[] x = new int[n];
        for (int i = 0; i < n; i++) x[i] = g.nextInt(vocab);
        return x;
    }

    @Test
    void forwardAndBackwardMatchFloat64Reference() {
        for (AttentionOps ops : AttentionImpls.all()) {
            Harness.forAll("scb/" + ops.name(), 100, g -> new int[] {g.dim(0, 8), g.dim(0, 120), g.dim(1, 24)}, (d, g) -> {
                if (d[2] == 0) return;  // shrinking may reach N = 0, where no token index exists
                ScbReadoutSpec sp = new ScbReadoutSpec(d[0], d[1], d[2]);
                int B = sp.batch(), T = sp.seqLen(), N = sp.vocab();
                float[] vMat = g.array(N * N), aMat = g.array(T * N), dy = g.array(B * N);
                int[] x = tokens(g, B * T, N), qs = tokens(g, B, N);
                float[] ws = new float[sp.workspaceFloats()];
                float[] y = new float[B * N];
                Arrays.fill(y, Float.NaN);
                ops.scbReadout(sp, vMat, aMat, x, qs, y, ws);
                ScbRef ref = new ScbRef(sp, FiniteDifferences.toDouble(vMat), FiniteDifferences.toDouble(aMat), x, qs,
                        FiniteDifferences.toDouble(dy));
                String name = ops.name() + " " + sp;
                Bounds.check(name + " y", y, ref.y, Bounds.sums(T + N + 2, ref.yAbs));
                float[] dV = new float[N * N], dA = new float[T * N];
                Arrays.fill(dV, Float.NaN);
                Arrays.fill(dA, Float.NaN);
                ops.scbReadoutBackward(sp, vMat, aMat, x, qs, dy, dV, dA, ws);
                Bounds.check(name + " dV", dV, ref.dV, Bounds.sums(B + T + 2, ref.dVAbs));
                Bounds.check(name + " dA", dA, ref.dA, Bounds.sums(B + N + 2, ref.dAAbs));
            });
        }
    }

    /**
     * The training-step path: the forward keeps the hidden H (X_b A e_{q_b}) and the backward starts
     * from it, with the workspace's region [0, B N) poisoned, so nothing may hide there; the hidden
     * itself is the reference's gather, a sum of at most T terms.
     */
    @Test
    void hiddenPathMatchesFloat64Reference() {
        for (AttentionOps ops : AttentionImpls.all()) {
            Harness.forAll("scb-hidden/" + ops.name(), 100, g -> new int[] {g.dim(0, 70), g.dim(0, 130), g.dim(1, 40)}, (d, g) -> {
                if (d[2] == 0) return;  // shrinking may reach N = 0, where no token index exists
                ScbReadoutSpec sp = new ScbReadoutSpec(d[0], d[1], d[2]);
                int B = sp.batch(), T = sp.seqLen(), N = sp.vocab();
                float[] vMat = g.array(N * N), aMat = g.array(T * N), dy = g.array(B * N);
                int[] x = tokens(g, B * T, N), qs = tokens(g, B, N);
                float[] ws = new float[sp.workspaceFloats()];
                Arrays.fill(ws, Float.NaN);
                float[] h = new float[sp.hiddenFloats()], y = new float[B * N];
                Arrays.fill(h, Float.NaN);
                Arrays.fill(y, Float.NaN);
                ops.scbHidden(sp, aMat, x, qs, h, 0, ws);
                ops.scbReadoutFromHidden(sp, vMat, h, 0, y, ws);
                ScbRef ref = new ScbRef(sp, FiniteDifferences.toDouble(vMat), FiniteDifferences.toDouble(aMat), x, qs,
                        FiniteDifferences.toDouble(dy));
                String name = ops.name() + " " + sp;
                double[] hRef = new double[B * N], hAbs = new double[B * N];
                for (int b = 0; b < B; b++) {
                    for (int t = 0; t < T; t++) {
                        hRef[b * N + x[b * T + t]] += aMat[t * N + qs[b]];
                        hAbs[b * N + x[b * T + t]] += Math.abs(aMat[t * N + qs[b]]);
                    }
                }
                Bounds.check(name + " h", h, hRef, Bounds.sums(T + 1, hAbs));
                Bounds.check(name + " y", y, ref.y, Bounds.sums(T + N + 2, ref.yAbs));
                float[] dV = new float[N * N], dA = new float[T * N];
                Arrays.fill(dV, Float.NaN);
                Arrays.fill(dA, Float.NaN);
                Arrays.fill(ws, 0, sp.scratchOffset(), Float.NaN);
                ops.scbReadoutBackwardFromHidden(sp, vMat, h, 0, x, qs, dy, dV, dA, ws);
                Bounds.check(name + " dV", dV, ref.dV, Bounds.sums(B + T + 2, ref.dVAbs));
                Bounds.check(name + " dA", dA, ref.dA, Bounds.sums(B + N + 2, ref.dAAbs));
            });
        }
    }

    /**
     * The entry points with A given transposed and dA returned transposed (the softmax model's
     * path) run the same sums in the same order as {@link #hiddenPathMatchesFloat64Reference}'s, so
     * they must give its bits exactly (that path is checked against float64 there); at offsets
     * into larger arrays, which they must not write outside of.
     */
    @Test
    void transposedPathGivesTheSameBits() {
        for (AttentionOps ops : AttentionImpls.all()) {
            Harness.forAll("scb-transposed/" + ops.name(), 100, g -> new int[] {g.dim(0, 70), g.dim(0, 130), g.dim(1, 40), g.dim(0, 9)}, (d, g) -> {
                if (d[2] == 0) return;  // shrinking may reach N = 0, where no token index exists
                ScbReadoutSpec sp = new ScbReadoutSpec(d[0], d[1], d[2]);
                int B = sp.batch(), T = sp.seqLen(), N = sp.vocab(), off = d[3];
                float[] vMat = g.array(N * N), aMat = g.array(T * N), dy = g.array(B * N);
                int[] x = tokens(g, B * T, N), qs = tokens(g, B, N);
                float[] ws = new float[sp.workspaceFloats()];
                float[] h = new float[sp.hiddenFloats()];
                ops.scbHidden(sp, aMat, x, qs, h, 0, ws);
                float[] aT = new float[off + N * T + 5];
                Arrays.fill(aT, Float.NaN);
                for (int t = 0; t < T; t++) {
                    for (int k = 0; k < N; k++) aT[off + k * T + t] = aMat[t * N + k];
                }
                float[] h2 = new float[off + sp.hiddenFloats() + 5];
                Arrays.fill(h2, -7f);
                ops.scbHiddenTransposed(sp, aT, off, x, qs, h2, off);
                String name = ops.name() + " " + sp + " offset " + off;
                for (int i = 0; i < h2.length; i++) {
                    float want = i >= off && i < off + h.length ? h[i - off] : -7f;
                    same(name + " h[" + i + "]", h2[i], want);
                }
                float[] dV = new float[N * N], dA = new float[T * N];
                ops.scbReadoutBackwardFromHidden(sp, vMat, h, 0, x, qs, dy, dV, dA, ws);
                float[] dV2 = new float[N * N], dAT = new float[off + N * T + 5];
                Arrays.fill(dAT, -7f);
                Arrays.fill(ws, Float.NaN);
                ops.scbReadoutBackwardTransposed(sp, vMat, h, 0, x, qs, dy, dV2, dAT, off, ws);
                for (int i = 0; i < N * N; i++) same(name + " dV[" + i + "]", dV2[i], dV[i]);
                for (int i = 0; i < dAT.length; i++) {
                    int r = i - off;
                    float want = r >= 0 && r < N * T ? dA[(r % T) * N + r / T] : -7f;
                    same(name + " dA^T[" + i + "]", dAT[i], want);
                }
            });
        }
    }

    /**
     * Every implementation gives the scalar one's bits on the training-step path (each entry the same
     * fma chain in the same order): N below, at and past the lane count, where the vector one runs
     * scalar loops, whole blocks, or an overlapping last block; batches around its four-example blocks.
     */
    @Test
    void everyImplementationGivesTheScalarBits() {
        List<AttentionOps> impls = AttentionImpls.all();
        AttentionOps scalar = impls.get(0);
        Harness.forAll("scb-bits", 100, g -> new int[] {g.dim(0, 11), g.dim(0, 40), g.dim(1, 50)}, (d, g) -> {
            if (d[2] == 0) return;  // shrinking may reach N = 0, where no token index exists
            ScbReadoutSpec sp = new ScbReadoutSpec(d[0], d[1], d[2]);
            int B = sp.batch(), T = sp.seqLen(), N = sp.vocab();
            float[] vMat = g.array(N * N), aMat = g.array(T * N), dy = g.array(B * N);
            int[] x = tokens(g, B * T, N), qs = tokens(g, B, N);
            float[][] want = trainingStep(scalar, sp, vMat, aMat, x, qs, dy);
            for (AttentionOps ops : impls) {
                float[][] got = trainingStep(ops, sp, vMat, aMat, x, qs, dy);
                String[] names = {"h", "y", "dV", "dA", "dV (transposed)", "dA^T"};
                for (int j = 0; j < names.length; j++) {
                    for (int i = 0; i < want[j].length; i++) same(ops.name() + " vs scalar " + sp + " " + names[j] + "[" + i + "]", got[j][i], want[j][i]);
                }
            }
        });
    }

    /** h, y, dV, dA from the hidden path, then dV and dA^T from the transposed backward. */
    private static float[][] trainingStep(AttentionOps ops, ScbReadoutSpec sp, float[] vMat, float[] aMat, int[] x, int[] qs, float[] dy) {
        int N = sp.vocab(), T = sp.seqLen();
        float[] ws = new float[sp.workspaceFloats()], h = new float[sp.hiddenFloats()], y = new float[sp.batch() * N];
        ops.scbHidden(sp, aMat, x, qs, h, 0, ws);
        ops.scbReadoutFromHidden(sp, vMat, h, 0, y, ws);
        float[] dV = new float[N * N], dA = new float[T * N], dV2 = new float[N * N], dAT = new float[N * T];
        ops.scbReadoutBackwardFromHidden(sp, vMat, h, 0, x, qs, dy, dV, dA, ws);
        ops.scbReadoutBackwardTransposed(sp, vMat, h, 0, x, qs, dy, dV2, dAT, 0, ws);
        return new float[][] {h, y, dV, dA, dV2, dAT};
    }

    private static void same(String what, float got, float want) {
        if (Float.floatToRawIntBits(got) != Float.floatToRawIntBits(want)) throw new AssertionError(what + ": got " + got + ", want " + want);
    }

    /** The token validation: true exactly when every index is in [0, bound), whatever lane the bad one falls in. */
    @Test
    void indicesInRangeFindsEveryOutlier() {
        for (AttentionOps ops : AttentionImpls.all()) {
            Harness.forAll("scb-indices/" + ops.name(), 200, g -> new int[] {g.dim(0, 100), g.dim(1, 30)}, (d, g) -> {
                int n = d[0], bound = d[1];
                int[] idx = tokens(g, n + 3, Math.max(1, bound));
                if (!ops.indicesInRange(idx, n, bound)) throw new AssertionError("valid indices rejected: n=" + n + " bound=" + bound);
                if (n == 0) return;
                int at = g.nextInt(n);
                int[] bad = {-1, bound, Integer.MIN_VALUE, Integer.MAX_VALUE, bound + g.nextInt(5)};
                for (int v : bad) {
                    int old = idx[at];
                    idx[at] = v;
                    if (ops.indicesInRange(idx, n, bound)) throw new AssertionError("index " + v + " at " + at + " of n=" + n + " accepted (bound " + bound + ")");
                    idx[at] = old;
                }
                idx[n] = bound; // past n: not looked at
                if (!ops.indicesInRange(idx, n, bound)) throw new AssertionError("an index past n was read: n=" + n);
            });
        }
    }

    @Test
    void referenceGradientsMatchFiniteDifferences() {
        Harness.forAll("scb/reference-fd", 15, g -> new int[] {g.dim(1, 3), g.dim(1, 6), g.dim(1, 5)}, (d, g) -> {
            ScbReadoutSpec sp = new ScbReadoutSpec(d[0], d[1], d[2]);
            int B = sp.batch(), T = sp.seqLen(), N = sp.vocab();
            double[] vMat = FiniteDifferences.toDouble(g.array(N * N, Gen.Dist.UNIFORM));
            double[] aMat = FiniteDifferences.toDouble(g.array(T * N, Gen.Dist.UNIFORM));
            double[] r = FiniteDifferences.toDouble(g.array(B * N, Gen.Dist.UNIFORM));
            int[] x = tokens(g, B * T, N), qs = tokens(g, B, N);
            ScbRef ref = new ScbRef(sp, vMat, aMat, x, qs, r);
            java.util.function.DoubleSupplier loss = () -> ScbRef.loss(sp, vMat, aMat, x, qs, r);
            FiniteDifferences.check("dV", vMat, loss, ref.dV, 1e-3, 1e-9);
            FiniteDifferences.check("dA", aMat, loss, ref.dA, 1e-3, 1e-9);
        });
    }
}
