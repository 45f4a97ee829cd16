package dev.onelayer.model.optim;

/** Gradient clipping by global norm, as {@code torch.nn.utils.clip_grad_norm_}. */
public final class GradClip {

    private GradClip() {
    }

    /**
     * The Euclidean norm of {@code g}, accumulated in float64 in index order (so the same bits on
     * every run).
     */
    public static double globalNorm(float[] g) {
        if (g == null) throw new IllegalArgumentException("globalNorm: gradient is null");
        double s = 0;
        for (float x : g) s += (double) x * x;
        return Math.sqrt(s);
    }

    /**
     * If the global norm exceeds {@code maxNorm}, scales {@code g} by {@code maxNorm / (norm + 1e-6)}
     * (PyTorch's factor). Returns the norm before clipping.
     */
    public static double clipByGlobalNorm(float[] g, double maxNorm) {
        if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) {
            throw new IllegalArgumentException("clipByGlobalNorm: maxNorm=" + maxNorm + " must be finite and positive");
        }
        double norm = globalNorm(g);
        if (norm > maxNorm) {
            float f = (float) (maxNorm / (norm + 1e-6));
            for (int i = 0; i < g.length; i++) g[i] *= f;
        }
        return norm;
    }
}
