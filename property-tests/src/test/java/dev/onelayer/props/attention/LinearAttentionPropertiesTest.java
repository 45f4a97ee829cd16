package dev.onelayer.props.attention;

import dev.onelayer.kernel.AttentionOps;
import dev.onelayer.kernel.LinearAttentionSpec;
import dev.onelayer.props.harness.Gen;
import dev.onelayer.props.harness.Harness;
import org.junit.jupiter.api.Test;

/** Forms 1 (quadratic) and 2 (prefix state) against the float64 reference, and against each other. */
class LinearAttentionPropertiesTest {

    private static final int CASES = 120;

    private static int[] dims(Gen g) {
        return new int[] {g.dim(0, 2), g.dim(0, 3), g.dim(48), g.dim(20), g.dim(20)};
    }

    private static LinearAttentionSpec spec(int[] d, Gen g, boolean window) {
        int T = d[2];
        int w = window && g.nextBoolean() ? g.nextInt(T + 2) : LinearAttentionSpec.NO_WINDOW;
        float scale = g.nextBoolean() ? 1f : g.coefficient();
        return new LinearAttentionSpec(d[0], d[1], T, d[3], d[4], scale, g.nextBoolean(), w);
    }

    private static void forward(AttentionOps ops, boolean prefix, LinearAttentionSpec sp, float[] q, float[] k, float[] v, float[] out) {
        float[] ws = new float[sp.workspaceFloats()];
        if (prefix) ops.linearPrefix(sp, q, k, v, out, ws);
        else ops.linearQuadratic(sp, q, k, v, out, ws);
    }

    private static void backward(AttentionOps ops, boolean prefix, LinearAttentionSpec sp, float[] q, float[] k, float[] v,
                                 float[] dOut, float[] dq, float[] dk, float[] dv) {
        float[] ws = new float[sp.workspaceFloats()];
        if (prefix) ops.linearPrefixBackward(sp, q, k, v, dOut, dq, dk, dv, ws);
        else ops.linearQuadraticBackward(sp, q, k, v, dOut, dq, dk, dv, ws);
    }

    @Test
    void forwardAndBackwardMatchFloat64Reference() {
        for (AttentionOps ops : AttentionImpls.all()) {
            for (boolean prefix : new boolean[] {false, true}) {
                String name = "linear/" + (prefix ? "prefix/" : "quadratic/") + ops.name();
                Harness.forAll(name, CASES, LinearAttentionPropertiesTest::dims, (d, g) -> {
                    LinearAttentionSpec sp = spec(d, g, !prefix);
                    float[] q = g.array(sp.qkFloats()), k = g.array(sp.qkFloats()), v = g.array(sp.vFloats());
                    float[] dOut = g.array(sp.vFloats());
                    float[] out = new float[sp.vFloats()];
                    forward(ops, prefix, sp, q, k, v, out);
                    LinearRef ref = new LinearRef(sp, q, k, v, dOut);
                    int n = LinearRef.roundings(sp);
                    Bounds.check(name + " " + sp + " out", out, ref.out, Bounds.sums(n, ref.outAbs));
                    float[] again = new float[out.length];
                    forward(ops, prefix, sp, q, k, v, again);
                    Bounds.sameBits(name + " repeat out", out, again, 0, out.length);

                    float[] dq = new float[sp.qkFloats()], dk = new float[sp.qkFloats()], dv = new float[sp.vFloats()];
                    backward(ops, prefix, sp, q, k, v, dOut, dq, dk, dv);
                    Bounds.check(name + " " + sp + " dq", dq, ref.dq, Bounds.sums(n, ref.dqAbs));
                    Bounds.check(name + " " + sp + " dk", dk, ref.dk, Bounds.sums(n, ref.dkAbs));
                    Bounds.check(name + " " + sp + " dv", dv, ref.dv, Bounds.sums(n, ref.dvAbs));
                });
            }
        }
    }

    @Test
    void quadraticFormEqualsPrefixForm() {
        for (AttentionOps ops : AttentionImpls.all()) {
            Harness.forAll("linear/quadratic=prefix/" + ops.name(), CASES, LinearAttentionPropertiesTest::dims, (d, g) -> {
                LinearAttentionSpec sp = spec(d, g, false);
                float[] q = g.array(sp.qkFloats()), k = g.array(sp.qkFloats()), v = g.array(sp.vFloats());
                float[] quad = new float[sp.vFloats()], pre = new float[sp.vFloats()];
                forward(ops, false, sp, q, k, v, quad);
                forward(ops, true, sp, q, k, v, pre);
                LinearRef ref = new LinearRef(sp, q, k, v, null);
                double[] bound = Bounds.sums(LinearRef.roundings(sp), ref.outAbs);
                double[] quadD = FiniteDifferences.toDouble(quad);
                for (int i = 0; i < bound.length; i++) bound[i] *= 2;
                Bounds.check("prefix vs quadratic " + sp, pre, quadD, bound);
            });
        }
    }

    @Test
    void windowOfTEqualsNoWindowAndOutputsIgnoreLaterTokens() {
        for (AttentionOps ops : AttentionImpls.all()) {
            for (boolean prefix : new boolean[] {false, true}) {
                String name = "linear/masking/" + (prefix ? "prefix/" : "quadratic/") + ops.name();
                Harness.forAll(name, CASES, LinearAttentionPropertiesTest::dims, (d, g) -> {
                    LinearAttentionSpec sp = spec(d, g, !prefix);
                    int T = sp.seqLen();
                    if (T == 0) return;
                    float[] q = g.array(sp.qkFloats()), k = g.array(sp.qkFloats()), v = g.array(sp.vFloats());
                    float[] out = new float[sp.vFloats()];
                    forward(ops, prefix, sp, q, k, v, out);
                    if (!prefix) {
                        LinearAttentionSpec full = new LinearAttentionSpec(sp.batch(), sp.heads(), T, sp.dk(), sp.dv(),
                                sp.scale(), sp.includeDiagonal(), T);
                        LinearAttentionSpec none = new LinearAttentionSpec(sp.batch(), sp.heads(), T, sp.dk(), sp.dv(),
                                sp.scale(), sp.includeDiagonal(), LinearAttentionSpec.NO_WINDOW);
                        float[] a = new float[sp.vFloats()], b = new float[sp.vFloats()];
                        forward(ops, false, full, q, k, v, a);
                        forward(ops, false, none, q, k, v, b);
                        Bounds.sameBits(name + " window=T vs none", a, b, 0, a.length);
                    }
                    // Perturb position t0 of every (batch, head): rows t < t0 keep their exact bits.
                    int t0 = g.nextInt(T);
                    for (int bh = 0; bh < sp.batch() * sp.heads(); bh++) {
                        for (int c = 0; c < sp.dk(); c++) {
                            q[(bh * T + t0) * sp.dk() + c] += 1f;
                            k[(bh * T + t0) * sp.dk() + c] -= 2f;
                        }
                        for (int i = 0; i < sp.dv(); i++) v[(bh * T + t0) * sp.dv() + i] *= 3f;
                    }
                    float[] out2 = new float[sp.vFloats()];
                    forward(ops, prefix, sp, q, k, v, out2);
                    for (int bh = 0; bh < sp.batch() * sp.heads(); bh++) {
                        Bounds.sameBits(name + " rows before t0=" + t0, out, out2, bh * T * sp.dv(), (bh * T + t0) * sp.dv());
                    }
                });
            }
        }
    }

    @Test
    void degenerateShapes() {
        int[][] shapes = {{1, 1, 1, 1, 1}, {1, 1, 1, 5, 3}, {2, 1, 7, 1, 1}, {1, 2, 3, 0, 2}, {1, 1, 0, 4, 4}, {0, 2, 5, 3, 3}};
        for (AttentionOps ops : AttentionImpls.all()) {
            for (int[] d : shapes) {
                for (boolean diag : new boolean[] {true, false}) {
                    Gen g = new Gen(d[2] * 31L + d[3]);
                    LinearAttentionSpec sp = new LinearAttentionSpec(d[0], d[1], d[2], d[3], d[4], 0.5f, diag, LinearAttentionSpec.NO_WINDOW);
                    float[] q = g.array(sp.qkFloats()), k = g.array(sp.qkFloats()), v = g.array(sp.vFloats());
                    float[] dOut = g.array(sp.vFloats());
                    LinearRef ref = new LinearRef(sp, q, k, v, dOut);
                    int n = LinearRef.roundings(sp);
                    for (boolean prefix : new boolean[] {false, true}) {
                        String name = ops.name() + (prefix ? " prefix " : " quadratic ") + sp;
                        float[] out = new float[sp.vFloats()];
                        java.util.Arrays.fill(out, Float.NaN);   // outputs must be overwritten, not accumulated
                        forward(ops, prefix, sp, q, k, v, out);
                        Bounds.check(name + " out", out, ref.out, Bounds.sums(n, ref.outAbs));
                        float[] dq = new float[sp.qkFloats()], dk = new float[sp.qkFloats()], dv = new float[sp.vFloats()];
                        java.util.Arrays.fill(dq, Float.NaN);
                        java.util.Arrays.fill(dk, Float.NaN);
                        java.util.Arrays.fill(dv, Float.NaN);
                        backward(ops, prefix, sp, q, k, v, dOut, dq, dk, dv);
                        Bounds.check(name + " dq", dq, ref.dq, Bounds.sums(n, ref.dqAbs));
                        Bounds.check(name + " dk", dk, ref.dk, Bounds.sums(n, ref.dkAbs));
                        Bounds.check(name + " dv", dv, ref.dv, Bounds.sums(n, ref.dvAbs));
                    }
                }
            }
        }
    }

    @Test
    void referenceGradientsMatchFiniteDifferences() {
        Harness.forAll("linear/reference-fd", 20, g -> new int[] {g.dim(1, 2), g.dim(1, 2), g.dim(1, 7), g.dim(1, 4), g.dim(1, 4)}, (d, g) -> {
            LinearAttentionSpec sp = spec(d, g, true);
            float[] q = g.array(sp.qkFloats(), Gen.Dist.UNIFORM), k = g.array(sp.qkFloats(), Gen.Dist.UNIFORM);
            float[] v = g.array(sp.vFloats(), Gen.Dist.UNIFORM), r = g.array(sp.vFloats(), Gen.Dist.UNIFORM);
            LinearRef ref = new LinearRef(sp, q, k, v, r);
            double[] qd = FiniteDifferences.toDouble(q), kd = FiniteDifferences.toDouble(k), vd = FiniteDifferences.toDouble(v);
            double[] rd = FiniteDifferences.toDouble(r);
            FiniteDifferences.check("dq " + sp, qd, () -> LinearRef.loss(sp, qd, kd, vd, rd), ref.dq, 1e-3, 1e-9);
            FiniteDifferences.check("dk " + sp, kd, () -> LinearRef.loss(sp, qd, kd, vd, rd), ref.dk, 1e-3, 1e-9);
            FiniteDifferences.check("dv " + sp, vd, () -> LinearRef.loss(sp, qd, kd, vd, rd), ref.dv, 1e-3, 1e-9);
        });
    }
}
