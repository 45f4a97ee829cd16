package dev.onelayer.props.attention;

import dev.onelayer.kernel.AttentionOps;
import dev.onelayer.kernel.PositionalAttentionSpec;
import dev.onelayer.props.harness.Gen;
import dev.onelayer.props.harness.Harness;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Form 3 (positional-matrix-weighted linear attention, icar.md 2(b)) against the per-head float64 reference. */
class PositionalAttentionPropertiesTest {

    private static int[] dims(Gen g) {
        return new int[] {g.dim(0, 3), g.dim(0, 6), g.dim(20), g.dim(10), g.dim(0, 2)};
    }

    private static PositionalAttentionSpec spec(int[] d) {
        return new PositionalAttentionSpec(d[0], d[1], d[2], d[3], d[4]);
    }

    private static double[] bounds(PositionalAttentionSpec sp, double[] abs) {
        return Bounds.sums(PositionalRef.roundings(sp), abs);
    }

    @Test
    void forwardAndBackwardMatchFloat64Reference() {
        for (AttentionOps ops : AttentionImpls.all()) {
            Harness.forAll("positional/" + ops.name(), 80, PositionalAttentionPropertiesTest::dims,
                    (d, g) -> checkReal(ops, spec(d), g));
        }
    }

    /**
     * Sequences past two vector blocks of keys (up to 2 * 16 = 32 with 512-bit vectors): the band
     * products' long-key paths (full two-vector key blocks in dots, four-row blocks with long bands in
     * rows and cols), which the short cases above (T <= 20) never reach. Few cases: the reference is
     * O(B T^2 H d^2).
     */
    @Test
    void longSequencesMatchFloat64Reference() {
        for (AttentionOps ops : AttentionImpls.all()) {
            Harness.forAll("positional/long/" + ops.name(), 8, PositionalAttentionPropertiesTest::longDims,
                    (d, g) -> checkReal(ops, spec(d), g));
            Harness.forAll("positional/complex/long/" + ops.name(), 8, PositionalAttentionPropertiesTest::longDims,
                    (d, g) -> checkComplex(ops, complexSpec(d), g));
        }
    }

    /**
     * Batches of several sequences (4 to 40: whole and partial groups of 16 with 512-bit lanes), which
     * the vector implementation runs with the lanes across sequences ({@code VectorPositionalLanes}):
     * tokens transposed in and out per group, dP and dC summed per lane across groups. T up to 40
     * reaches the 4 x 4 dP tiles' ragged edges and the band products' long-key paths.
     */
    @Test
    void batchesOfManySequencesMatchFloat64Reference() {
        for (AttentionOps ops : AttentionImpls.all()) {
            Harness.forAll("positional/batch/" + ops.name(), 30, PositionalAttentionPropertiesTest::batchDims,
                    (d, g) -> checkReal(ops, spec(d), g));
            Harness.forAll("positional/complex/batch/" + ops.name(), 6, PositionalAttentionPropertiesTest::batchDims,
                    (d, g) -> checkComplex(ops, complexSpec(d), g));
        }
    }

    private static int[] batchDims(Gen g) {
        return new int[] {g.dim(4, 40), g.dim(1, 3), g.dim(0, 40), g.dim(0, 7), g.dim(0, 2)};
    }

    private static int[] longDims(Gen g) {
        return new int[] {g.dim(1, 2), g.dim(1, 3), g.dim(33, 70), g.dim(1, 6), g.dim(0, 2)};
    }

    private static void checkReal(AttentionOps ops, PositionalAttentionSpec sp, Gen g) {
        float[] p = g.array(sp.positionalFloats()), a = g.array(sp.diagonalFloats()), b = g.array(sp.diagonalFloats());
        // The paper's use: q = k = v = the token sequence (aliased inputs are allowed).
        boolean shared = g.nextBoolean();
        float[] x = g.array(sp.tokenFloats());
        float[] q = shared ? x : g.array(sp.tokenFloats()), k = shared ? x : g.array(sp.tokenFloats());
        float[] v = shared ? x : g.array(sp.tokenFloats()), dOut = g.array(sp.tokenFloats());
        float[] ws = new float[sp.workspaceFloats()];
        float[] out = new float[sp.tokenFloats()];
        Arrays.fill(out, Float.NaN);
        ops.positional(sp, p, a, b, q, k, v, out, ws);
        PositionalRef ref = new PositionalRef(sp, FiniteDifferences.toDouble(p), FiniteDifferences.toDouble(a),
                FiniteDifferences.toDouble(b), FiniteDifferences.toDouble(q), FiniteDifferences.toDouble(k),
                FiniteDifferences.toDouble(v), FiniteDifferences.toDouble(dOut));
        String name = ops.name() + " " + sp;
        Bounds.check(name + " out", out, ref.out, bounds(sp, ref.outAbs));

        float[] dP = new float[sp.positionalFloats()], da = new float[sp.diagonalFloats()], db = new float[sp.diagonalFloats()];
        float[] dq = new float[sp.tokenFloats()], dk = new float[sp.tokenFloats()], dv = new float[sp.tokenFloats()];
        for (float[] z : new float[][] {dP, da, db, dq, dk, dv}) Arrays.fill(z, Float.NaN);
        ops.positionalBackward(sp, p, a, b, q, k, v, dOut, dP, da, db, dq, dk, dv, ws);
        Bounds.check(name + " dP", dP, ref.dP, bounds(sp, ref.dPAbs));
        Bounds.check(name + " da", da, ref.da, bounds(sp, ref.daAbs));
        Bounds.check(name + " db", db, ref.db, bounds(sp, ref.dbAbs));
        Bounds.check(name + " dq", dq, ref.dq, bounds(sp, ref.dqAbs));
        Bounds.check(name + " dk", dk, ref.dk, bounds(sp, ref.dkAbs));
        Bounds.check(name + " dv", dv, ref.dv, bounds(sp, ref.dvAbs));
    }

    @Test
    void rowsIgnoreTokensPastTheShift() {
        for (AttentionOps ops : AttentionImpls.all()) {
            masking("positional/masking/" + ops.name(), 60, ops, PositionalAttentionPropertiesTest::dims);
            masking("positional/masking/batch/" + ops.name(), 20, ops, PositionalAttentionPropertiesTest::batchDims);
        }
    }

    private static void masking(String name, int cases, AttentionOps ops, Harness.Dims dims) {
        Harness.forAll(name, cases, dims, (d, g) -> {
            PositionalAttentionSpec sp = spec(d);
            int T = sp.seqLen();
            if (T == 0) return;
            float[] p = g.array(sp.positionalFloats()), a = g.array(sp.diagonalFloats()), b = g.array(sp.diagonalFloats());
            float[] x = g.array(sp.tokenFloats());
            float[] ws = new float[sp.workspaceFloats()];
            float[] out = new float[sp.tokenFloats()], out2 = new float[sp.tokenFloats()];
            ops.positional(sp, p, a, b, x, x, x, out, ws);
            int t0 = g.nextInt(T);
            // A masked token may even be NaN (the rows never read it, not even with weight 0).
            boolean poison = g.nextBoolean();
            for (int bt = 0; bt < sp.batch(); bt++) {
                for (int c = 0; c < sp.d(); c++) {
                    int i = (bt * T + t0) * sp.d() + c;
                    x[i] = poison ? Float.NaN : x[i] + 1.5f;
                }
            }
            ops.positional(sp, p, a, b, x, x, x, out2, ws);
            int rows = Math.max(0, t0 - sp.shift());   // rows t with t + shift < t0
            for (int bt = 0; bt < sp.batch(); bt++) {
                Bounds.sameBits("rows before " + rows, out, out2, bt * T * sp.d(), (bt * T + rows) * sp.d());
            }
        });
    }

    @Test
    void referenceGradientsMatchFiniteDifferences() {
        Harness.forAll("positional/reference-fd", 15, g -> new int[] {g.dim(1, 2), g.dim(1, 3), g.dim(1, 5), g.dim(1, 3), g.dim(0, 1)}, (d, g) -> {
            PositionalAttentionSpec sp = spec(d);
            double[] p = FiniteDifferences.toDouble(g.array(sp.positionalFloats(), Gen.Dist.UNIFORM));
            double[] a = FiniteDifferences.toDouble(g.array(sp.diagonalFloats(), Gen.Dist.UNIFORM));
            double[] b = FiniteDifferences.toDouble(g.array(sp.diagonalFloats(), Gen.Dist.UNIFORM));
            double[] q = FiniteDifferences.toDouble(g.array(sp.tokenFloats(), Gen.Dist.UNIFORM));
            double[] k = FiniteDifferences.toDouble(g.array(sp.tokenFloats(), Gen.Dist.UNIFORM));
            double[] v = FiniteDifferences.toDouble(g.array(sp.tokenFloats(), Gen.Dist.UNIFORM));
            double[] r = FiniteDifferences.toDouble(g.array(sp.tokenFloats(), Gen.Dist.UNIFORM));
            PositionalRef ref = new PositionalRef(sp, p, a, b, q, k, v, r);
            java.util.function.DoubleSupplier loss = () -> PositionalRef.loss(sp, p, a, b, q, k, v, r);
            FiniteDifferences.check("dP", p, loss, ref.dP, 1e-3, 1e-9);
            FiniteDifferences.check("da", a, loss, ref.da, 1e-3, 1e-9);
            FiniteDifferences.check("db", b, loss, ref.db, 1e-3, 1e-9);
            FiniteDifferences.check("dq", q, loss, ref.dq, 1e-3, 1e-9);
            FiniteDifferences.check("dk", k, loss, ref.dk, 1e-3, 1e-9);
            FiniteDifferences.check("dv", v, loss, ref.dv, 1e-3, 1e-9);
        });
    }

    private static PositionalAttentionSpec complexSpec(int[] d) {
        return new PositionalAttentionSpec(d[0], d[1], d[2], d[3], d[4], true);
    }

    /** The complex spec (Hermitian score, complex outer products) against two real float64 references. */
    @Test
    void complexForwardAndBackwardMatchFloat64Reference() {
        for (AttentionOps ops : AttentionImpls.all()) {
            Harness.forAll("positional/complex/" + ops.name(), 60, PositionalAttentionPropertiesTest::dims,
                    (d, g) -> checkComplex(ops, complexSpec(d), g));
        }
    }

    private static void checkComplex(AttentionOps ops, PositionalAttentionSpec sp, Gen g) {
        float[] p = g.array(sp.positionalFloats()), a = g.array(sp.diagonalFloats()), b = g.array(sp.diagonalFloats());
        boolean shared = g.nextBoolean();
        float[] x = g.array(sp.tokenFloats());
        float[] q = shared ? x : g.array(sp.tokenFloats()), k = shared ? x : g.array(sp.tokenFloats());
        float[] v = shared ? x : g.array(sp.tokenFloats()), dOut = g.array(sp.tokenFloats());
        float[] ws = new float[sp.workspaceFloats()];
        float[] out = new float[sp.tokenFloats()];
        Arrays.fill(out, Float.NaN);
        ops.positional(sp, p, a, b, q, k, v, out, ws);
        PositionalComplexRef ref = new PositionalComplexRef(sp, FiniteDifferences.toDouble(p), FiniteDifferences.toDouble(a),
                FiniteDifferences.toDouble(b), FiniteDifferences.toDouble(q), FiniteDifferences.toDouble(k),
                FiniteDifferences.toDouble(v), FiniteDifferences.toDouble(dOut));
        PositionalAttentionSpec real = PositionalComplexRef.realSpec(sp);
        String name = ops.name() + " " + sp;
        // Each complex product is two real ones, so each real term of the reference is one of the kernel's.
        Bounds.check(name + " out", out, ref.out, bounds(real, ref.outAbs));

        float[] dP = new float[sp.positionalFloats()], da = new float[sp.diagonalFloats()], db = new float[sp.diagonalFloats()];
        float[] dq = new float[sp.tokenFloats()], dk = new float[sp.tokenFloats()], dv = new float[sp.tokenFloats()];
        for (float[] z : new float[][] {dP, da, db, dq, dk, dv}) Arrays.fill(z, Float.NaN);
        ops.positionalBackward(sp, p, a, b, q, k, v, dOut, dP, da, db, dq, dk, dv, ws);
        Bounds.check(name + " dP", dP, ref.dP, bounds(real, ref.dPAbs));
        Bounds.check(name + " da", da, ref.da, bounds(real, ref.daAbs));
        Bounds.check(name + " db", db, ref.db, bounds(real, ref.dbAbs));
        Bounds.check(name + " dq", dq, ref.dq, bounds(real, ref.dqAbs));
        Bounds.check(name + " dk", dk, ref.dk, bounds(real, ref.dkAbs));
        Bounds.check(name + " dv", dv, ref.dv, bounds(real, ref.dvAbs));
    }

    /**
     * Complex rows wide enough for the vector outer product and contraction (d >= 4 with 128-bit,
     * 8 with 512-bit lanes; d up to 21 so that d mod (lanes / 2) takes every value): against the
     * float64 reference, and every output the same bits as the scalar implementation (each entry of
     * KV and of out is the scalar loop's own FMA chain, lane for lane).
     */
    @Test
    void complexWideRowsMatchReferenceAndScalarBits() {
        List<AttentionOps> impls = AttentionImpls.all();
        AttentionOps scalar = impls.get(0);
        Harness.forAll("positional/complex/wide", 24,
                g -> new int[] {g.dim(0, 2), g.dim(0, 2), g.dim(0, 12), g.dim(0, 21), g.dim(0, 2)}, (d, g) -> {
                    PositionalAttentionSpec sp = complexSpec(d);
                    long seed = g.nextInt(Integer.MAX_VALUE);
                    float[][] ref = null;
                    for (AttentionOps ops : impls) {
                        checkComplex(ops, sp, new Gen(seed));
                        float[][] got = outputs(ops, sp, new Gen(seed));
                        if (ops == scalar) {
                            ref = got;
                            continue;
                        }
                        String[] names = {"out", "dP", "da", "db", "dq", "dk", "dv", "dP no inputs", "da no inputs", "db no inputs"};
                        for (int j = 0; j < names.length; j++) {
                            Bounds.sameBits(ops.name() + " vs scalar " + names[j] + " " + sp, got[j], ref[j], 0, ref[j].length);
                        }
                    }
                });
    }

    /**
     * Complex batches of 4 to 40 sequences, which the vector implementation runs with the lanes across
     * sequences: every output the same bits as the scalar implementation (each lane runs the scalar
     * loops' operations, and dP and dC are summed over the sequences in batch order), also past two
     * 16-key blocks (T up to 40).
     */
    @Test
    void complexBatchesMatchScalarBits() {
        List<AttentionOps> impls = AttentionImpls.all();
        AttentionOps scalar = impls.get(0);
        Harness.forAll("positional/complex/batch/bits", 16, PositionalAttentionPropertiesTest::batchDims, (d, g) -> {
            PositionalAttentionSpec sp = complexSpec(d);
            long seed = g.nextInt(Integer.MAX_VALUE);
            float[][] ref = outputs(scalar, sp, new Gen(seed));
            for (AttentionOps ops : impls) {
                if (ops == scalar) continue;
                float[][] got = outputs(ops, sp, new Gen(seed));
                String[] names = {"out", "dP", "da", "db", "dq", "dk", "dv", "dP no inputs", "da no inputs", "db no inputs"};
                for (int j = 0; j < names.length; j++) {
                    Bounds.sameBits(ops.name() + " vs scalar " + names[j] + " " + sp, got[j], ref[j], 0, ref[j].length);
                }
            }
        });
    }

    /** out, then dP, da, db, dq, dk, dv, then dP, da, db without input gradients (the model's call), for one draw. */
    private static float[][] outputs(AttentionOps ops, PositionalAttentionSpec sp, Gen g) {
        float[] p = g.array(sp.positionalFloats()), a = g.array(sp.diagonalFloats()), b = g.array(sp.diagonalFloats());
        float[] q = g.array(sp.tokenFloats()), k = g.array(sp.tokenFloats()), v = g.array(sp.tokenFloats());
        float[] dOut = g.array(sp.tokenFloats());
        float[] ws = new float[sp.workspaceFloats()];
        float[] out = new float[sp.tokenFloats()];
        ops.positional(sp, p, a, b, q, k, v, out, ws);
        float[] dP = new float[sp.positionalFloats()], da = new float[sp.diagonalFloats()], db = new float[sp.diagonalFloats()];
        float[] dq = new float[sp.tokenFloats()], dk = new float[sp.tokenFloats()], dv = new float[sp.tokenFloats()];
        ops.positionalBackward(sp, p, a, b, q, k, v, dOut, dP, da, db, dq, dk, dv, ws);
        float[] dP2 = new float[sp.positionalFloats()], da2 = new float[sp.diagonalFloats()], db2 = new float[sp.diagonalFloats()];
        ops.positionalBackward(sp, p, a, b, q, q, q, dOut, dP2, da2, db2, null, null, null, ws);
        return new float[][] {out, dP, da, db, dq, dk, dv, dP2, da2, db2};
    }

    /** Without dq, dk, dv (the tokens are data) the parameter gradients are the same bits as with them. */
    @Test
    void parameterGradientsDoNotDependOnAskingForInputGradients() {
        for (AttentionOps ops : AttentionImpls.all()) {
            noInputGrads("positional/no-input-grads/" + ops.name(), 40, ops, PositionalAttentionPropertiesTest::dims);
            noInputGrads("positional/no-input-grads/batch/" + ops.name(), 15, ops, PositionalAttentionPropertiesTest::batchDims);
        }
    }

    private static void noInputGrads(String name, int cases, AttentionOps ops, Harness.Dims dims) {
        Harness.forAll(name, cases, dims, (d, g) -> {
            PositionalAttentionSpec sp = g.nextBoolean() ? spec(d) : complexSpec(d);
            float[] p = g.array(sp.positionalFloats()), a = g.array(sp.diagonalFloats()), b = g.array(sp.diagonalFloats());
            float[] x = g.array(sp.tokenFloats()), dOut = g.array(sp.tokenFloats());
            float[] ws = new float[sp.workspaceFloats()];
            float[] dP = new float[sp.positionalFloats()], da = new float[sp.diagonalFloats()], db = new float[sp.diagonalFloats()];
            float[] dq = new float[sp.tokenFloats()], dk = new float[sp.tokenFloats()], dv = new float[sp.tokenFloats()];
            ops.positionalBackward(sp, p, a, b, x, x, x, dOut, dP, da, db, dq, dk, dv, ws);
            float[] dP2 = new float[dP.length], da2 = new float[da.length], db2 = new float[db.length];
            Arrays.fill(dP2, Float.NaN);
            ops.positionalBackward(sp, p, a, b, x, x, x, dOut, dP2, da2, db2, null, null, null, ws);
            Bounds.sameBits("dP " + sp, dP, dP2, 0, dP.length);
            Bounds.sameBits("da " + sp, da, da2, 0, da.length);
            Bounds.sameBits("db " + sp, db, db2, 0, db.length);
        });
    }
}
