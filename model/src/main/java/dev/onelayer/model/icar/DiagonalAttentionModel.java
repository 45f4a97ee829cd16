package dev.onelayer.model.icar;

import dev.onelayer.kernel.Attention;
import dev.onelayer.kernel.PositionalAttentionSpec;
import dev.onelayer.model.core.Param;
import dev.onelayer.model.core.Params;
import dev.onelayer.model.core.Rng;
import dev.onelayer.model.core.Workspace;
import dev.onelayer.model.train.Model;

/**
 * Diagonal multi-head linear attention with one shared positional matrix (Sander et al. 2024, the
 * non-augmented theory model, icar.md section 2(b)):
 * <pre>
 *   s^_{r+2} = sum_h sum_{t' <= r+1} P[r,t'] (s_r^* diag(a_h) s_{t'}) diag(b_h) s_{t'},   r = 0..T-2
 * </pre>
 * with the <b>previous</b> token s_r as query, keys/values s_0..s_{r+1}, A, B in R^{H x d}, P in
 * R^{T x T} (only its causal part {@code t' <= r+1}, rows 0..T-2 is ever used, the rest keeps its
 * initial value). Per-example loss {@code sum_r ||s^_{r+2} - s_{r+2}||^2}. Inputs are sequences
 * s_0..s_T ({@code len = T}).
 *
 * <p>One call of the kernel's form 3 ({@link Attention#positional}, shift 1), real or complex.
 * Complex data (stored as real pairs), with real A, B, P: the score {@code z = s_r^* diag(a) s_t'}
 * is complex and multiplies {@code b o s_t'} in complex arithmetic, which is the kernel's complex
 * spec. (It equals two real form-3 calls on the 2d pair coordinates with each a_h, b_h entry
 * repeated for re and im, {@code form3(q=s, k=s, v=s) + form3(q=s, k=-i s, v=i s)}, at four times
 * the work.) The tokens are data, so the backward asks the kernel for dP, da, db only.
 */
public final class DiagonalAttentionModel implements Model<SequenceBatch> {

    private final int heads, seqLen, d, dim;
    private final boolean complex;
    private final Params params = new Params();
    private final Param a, b, p;
    /** PE-only model: A = B = fixed (all ones, H = 1); null when A and B are trained. */
    private final float[] fixedHeads;

    /**
     * @param complex whether the data are complex (real pairs) or real
     * @param initStd A, B, P ~ initStd N(0, 1) (0.1 in the reference code)
     */
    public DiagonalAttentionModel(int heads, int seqLen, int d, boolean complex, double initStd, Rng init) {
        if (heads < 1 || seqLen < 2 || d < 1) {
            throw new IllegalArgumentException("DiagonalAttentionModel: heads=" + heads + ", seqLen=" + seqLen + ", d=" + d
                    + " (need heads >= 1, seqLen >= 2, d >= 1)");
        }
        if (!(initStd >= 0) || init == null) throw new IllegalArgumentException("DiagonalAttentionModel: need initStd >= 0 and an init rng");
        this.heads = heads;
        this.seqLen = seqLen;
        this.d = d;
        this.complex = complex;
        this.dim = complex ? 2 * d : d;
        this.a = params.add("A", heads, d);
        this.b = params.add("B", heads, d);
        this.p = params.add("P", seqLen, seqLen);
        this.fixedHeads = null;
        a.normal(init, initStd);
        b.normal(init, initStd);
        p.normal(init, initStd);
    }

    /**
     * The PE-only model of Fig 6 (icar.md section 4, {@code pe_only.py}): one head with
     * {@code a = b = 1} fixed, only P is learned (initialised to zeros, as the repo):
     * {@code s^_{r+2} = sum_{t' <= r+1} p_{r,t'} (conj(s_r) s_{t'}) s_{t'}}.
     */
    public static DiagonalAttentionModel positionalOnly(int seqLen, int d, boolean complex) {
        return new DiagonalAttentionModel(seqLen, d, complex);
    }

    private DiagonalAttentionModel(int seqLen, int d, boolean complex) {
        if (seqLen < 2 || d < 1) throw new IllegalArgumentException("DiagonalAttentionModel: seqLen=" + seqLen + " (need >= 2) and d=" + d + " (need >= 1)");
        this.heads = 1;
        this.seqLen = seqLen;
        this.d = d;
        this.complex = complex;
        this.dim = complex ? 2 * d : d;
        this.a = null;
        this.b = null;
        this.p = params.add("P", seqLen, seqLen);
        this.fixedHeads = new float[d];
        java.util.Arrays.fill(fixedHeads, 1f);
        p.zeros();
    }

    /** Whether A and B are fixed (the PE-only model). */
    public boolean positionalOnly() {
        return fixedHeads != null;
    }

    @Override
    public Params params() {
        return params;
    }

    public int heads() {
        return heads;
    }

    public int seqLen() {
        return seqLen;
    }

    public int d() {
        return d;
    }

    public boolean complex() {
        return complex;
    }

    /** {@code C = B^T A} (d x d, float64): {@code C[i][j] = sum_h b_hi a_hj}; the loss depends on A, B only through it. */
    public double[] coupling() {
        double[] c = new double[d * d];
        if (fixedHeads != null) {
            for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) c[i * d + j] = 1;
            return c;
        }
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) c[i * d + j] += (double) b.get(h, i) * a.get(h, j);
            }
        }
        return c;
    }

    private PositionalAttentionSpec spec(int m) {
        return new PositionalAttentionSpec(m, heads, seqLen, d, 1, complex);
    }

    private void check(SequenceBatch batch, int start, int end) {
        if (batch == null) throw new IllegalArgumentException("DiagonalAttentionModel: batch is null");
        if (batch.dim != dim || batch.len != seqLen) {
            throw new IllegalArgumentException("DiagonalAttentionModel: batch has len=" + batch.len + ", dim=" + batch.dim
                    + "; model needs len=T=" + seqLen + ", dim=" + dim);
        }
        if (start < 0 || end > batch.n || start >= end) {
            throw new IllegalArgumentException("DiagonalAttentionModel: range [" + start + ", " + end + ") is empty or outside the batch of " + batch.n);
        }
    }

    /** A or B as a [H][d] buffer (the fixed all-ones head of the PE-only model when src is null). */
    private void heads(Param src, float[] dst) {
        if (src == null) System.arraycopy(fixedHeads, 0, dst, 0, heads * d);
        else System.arraycopy(params.values(), src.offset(), dst, 0, heads * d);
    }

    /**
     * Writes the predictions s^_{r+2} for rows r = 0..T-1 ([m][T][dim]; row T-1 predicts a state
     * beyond the sequence and is not used) into the workspace and returns that buffer.
     */
    public float[] predict(SequenceBatch batch, int start, int end, Workspace ws) {
        check(batch, start, end);
        int m = end - start, tokens = m * seqLen * dim;
        PositionalAttentionSpec sp = spec(m);
        float[] q = ws.floats("q", tokens);
        for (int i = 0; i < m; i++) System.arraycopy(batch.states, batch.offset(start + i, 0), q, i * seqLen * dim, seqLen * dim);
        float[] ah = ws.floats("aHeads", heads * d), bh = ws.floats("bHeads", heads * d);
        heads(a, ah);
        heads(b, bh);
        float[] kw = ws.floats("kernelWs", sp.workspaceFloats());
        float[] out = ws.floats("out", tokens);
        float[] pm = ws.floats("P", seqLen * seqLen);
        System.arraycopy(params.values(), p.offset(), pm, 0, seqLen * seqLen);
        Attention.positional(sp, pm, ah, bh, q, q, q, out, kw);
        return out;
    }

    @Override
    public double forward(SequenceBatch batch, int start, int end, Workspace ws) {
        float[] out = predict(batch, start, end, ws);
        int m = end - start;
        float[] res = ws.floats("residual", m * seqLen * dim);
        // Rows r = 0..T-2 of a sequence are contiguous in out and in the states (s_2..s_T); row T-1
        // predicts past the sequence and has no residual. Four partial sums per sequence, added in a
        // fixed order: the double adds are not one serial chain of (T-1) dim steps.
        int run = (seqLen - 1) * dim;
        float[] st = batch.states;
        double loss = 0;
        for (int i = 0; i < m; i++) {
            int o = i * seqLen * dim, so = batch.offset(start + i, 2) - o, c = o;
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (; c + 4 <= o + run; c += 4) {
                float e0 = out[c] - st[so + c], e1 = out[c + 1] - st[so + c + 1];
                float e2 = out[c + 2] - st[so + c + 2], e3 = out[c + 3] - st[so + c + 3];
                res[c] = e0;
                res[c + 1] = e1;
                res[c + 2] = e2;
                res[c + 3] = e3;
                s0 += (double) e0 * e0;
                s1 += (double) e1 * e1;
                s2 += (double) e2 * e2;
                s3 += (double) e3 * e3;
            }
            for (; c < o + run; c++) {
                float e = out[c] - st[so + c];
                res[c] = e;
                s0 += (double) e * e;
            }
            java.util.Arrays.fill(res, o + run, o + seqLen * dim, 0f);
            loss += (s0 + s1) + (s2 + s3);
        }
        return loss;
    }

    @Override
    public void backward(SequenceBatch batch, int start, int end, Workspace ws, float scale, float[] grad) {
        check(batch, start, end);
        int m = end - start, tokens = m * seqLen * dim;
        PositionalAttentionSpec sp = spec(m);
        float[] res = ws.saved("residual");
        if (res.length != tokens) throw new IllegalStateException("DiagonalAttentionModel.backward: forward ran on a different range");
        float[] dOut = ws.floats("dOut", tokens);
        for (int i = 0; i < tokens; i++) dOut[i] = 2f * scale * res[i];
        float[] q = ws.saved("q"), ah = ws.saved("aHeads"), bh = ws.saved("bHeads"), pm = ws.saved("P"), kw = ws.saved("kernelWs");
        float[] dP = ws.floats("dP", seqLen * seqLen), da = ws.floats("da", heads * d), db = ws.floats("db", heads * d);
        Attention.positionalBackward(sp, pm, ah, bh, q, q, q, dOut, dP, da, db, null, null, null, kw);
        accumulate(grad, dP, da, db);
    }

    private void accumulate(float[] grad, float[] dP, float[] da, float[] db) {
        for (int i = 0; i < seqLen * seqLen; i++) grad[p.offset() + i] += dP[i];
        if (fixedHeads != null) return;
        for (int i = 0; i < heads * d; i++) {
            grad[a.offset() + i] += da[i];
            grad[b.offset() + i] += db[i];
        }
    }
}
