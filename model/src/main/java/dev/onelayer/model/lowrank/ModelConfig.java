package dev.onelayer.model.lowrank;

/**
 * Shape and initialisation of {@link AttentionMlpModel} (notes section 2 and "Validated
 * settings"): W_Q, W_K, W_V in R^{d x d}, W_O in R^{m x d}, entries N(0, (s/sqrt(d))^2) with
 * s = {@code initQk} for W_Q and W_K, {@code initV} for W_V and {@code initO} for W_O; the fixed
 * output vector a is +-scale with exactly half of each sign in a random order, scale 1/m
 * ({@code sqrtScale == false}) or 1/sqrt(m).
 *
 * @param neurons   m, MLP width (rows of W_O)
 * @param initQk    scale of the key/query init (0.1 validated at size T; small matters for rank)
 * @param initV     scale of the value init (1: plain N(0, 1/d))
 * @param initO     scale of the W_O init (0.01: small rows stay small, which makes the split clear)
 * @param sqrtScale a = +-1/sqrt(m) instead of +-1/m
 */
public record ModelConfig(int neurons, double initQk, double initV, double initO, boolean sqrtScale) {

    public ModelConfig {
        String k = "ModelConfig";
        if (neurons < 2 || neurons % 2 != 0) throw new IllegalArgumentException(k + ": neurons=" + neurons + " must be even and >= 2 (half of a is +, half -)");
        for (double s : new double[] {initQk, initV, initO}) {
            if (!(s >= 0) || Double.isInfinite(s)) throw new IllegalArgumentException(k + ": init scales must be finite and >= 0, got " + s);
        }
    }

    /** The validated CI setting: m = 64, init_qk 0.1, init_v 1, init_o 0.01, a = +-1/m. */
    public static ModelConfig defaults() {
        return new ModelConfig(64, 0.1, 1.0, 0.01, false);
    }

    public ModelConfig withNeurons(int m) {
        return new ModelConfig(m, initQk, initV, initO, sqrtScale);
    }

    public ModelConfig withInitQk(double s) {
        return new ModelConfig(neurons, s, initV, initO, sqrtScale);
    }
}
