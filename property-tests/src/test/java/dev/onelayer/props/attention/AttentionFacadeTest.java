package dev.onelayer.props.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.onelayer.kernel.Attention;
import dev.onelayer.kernel.LinearAttentionSpec;
import dev.onelayer.kernel.PositionalAttentionSpec;
import dev.onelayer.kernel.PositionalOuter;
import dev.onelayer.kernel.ScbReadoutSpec;
import dev.onelayer.kernel.SoftmaxAttentionSpec;
import dev.onelayer.props.harness.Gen;
import org.junit.jupiter.api.Test;

/** The facade: argument validation names the problem; the form chooser follows the flop counts. */
class AttentionFacadeTest {

    private static void throwsNaming(String fragment, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(fragment), () -> "message '" + e.getMessage() + "' does not name '" + fragment + "'");
    }

    @Test
    void specsRejectBadShapes() {
        throwsNaming("seqLen", () -> new LinearAttentionSpec(1, 1, -1, 2, 2, 1f, true, -1));
        throwsNaming("scale", () -> new LinearAttentionSpec(1, 1, 4, 2, 2, Float.NaN, true, -1));
        throwsNaming("window", () -> new SoftmaxAttentionSpec(1, 1, 4, 2, 2, 1f, false, 2));
        throwsNaming("window", () -> new SoftmaxAttentionSpec(1, 1, 4, 2, 2, 1f, true, -3));
        throwsNaming("shift", () -> new PositionalAttentionSpec(1, 1, 4, 2, -1));
        throwsNaming("vocab", () -> new ScbReadoutSpec(1, 4, -2));
    }

    @Test
    void facadeRejectsBadBuffers() {
        LinearAttentionSpec ls = LinearAttentionSpec.causal(2, 1, 5, 3, 2);
        float[] q = new float[ls.qkFloats()], k = new float[ls.qkFloats()], v = new float[ls.vFloats()];
        float[] ws = new float[ls.workspaceFloats()];
        throwsNaming("out", () -> Attention.linearQuadratic(ls, q, k, v, new float[ls.vFloats() - 1], ws));
        throwsNaming("ws", () -> Attention.linearQuadratic(ls, q, k, v, new float[ls.vFloats()], new float[3]));
        throwsNaming("q", () -> Attention.linearPrefix(ls, null, k, v, new float[ls.vFloats()], ws));
        throwsNaming("output out and v", () -> Attention.linearQuadratic(ls, q, k, v, v, ws));
        LinearAttentionSpec windowed = new LinearAttentionSpec(2, 1, 5, 3, 2, 1f, true, 2);
        throwsNaming("prefix", () -> Attention.linearPrefix(windowed, q, k, v, new float[ls.vFloats()], ws));
        SoftmaxAttentionSpec ss = SoftmaxAttentionSpec.causal(1, 1, 4, 2);
        float[] sq = new float[ss.qkFloats()];
        throwsNaming("lse", () -> Attention.softmax(ss, sq, sq, sq, new float[ss.vFloats()], new float[2], new float[ss.workspaceFloats()]));
        ScbReadoutSpec scb = new ScbReadoutSpec(1, 3, 4);
        throwsNaming("tokens[1]=4", () -> Attention.scbReadout(scb, new float[16], new float[12], new int[] {0, 4, 1}, new int[] {0},
                new float[4], new float[scb.workspaceFloats()]));
        throwsNaming("queries[0]=-1", () -> Attention.scbReadout(scb, new float[16], new float[12], new int[] {0, 3, 1}, new int[] {-1},
                new float[4], new float[scb.workspaceFloats()]));
        // the training-step pair: forward keeping the hidden, backward from it
        float[] y = new float[4], hid = new float[scb.hiddenFloats()], sws = new float[scb.workspaceFloats()];
        int[] ok = {0, 3, 1};
        throwsNaming("V [N=4][N=4]", () -> Attention.scbReadout(scb, new float[15], new float[12], ok, new int[] {0}, y, hid, sws));
        throwsNaming("output y and hidden", () -> Attention.scbReadout(scb, new float[16], new float[12], ok, new int[] {0}, y, y, sws));
        throwsNaming("hidden", () -> Attention.scbReadout(scb, new float[16], new float[12], ok, new int[] {0}, y, new float[3], sws));
        throwsNaming("tokens[2]=7", () -> Attention.scbReadoutBackwardFromHidden(scb, new float[16], hid, new int[] {0, 3, 7}, new int[] {0},
                new float[4], new float[16], new float[12], sws));
        float[] v16 = new float[16];
        throwsNaming("output dV and V", () -> Attention.scbReadoutBackwardFromHidden(scb, v16, hid, ok, new int[] {0},
                new float[4], v16, new float[12], sws));
        throwsNaming("ws", () -> Attention.scbReadoutBackwardFromHidden(scb, new float[16], hid, ok, new int[] {0},
                new float[4], new float[16], new float[12], new float[3]));
        // the transposed entry points: A^T and dA^T are [N][T]
        throwsNaming("A^T [N=4][T=3]", () -> Attention.scbHiddenTransposed(scb, new float[11], ok, new int[] {0}, hid));
        throwsNaming("tokens[1]=4", () -> Attention.scbHiddenTransposed(scb, new float[12], new int[] {0, 4, 1}, new int[] {0}, hid));
        float[] f12 = new float[12];
        throwsNaming("output hidden and A^T", () -> Attention.scbHiddenTransposed(scb, f12, ok, new int[] {0}, f12));
        throwsNaming("output y and hidden", () -> Attention.scbReadoutFromHidden(scb, new float[16], hid, hid, sws));
        throwsNaming("ws", () -> Attention.scbReadoutFromHidden(scb, new float[16], hid, y, new float[3]));
        throwsNaming("dA^T", () -> Attention.scbReadoutBackwardTransposed(scb, new float[16], hid, ok, new int[] {0},
                new float[4], new float[16], new float[11], sws));
        throwsNaming("queries[0]=9", () -> Attention.scbReadoutBackwardTransposed(scb, new float[16], hid, ok, new int[] {9},
                new float[4], new float[16], new float[12], sws));
        throwsNaming("output dA^T and ws", () -> Attention.scbReadoutBackwardTransposed(scb, new float[16], hid, ok, new int[] {0},
                new float[4], new float[16], sws, sws));
    }

    /** Form 3: input gradients all null or all given; complex buffers named with their [re,im] layout. */
    @Test
    void positionalRejectsBadBuffers() {
        PositionalAttentionSpec sp = new PositionalAttentionSpec(2, 1, 5, 3, 1, true);
        float[] p = new float[sp.positionalFloats()], a = new float[sp.diagonalFloats()], b = new float[sp.diagonalFloats()];
        float[] x = new float[sp.tokenFloats()], dOut = new float[sp.tokenFloats()], ws = new float[sp.workspaceFloats()];
        float[] dP = new float[sp.positionalFloats()], da = new float[sp.diagonalFloats()], db = new float[sp.diagonalFloats()];
        float[] dq = new float[sp.tokenFloats()], dk = new float[sp.tokenFloats()];
        throwsNaming("dq, dk, dv must be all null (parameter gradients only) or all given, but dq is given, dk given, dv null",
                () -> Attention.positionalBackward(sp, p, a, b, x, x, x, dOut, dP, da, db, dq, dk, null, ws));
        throwsNaming("but dq is null, dk given, dv null",
                () -> Attention.positionalBackward(sp, p, a, b, x, x, x, dOut, dP, da, db, null, dk, null, ws));
        throwsNaming("out [B=2][T=5][d=3][re,im] needs 60",
                () -> Attention.positional(sp, p, a, b, x, x, x, new float[sp.tokenFloats() - 1], ws));
        throwsNaming("dOut [B=2][T=5][d=3][re,im]",
                () -> Attention.positionalBackward(sp, p, a, b, x, x, x, new float[3], dP, da, db, null, null, null, ws));
        throwsNaming("dv [B=2][T=5][d=3][re,im]",
                () -> Attention.positionalBackward(sp, p, a, b, x, x, x, dOut, dP, da, db, dq, dk, new float[3], ws));
        // The band-product driver is public (the vector implementation uses it) and checks as the facade does.
        throwsNaming("PositionalOuter.forward: ws (workspace)", () -> PositionalOuter.forward(sp, p, a, b, x, x, x,
                new float[sp.tokenFloats()], new float[sp.workspaceFloats() - 1], PositionalOuter.SCALAR));
        throwsNaming("PositionalOuter.backward: the input gradients dq, dk, dv must be all null", () -> PositionalOuter.backward(sp,
                p, a, b, x, x, x, dOut, dP, da, db, null, dk, null, ws, PositionalOuter.SCALAR));
        throwsNaming("bands is null", () -> PositionalOuter.forward(sp, p, a, b, x, x, x, new float[sp.tokenFloats()], ws, null));
    }

    @Test
    void chooserPrefersPrefixFormExactlyWhenItIsCheaper() {
        // Markov-like d = 8, T = 1024: prefix (2 T d^2) is far cheaper than quadratic (T^2 d).
        assertTrue(LinearAttentionSpec.causal(1, 1, 1024, 8, 8).prefixPreferred());
        // d = 64, T = 16: quadratic is cheaper.
        assertFalse(LinearAttentionSpec.causal(1, 1, 16, 64, 64).prefixPreferred());
        // A window always means the quadratic form.
        assertFalse(new LinearAttentionSpec(1, 1, 1024, 8, 8, 1f, true, 16).prefixPreferred());
        // dk dv < T (the rule) implies the prefix form.
        for (int T = 2; T <= 300; T += 7) {
            for (int d = 1; d * d < T; d++) assertTrue(LinearAttentionSpec.causal(1, 1, T, d, d).prefixPreferred(), "T=" + T + " d=" + d);
        }
    }

    @Test
    void linearThroughTheFacadeMatchesBothForms() {
        Gen g = new Gen(7);
        for (int[] sh : new int[][] {{2, 2, 40, 3, 4}, {1, 1, 6, 9, 9}}) {
            LinearAttentionSpec sp = LinearAttentionSpec.causal(sh[0], sh[1], sh[2], sh[3], sh[4]);
            float[] q = g.array(sp.qkFloats(), Gen.Dist.UNIFORM), k = g.array(sp.qkFloats(), Gen.Dist.UNIFORM);
            float[] v = g.array(sp.vFloats(), Gen.Dist.UNIFORM);
            float[] ws = new float[sp.workspaceFloats()];
            float[] viaChooser = new float[sp.vFloats()], viaForm = new float[sp.vFloats()];
            Attention.linear(sp, q, k, v, viaChooser, ws);
            if (sp.prefixPreferred()) Attention.linearPrefix(sp, q, k, v, viaForm, ws);
            else Attention.linearQuadratic(sp, q, k, v, viaForm, ws);
            for (int i = 0; i < viaForm.length; i++) assertEquals(viaForm[i], viaChooser[i], 0f);
        }
    }
}
