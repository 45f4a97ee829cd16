package dev.onelayer.cli.markov;

import dev.onelayer.cli.TrainingOptions;
import dev.onelayer.cli.UsageException;
import dev.onelayer.model.markov.TrainConfig;
import picocli.CommandLine.Option;

/**
 * Model, data and optimizer options shared by the markov subcommands (a picocli mixin). Every
 * option is unset by default so that each subcommand keeps its own paper default; an option given
 * on the command line overrides it.
 */
public final class MarkovOptions {

    /** Architectures by their command-line name. */
    public enum ModelName {
        theory, full
    }

    @Option(names = "--p", paramLabel = "P", description = "Switching probability P(0 -> 1) (default: per experiment).")
    Double p;

    @Option(names = "--q", paramLabel = "Q", description = "Switching probability P(1 -> 0) (default: per experiment).")
    Double q;

    @Option(names = "--order", paramLabel = "K", description = "Chain order k: x_{n+1} depends on x_{n+1-k} (default: per experiment).")
    Integer order;

    @Option(names = "--model", paramLabel = "NAME", description = "theory (Section 3 model) or full (GPT-2 blocks) (default: per experiment).")
    ModelName model;

    @Option(names = "--layers", paramLabel = "N", description = "Blocks of the full model (default: per experiment).")
    Integer layers;

    @Option(names = "--d", paramLabel = "N", description = "Embedding width d (default: 4 theory, 8 full, 32 for k = 2 runs).")
    Integer d;

    @Option(names = "--seq-len", paramLabel = "N", description = "Sequence length N (default: 1024).")
    Integer seqLen;

    @Option(names = "--batch", paramLabel = "N", description = "Sequences per step B (default: 16).")
    Integer batch;

    @Option(names = "--window", paramLabel = "M", description = "Attention window M: position n attends to n-M..n; -1 = full (default: -1).")
    Integer window;

    @Option(names = "--lr", paramLabel = "ETA", description = "Peak learning rate of the one-cycle schedule (default: 2e-3).")
    Double lr;

    @Option(names = "--weight-decay", paramLabel = "W", description = "AdamW decoupled weight decay on matrix weights (default: 1e-3).")
    Double weightDecay;

    @Option(names = "--init-std", paramLabel = "S", description = "Standard deviation of the normal initialisation (default: 0.02).")
    Double initStd;

    @Option(names = "--eval-sequences", paramLabel = "N", description = "Fresh held-out sequences for the final evaluation (default: 384 = 24 x 16).")
    Integer evalSequences;

    @Option(names = "--chunk", paramLabel = "N", description = "Sequences per chunk; fixes the summation order (default: 8).")
    Integer chunk;

    @Option(names = "--seeds", paramLabel = "S1,S2", split = ",",
            description = "Seeds to repeat every run with (default: the single --seed).")
    long[] seeds;

    /** The seeds to run: --seeds, or the single --seed. */
    long[] seeds(TrainingOptions t) {
        if (seeds == null || seeds.length == 0) return new long[] {t.seed()};
        return seeds.clone();
    }

    /**
     * {@code defaults} with every given option applied, steps from --steps, threads from
     * --threads; an invalid combination is a usage error naming the problem.
     */
    TrainConfig apply(TrainConfig defaults, TrainingOptions t) {
        try {
            TrainConfig c = defaults;
            if (model != null || layers != null) {
                TrainConfig.Architecture a = model == null ? c.architecture() : (model == ModelName.full ? TrainConfig.Architecture.FULL : TrainConfig.Architecture.THEORY);
                int l = layers != null ? layers : (a == TrainConfig.Architecture.THEORY ? 1 : c.layers());
                if (model != null && d == null && a != c.architecture()) c = c.withModel(a == TrainConfig.Architecture.FULL ? 8 : 4, c.tied(), c.window());
                c = c.withArchitecture(a, l);
            }
            if (p != null || q != null) c = c.withChain(p != null ? p : c.p(), q != null ? q : c.q());
            if (order != null) c = c.withOrder(order, c.initialLaw());
            if (d != null || window != null) c = c.withModel(d != null ? d : c.d(), c.tied(), window != null ? window : c.window());
            if (seqLen != null) c = c.withSeqLen(seqLen);
            if (batch != null) c = c.withBatchSize(batch);
            if (lr != null || weightDecay != null) {
                c = c.withOptimizer(lr != null ? lr : c.lr(), c.beta1(), c.beta2(), c.eps(), weightDecay != null ? weightDecay : c.weightDecay());
            }
            if (initStd != null) c = c.withInit(c.init(), initStd);
            if (evalSequences != null) c = c.withEvalSequences(evalSequences);
            c = c.withSteps(t.steps(c.steps()));
            c = c.withParallelism(chunk != null ? chunk : c.chunkSize(), t.threads());
            return c.withSeed(t.seed());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
