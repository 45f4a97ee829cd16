package dev.onelayer.cli.lowrank;

import dev.onelayer.cli.TrainingOptions;
import dev.onelayer.cli.UsageException;
import dev.onelayer.cli.io.Json;
import dev.onelayer.model.lowrank.LowRankConfig;
import dev.onelayer.model.lowrank.ModelConfig;
import dev.onelayer.model.lowrank.PatternTaskConfig;
import picocli.CommandLine.Option;

import java.util.Map;

/**
 * Options every {@code lowrank} subcommand shares (a picocli mixin): a validated preset of
 * lowrank.md "Validated settings" (T = small, A = medium, P1 = pruning) and per-field overrides.
 */
public final class LowRankOptions {

    /** Presets of the notes' validated settings. */
    public enum Preset {
        small, medium, pruning;

        LowRankConfig config(long seed) {
            switch (this) {
                case small: return LowRankConfig.small(seed);
                case medium: return LowRankConfig.medium(seed);
                default: return LowRankConfig.pruning(seed);
            }
        }
    }

    @Option(names = "--preset", paramLabel = "NAME",
            description = "Validated setting: small (T: d16 M8 L16 m64), medium (A: d32 M16 L32), pruning (P1: A with init_qk 0.5, lr 3) (default: per command).")
    Preset preset;

    @Option(names = "--d", paramLabel = "N", description = "Token dimension d.")
    Integer d;
    @Option(names = "--patterns", paramLabel = "M", description = "Number of orthonormal patterns M.")
    Integer patterns;
    @Option(names = "--seq-len", paramLabel = "L", description = "Tokens per sample L.")
    Integer seqLen;
    @Option(names = "--k", paramLabel = "K", description = "Label-relevant patterns per class (paper: 1).")
    Integer k;
    @Option(names = "--alpha", paramLabel = "A", description = "Mean fraction of label-relevant tokens alpha* (notes: 0.3).")
    Double alpha;
    @Option(names = "--confusion", paramLabel = "C", description = "Cap of confusion tokens as a multiple of the relevant count, in [0, 1] (notes: 1).")
    Double confusion;
    @Option(names = "--tau", paramLabel = "T", description = "Noise norm bound tau (notes: 0.1).")
    Double tau;
    @Option(names = "--n-train", paramLabel = "N", description = "Training set size.")
    Integer nTrain;
    @Option(names = "--n-test", paramLabel = "N", description = "Test set size.")
    Integer nTest;
    @Option(names = "--neurons", paramLabel = "M", description = "MLP width m (rows of W_O); pass --lr-o-mult m/64 to keep W_O's effective rate.")
    Integer neurons;
    @Option(names = "--init-qk", paramLabel = "S", description = "W_Q, W_K init scale s in N(0, (s/sqrt d)^2).")
    Double initQk;
    @Option(names = "--init-v", paramLabel = "S", description = "W_V init scale.")
    Double initV;
    @Option(names = "--init-o", paramLabel = "S", description = "W_O init scale.")
    Double initO;
    @Option(names = "--sqrt-scale", description = "Output vector a = +-1/sqrt(m) instead of +-1/m.")
    boolean sqrtScale;
    @Option(names = "--lr", paramLabel = "ETA", description = "SGD learning rate.")
    Double lr;
    @Option(names = "--lr-o-mult", paramLabel = "X", description = "Multiplier of W_O's learning rate.")
    Double lrOMult;
    @Option(names = "--batch", paramLabel = "N", description = "Samples per SGD step.")
    Integer batch;
    @Option(names = "--eval-every", paramLabel = "K", description = "Evaluate every K steps.")
    Integer evalEvery;

    /** The config: preset (or {@code fallback}), then overrides; invalid values are usage errors. */
    LowRankConfig config(TrainingOptions training, Preset fallback) {
        Preset p = preset != null ? preset : fallback;
        LowRankConfig base = p.config(training.seed());
        try {
            PatternTaskConfig t = base.task();
            t = new PatternTaskConfig(or(d, t.d()), or(patterns, t.patterns()), or(seqLen, t.seqLen()), or(k, t.relevantPerClass()),
                    or(alpha, t.alphaStar()), t.alphaSpread(), or(confusion, t.confusionRatio()), or(tau, t.tau()),
                    or(nTrain, t.nTrain()), or(nTest, t.nTest()));
            ModelConfig m = base.model();
            m = new ModelConfig(or(neurons, m.neurons()), or(initQk, m.initQk()), or(initV, m.initV()), or(initO, m.initO()),
                    sqrtScale || m.sqrtScale());
            long steps = training.steps(base.steps());
            if (steps > Integer.MAX_VALUE) throw new UsageException("--steps must be at most " + Integer.MAX_VALUE);
            return new LowRankConfig(t, m, or(lr, base.lr()), or(lrOMult, base.lrOMult()), (int) steps, or(batch, base.batch()),
                    or(evalEvery, base.evalEvery()), training.seed(), training.threads());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    String presetName(Preset fallback) {
        return (preset != null ? preset : fallback).name();
    }

    private static int or(Integer v, int dflt) {
        return v != null ? v : dflt;
    }

    private static double or(Double v, double dflt) {
        return v != null ? v : dflt;
    }

    /** The config as a JSON object (every field, so a run can be repeated). */
    static Map<String, Object> json(LowRankConfig c, String preset) {
        Map<String, Object> o = Json.object();
        o.put("preset", preset);
        o.put("seed", c.seed());
        PatternTaskConfig t = c.task();
        o.put("d", t.d());
        o.put("patterns", t.patterns());
        o.put("seq_len", t.seqLen());
        o.put("relevant_per_class", t.relevantPerClass());
        o.put("alpha_star", t.alphaStar());
        o.put("alpha_spread", t.alphaSpread());
        o.put("confusion_ratio", t.confusionRatio());
        o.put("tau", t.tau());
        o.put("n_train", t.nTrain());
        o.put("n_test", t.nTest());
        ModelConfig m = c.model();
        o.put("neurons", m.neurons());
        o.put("init_qk", m.initQk());
        o.put("init_v", m.initV());
        o.put("init_o", m.initO());
        o.put("a_scale", m.sqrtScale() ? "1/sqrt(m)" : "1/m");
        o.put("lr", c.lr());
        o.put("lr_o_mult", c.lrOMult());
        o.put("steps", c.steps());
        o.put("batch", c.batch());
        o.put("eval_every", c.evalEvery());
        o.put("threads", c.threads());
        o.put("optimizer", "sgd (constant rate, hinge loss)");
        return o;
    }
}
