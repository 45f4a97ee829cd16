package dev.onelayer.model.train;

import dev.onelayer.model.core.GradCheck;
import dev.onelayer.model.core.Rng;
import dev.onelayer.model.core.Workspace;

/** {@link GradCheck} applied to a {@link Model} on one batch (mean loss over the whole batch). */
public final class ModelCheck {

    private ModelCheck() {
    }

    /** Checks every scalar of the model's parameters. */
    public static <B extends Batch> GradCheck.Report gradCheck(Model<B> model, B batch, double h, double rtol, double atol) {
        if (model == null || batch == null) throw new IllegalArgumentException("gradCheck: model and batch are required");
        Workspace ws = new Workspace();
        int n = batch.size();
        return GradCheck.check(model.params(), () -> model.forward(batch, 0, n, ws) / n, gradient(model, batch, ws), h, rtol, atol);
    }

    /** Checks up to {@code perParam} random scalars of each parameter. */
    public static <B extends Batch> GradCheck.Report gradCheckSample(Model<B> model, B batch, double h, double rtol, double atol,
                                                                     int perParam, Rng rng) {
        if (model == null || batch == null) throw new IllegalArgumentException("gradCheck: model and batch are required");
        Workspace ws = new Workspace();
        int n = batch.size();
        return GradCheck.checkSample(model.params(), () -> model.forward(batch, 0, n, ws) / n, gradient(model, batch, ws),
                h, rtol, atol, perParam, rng);
    }

    private static <B extends Batch> java.util.function.Consumer<float[]> gradient(Model<B> model, B batch, Workspace ws) {
        int n = batch.size();
        return g -> {
            model.forward(batch, 0, n, ws);
            model.backward(batch, 0, n, ws, 1f / n, g);
        };
    }
}
