package dev.onelayer.model.lowrank;

import dev.onelayer.model.core.Param;
import dev.onelayer.model.core.Params;
import dev.onelayer.model.core.Rng;

import java.util.ArrayList;
import java.util.List;

/**
 * Issue 8 experiment 4, the practical consequence of low-rank updates: train with every
 * {@code Delta W} restricted to rank r, LoRA style ({@code W = W_init + B A}, B rows x r zero,
 * A r x cols with N(0, 1/cols) entries so A's rows have about unit norm), same data, initial W,
 * batches, steps and rates as the unrestricted run. The full gradient G of each W gives the factor
 * gradients {@code dB = G A^T}, {@code dA = B^T G}; W_O's factors use the rate times lrOMult.
 */
public final class LoraTraining {

    private LoraTraining() {
    }

    /** The unrestricted run (rank 0) followed by each rank in {@code ranks}. */
    public static List<LoraPoint> sweep(LowRankConfig config, int[] ranks) {
        if (ranks == null) throw new IllegalArgumentException("LoraTraining.sweep: ranks is null");
        List<LoraPoint> out = new ArrayList<>();
        TrainedRun full = Training.run(config);
        PatternTask task = full.task();
        double[] f = full.model().outputs(task.test());
        out.add(new LoraPoint(0, full.finalTrainError(), full.finalTestError(), AttentionMlpModel.hinge(f, task.test().y()),
                full.model().params().size()));
        for (int r : ranks) out.add(run(config, r));
        return out;
    }

    /** Trains with rank-r updates of W_Q, W_K, W_V and W_O and returns the final figures. */
    public static LoraPoint run(LowRankConfig config, int rank) {
        if (config == null) throw new IllegalArgumentException("LoraTraining.run: config is null");
        if (rank < 1) throw new IllegalArgumentException("LoraTraining.run: rank=" + rank + " must be >= 1");
        PatternTask task = new PatternTask(config.task(), config.seed());
        AttentionMlpModel model = Training.freshModel(config);
        Params params = model.params();
        float[] w = params.values(), g = params.grads();
        float[] w0 = w.clone();
        int count = params.count();
        float[][] fa = new float[count][], fb = new float[count][];
        int[] rr = new int[count];
        Rng rng = Rng.stream(config.seed(), "lora");
        int trained = 0;
        for (int p = 0; p < count; p++) {
            Param par = params.param(p);
            int r = Math.min(rank, Math.min(par.rows(), par.cols()));
            rr[p] = r;
            fa[p] = new float[r * par.cols()];
            rng.fillNormal(fa[p], 0, fa[p].length, 0, 1 / Math.sqrt(par.cols()));
            fb[p] = new float[par.rows() * r];
            trained += r * (par.rows() + par.cols());
        }
        PatternData train = task.train();
        Rng batches = Rng.stream(config.seed(), "batches");
        int[] order = batches.permutation(train.n());
        int pos = 0;
        for (int step = 0; step < config.steps(); step++) {
            if (pos + config.batch() > order.length) {
                order = batches.permutation(train.n());
                pos = 0;
            }
            double loss = model.batchGradient(train, order, pos, config.batch());
            if (!Double.isFinite(loss)) throw new IllegalStateException("LoraTraining: non-finite loss at step " + step + " (rank " + rank + ")");
            pos += config.batch();
            for (int p = 0; p < count; p++) {
                Param par = params.param(p);
                float lr = (float) (par.name().equals("wO") ? config.lr() * config.lrOMult() : config.lr());
                update(par, g, fa[p], fb[p], rr[p], lr);
                compose(par, w, w0, fa[p], fb[p], rr[p]);
            }
        }
        double[] fTest = model.outputs(task.test()), fTrain = model.outputs(train);
        return new LoraPoint(rank, AttentionMlpModel.error(fTrain, train.y()), AttentionMlpModel.error(fTest, task.test().y()),
                AttentionMlpModel.hinge(fTest, task.test().y()), trained);
    }

    /** dB = G A^T, dA = B^T G (both from the old factors), then one SGD step on each. */
    private static void update(Param par, float[] g, float[] a, float[] b, int r, float lr) {
        int rows = par.rows(), cols = par.cols(), off = par.offset();
        float[] db = new float[rows * r], da = new float[r * cols];
        for (int i = 0; i < rows; i++) {
            for (int t = 0; t < cols; t++) {
                float gi = g[off + i * cols + t];
                if (gi == 0) continue;
                for (int j = 0; j < r; j++) {
                    db[i * r + j] += gi * a[j * cols + t];
                    da[j * cols + t] += b[i * r + j] * gi;
                }
            }
        }
        for (int i = 0; i < db.length; i++) b[i] -= lr * db[i];
        for (int i = 0; i < da.length; i++) a[i] -= lr * da[i];
    }

    /** W = W_init + B A. */
    private static void compose(Param par, float[] w, float[] w0, float[] a, float[] b, int r) {
        int rows = par.rows(), cols = par.cols(), off = par.offset();
        for (int i = 0; i < rows; i++) {
            for (int t = 0; t < cols; t++) {
                double s = w0[off + i * cols + t];
                for (int j = 0; j < r; j++) s += b[i * r + j] * a[j * cols + t];
                w[off + i * cols + t] = (float) s;
            }
        }
    }
}
