package dev.onelayer.props.attention;

import dev.onelayer.kernel.AttentionOps;
import dev.onelayer.kernel.ScbReadoutSpec;
import dev.onelayer.props.harness.Gen;
import dev.onelayer.props.harness.Harness;
import java.util.Arrays;
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
