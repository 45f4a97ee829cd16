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

    public int workspaceFloats() {
        return 2 * vocab + 16;
    }
}
