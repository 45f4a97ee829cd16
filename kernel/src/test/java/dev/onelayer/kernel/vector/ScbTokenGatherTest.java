package dev.onelayer.kernel.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Form 5's backward token gather {@code dA^T[q_b][t] += g_b[x_bt]} gives the plain scalar loop's
 * bits both ways, the indexed gather and the two-vector permute, whichever this JDK picks by
 * default: vocabularies below, at and past one and two vectors of lanes (past 2L the permute does
 * not apply and the indexed gather runs), sequence lengths around the lane count, batches with
 * repeated queries. The workspace past each g_b and dA^T's old contents hold garbage, which must
 * neither be read nor survive.
 */
class ScbTokenGatherTest {

    private static final int L = Lanes.L;

    @Test
    void bothGathersGiveTheScalarBits() {
        Random rnd = new Random(7);
        int[] vocabs = {1, 2, L - 1, L, L + 1, 20, 2 * L - 1, 2 * L, 2 * L + 1, 3 * L + 5};
        int[] lengths = {0, 1, L - 1, L, L + 1, 2 * L + 3, 500};
        for (int n : vocabs) {
            for (int seqLen : lengths) {
                for (int batch : new int[] {0, 1, 3, 7}) {
                    int[] tokens = new int[batch * seqLen], queries = new int[batch];
                    for (int i = 0; i < tokens.length; i++) tokens[i] = rnd.nextInt(n);
                    for (int b = 0; b < batch; b++) queries[b] = rnd.nextInt(n);
                    int gOff = 3;
                    float[] ws = new float[gOff + batch * n + 2 * L];
                    for (int i = 0; i < ws.length; i++) ws[i] = i < gOff || i >= gOff + batch * n ? Float.NaN : (float) rnd.nextGaussian();
                    float[] want = new float[n * seqLen];
                    for (int b = 0; b < batch; b++) {
                        for (int t = 0; t < seqLen; t++) want[queries[b] * seqLen + t] += ws[gOff + b * n + tokens[b * seqLen + t]];
                    }
                    for (boolean permute : new boolean[] {false, true}) {
                        int off = 5;
                        float[] dAT = new float[off + n * seqLen + 4];
                        java.util.Arrays.fill(dAT, Float.NaN);
                        VectorScbReadout.tokenGather(batch, seqLen, n, tokens, queries, ws, gOff, dAT, off, permute);
                        String shape = "N=" + n + " T=" + seqLen + " B=" + batch + (permute ? " permute" : " indexed");
                        for (int i = 0; i < want.length; i++) {
                            assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(dAT[off + i]), shape + " dA^T[" + i + "]");
                        }
                        assertTrue(Float.isNaN(dAT[off - 1]) && Float.isNaN(dAT[off + want.length]), shape + ": wrote outside dA^T");
                    }
                }
            }
        }
    }

    @Test
    void theGatherIsChosenByJdkOrByProperty() {
        assertFalse(VectorScbReadout.permuteGather("auto", 17));
        assertFalse(VectorScbReadout.permuteGather("auto", 24));
        assertTrue(VectorScbReadout.permuteGather("auto", 25));
        assertTrue(VectorScbReadout.permuteGather("permute", 17));
        assertFalse(VectorScbReadout.permuteGather("indexed", 25));
    }

    /**
     * The same after enough calls for C2 to compile the gather (its intrinsic permute and gather
     * are what production runs; the first calls run in the interpreter and C1), with g_b of the
     * last example ending exactly at the end of the workspace, so an unmasked load of hi would throw.
     */
    @Test
    void compiledGathersGiveTheScalarBitsAtTheEndOfTheWorkspace() {
        Random rnd = new Random(11);
        int n = L + 4, seqLen = 2 * L + 3, batch = 3;
        int[] tokens = new int[batch * seqLen], queries = {1, n - 1, 1};
        for (int i = 0; i < tokens.length; i++) tokens[i] = rnd.nextInt(n);
        float[] ws = new float[batch * n];
        for (int i = 0; i < ws.length; i++) ws[i] = (float) rnd.nextGaussian();
        float[] want = new float[n * seqLen];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < seqLen; t++) want[queries[b] * seqLen + t] += ws[b * n + tokens[b * seqLen + t]];
        }
        float[] dAT = new float[n * seqLen];
        for (boolean permute : new boolean[] {false, true}) {
            for (int call = 0; call < 20_000; call++) {
                VectorScbReadout.tokenGather(batch, seqLen, n, tokens, queries, ws, 0, dAT, 0, permute);
                if (call % 4999 != 0) continue;
                for (int i = 0; i < want.length; i++) {
                    assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(dAT[i]),
                            (permute ? "permute" : "indexed") + " call " + call + " dA^T[" + i + "]");
                }
            }
        }
    }
}
