package dev.onelayer.model.scb;

/**
 * A task description for the experiments.
 *
 * @param vocab          N
 * @param seqLen         T
 * @param sparsity       Q
 * @param transition     "pmix" (3 random permutations, Dirichlet(2) weights: exact zeros) or
 *                       "dirichlet" (dense, columns Dirichlet(1))
 * @param attentionAlpha Dirichlet parameter of q^(k)'s weights on its random Q-point support
 */
public record ScbTaskConfig(int vocab, int seqLen, int sparsity, String transition, double attentionAlpha) {

    public ScbTaskConfig {
        if (vocab < 2 || seqLen < 1 || sparsity < 1 || sparsity > seqLen) {
            throw new IllegalArgumentException("ScbTaskConfig: need N >= 2, T >= 1, 1 <= Q <= T (N=" + vocab + ", T=" + seqLen + ", Q=" + sparsity + ")");
        }
        generator(transition);
        if (!(attentionAlpha > 0) || Double.isInfinite(attentionAlpha)) {
            throw new IllegalArgumentException("ScbTaskConfig: attentionAlpha=" + attentionAlpha + " must be positive");
        }
    }

    /** The notes' recovery setting: pmix P, N = 10, T = 50, Q = 2. */
    public static ScbTaskConfig recoveryDefault() {
        return new ScbTaskConfig(10, 50, 2, "pmix", 2.0);
    }

    public ScbTaskConfig withSeqLen(int t) {
        return new ScbTaskConfig(vocab, t, sparsity, transition, attentionAlpha);
    }

    static TransitionGenerator generator(String name) {
        if ("pmix".equals(name)) return TransitionGenerator.pmix();
        if ("dirichlet".equals(name)) return TransitionGenerator.dirichletColumns(1.0);
        throw new IllegalArgumentException("ScbTaskConfig: transition '" + name + "' is not one of pmix, dirichlet");
    }

    /** The task of this seed (streams "task/P" and "task/A"). */
    public ScbTask build(long seed) {
        return ScbTask.generate(vocab, seqLen, sparsity, generator(transition), SparseAttentionGenerator.randomSupport(attentionAlpha), seed);
    }
}
