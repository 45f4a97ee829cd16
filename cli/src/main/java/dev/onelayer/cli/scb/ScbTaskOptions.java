package dev.onelayer.cli.scb;

import dev.onelayer.cli.UsageException;
import dev.onelayer.model.scb.ScbTaskConfig;
import picocli.CommandLine.Option;

/**
 * The SCB task options every scb subcommand shares (a picocli mixin); T is per command because the
 * sweeps take several values. Defaults are the notes' recovery setting (Validated settings 5):
 * N = 10, Q = 2, P a Dirichlet(2) mixture of 3 random permutations, batch 64.
 */
public final class ScbTaskOptions {

    @Option(names = "--vocab", paramLabel = "N", defaultValue = "10", description = "Vocabulary size N (default: ${DEFAULT-VALUE}).")
    int vocab;

    @Option(names = "--sparsity", paramLabel = "Q", defaultValue = "2",
            description = "Non-zeros of each q^(k) over the T positions (default: ${DEFAULT-VALUE}).")
    int sparsity;

    @Option(names = "--transition", paramLabel = "GEN", defaultValue = "pmix",
            description = "P generator: pmix (3 random permutations, Dirichlet(2) weights; exact zeros) or dirichlet (dense, columns Dirichlet(1)) (default: ${DEFAULT-VALUE}).")
    String transition;

    @Option(names = "--attention-alpha", paramLabel = "A", defaultValue = "2.0",
            description = "Dirichlet parameter of q^(k)'s weights on its random support (default: ${DEFAULT-VALUE}).")
    double attentionAlpha;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "64", description = "Fresh examples per step (default: ${DEFAULT-VALUE}).")
    int batch;

    /** Checks the shared options (everything but T). */
    void validate() {
        if (vocab < 2) throw new UsageException("--vocab (N) must be at least 2, got " + vocab);
        if (sparsity < 1) throw new UsageException("--sparsity (Q) must be at least 1, got " + sparsity);
        if (!"pmix".equals(transition) && !"dirichlet".equals(transition)) {
            throw new UsageException("--transition must be pmix or dirichlet, got '" + transition + "'");
        }
        if (!(attentionAlpha > 0) || Double.isInfinite(attentionAlpha)) {
            throw new UsageException("--attention-alpha must be finite and > 0, got " + attentionAlpha);
        }
        if (batch < 1) throw new UsageException("--batch must be at least 1, got " + batch);
    }

    /** The task at context length {@code seqLen}; Q > T is a usage error naming {@code seqLenOption}. */
    ScbTaskConfig task(int seqLen, String seqLenOption) {
        return task(vocab, seqLen, sparsity, seqLenOption);
    }

    /** The task with the given N, T, Q and this object's generators. */
    ScbTaskConfig task(int n, int seqLen, int q, String seqLenOption) {
        validate();
        if (n < 2) throw new UsageException("N must be at least 2, got " + n);
        if (q < 1) throw new UsageException("Q must be at least 1, got " + q);
        if (seqLen < 1) throw new UsageException(seqLenOption + " (T) must be at least 1, got " + seqLen);
        if (q > seqLen) throw new UsageException("Q=" + q + " must not exceed T=" + seqLen + " (" + seqLenOption + ")");
        try {
            return new ScbTaskConfig(n, seqLen, q, transition, attentionAlpha);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
