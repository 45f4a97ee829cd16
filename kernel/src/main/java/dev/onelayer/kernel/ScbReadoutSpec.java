package dev.onelayer.kernel;

/**
 * Shape of the reduced linear readout of the Sparse Contextual Bigram model (form 5 of
 * {@link Attention}; scb.md section 2): {@code y = V X A e_q} with one-hot X given as tokens.
 *
 * @param batch  B
 * @param seqLen T (context tokens per example)
 * @param vocab  N
 */
public record ScbReadoutSpec(int batch, int seqLen, int vocab) {

    public ScbReadoutSpec {
        String k = "ScbReadoutSpec";
        AttentionSpecs.dims(k, new String[] {"batch", "seqLen", "vocab"}, batch, seqLen, vocab);
        AttentionSpecs.floats(k, "V", vocab, vocab);
        AttentionSpecs.floats(k, "A", seqLen, vocab);
        AttentionSpecs.floats(k, "tokens", batch, seqLen);
        AttentionSpecs.floats(k, "y", batch, vocab);
    }

    /** Forward flops: the gather (T adds) and V h (2 N^2) per example. */
    public double forwardFlops() {
        return batch * (2.0 * vocab * vocab + seqLen);
    }

    /** Backward flops: dV += dy h^T and V^T dy (2 N^2 each), the scatter (T adds) per example. */
    public double backwardFlops() {
        return batch * (4.0 * vocab * vocab + 2.0 * seqLen);
    }

    /** Floats of the hidden {@code H = [h_b]}, {@code h_b = X_b A e_{q_b}}: [B][N]. */
    public int hiddenFloats() {
        return batch * vocab;
    }

    /**
     * Where the kernels' own scratch starts in {@code ws}: the calls that take A keep the hidden H in
     * {@code ws[0, B N)}, and every call uses {@code ws[B N, ...)} for A^T [N][T] (the gather), the
     * transposed V (forward) or {@code G = dY V} [B][N] and the transposed dA [N][T] (backward).
     */
    public int scratchOffset() {
        return batch * vocab;
    }

    /**
     * Floats of {@code ws} for every form-5 call (the facade requires this many): the hidden H [B][N],
     * then from {@link #scratchOffset()} the larger of the transposed V [N][N] (forward) and G [B][N]
     * with the transposed dA [N][T] (backward; A^T of the gather fits in it too), plus 16.
     */
    public int workspaceFloats() {
        // plain long arithmetic, not the varargs helper: this runs on every kernel call's validation
        long n = (long) batch * vocab + Math.max((long) vocab * vocab, (long) batch * vocab + (long) seqLen * vocab) + 16;
        if (n > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("ScbReadoutSpec: workspace would need more than 2^31 floats");
        return (int) n;
    }
}
