package dev.onelayer.model.train;

import dev.onelayer.kernel.Parallel;
import dev.onelayer.model.core.Params;
import dev.onelayer.model.core.Rng;
import dev.onelayer.model.core.Workspace;
import dev.onelayer.model.optim.Constraint;
import dev.onelayer.model.optim.GradClip;
import dev.onelayer.model.optim.Optimizer;
import dev.onelayer.model.optim.Schedule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training loop: {@code task.sample(rng, batch) → model.forward → model.backward →
 * clip → optimizer.step → constraints → metrics}, with periodic evaluation and checkpoints.
 *
 * <p>Determinism: the batch is cut into chunks of {@link TrainerConfig#chunkSize()} examples; each
 * chunk writes its loss and gradient into its own slot and the slots are added in chunk order, so
 * a seed gives the same bits on 1 thread or N. All state that the future depends on (parameters,
 * optimizer state, the data stream and the step) is in the checkpoint, so a resumed run continues
 * with exactly the bits an uninterrupted one produces.
 *
 * <p>Finite-loss guard: a non-finite loss, gradient or updated parameter stops training with a
 * {@link NonFiniteException} naming the step and the first offending scalar; nothing is
 * checkpointed for that step.
 *
 * @param <B> batch type
 */
public final class Trainer<B extends Batch> {

    /** Name of the data stream in checkpoints. */
    public static final String DATA_STREAM = "data";

    private final Model<B> model;
    private final Task<B> task;
    private final Optimizer optimizer;
    private final Schedule schedule;
    private final TrainerConfig config;
    private final Params params;
    private final Rng dataRng;
    private final List<Constraint> constraints = new ArrayList<>();
    private final List<Probe> probes = new ArrayList<>();
    private final List<MetricsListener> listeners = new ArrayList<>();
    private final Map<String, Rng> trackedStreams = new LinkedHashMap<>();
    private final Map<String, String> meta = new LinkedHashMap<>();

    private final B batch;
    private final int chunks;
    private final float[][] chunkGrads;
    private final double[] chunkLoss;
    private final Workspace[] workspaces;
    private final Parallel.ChunkBody trainChunk;

    private B evalBatch;
    private Workspace[] evalWorkspaces;
    private double[] evalChunkLoss;

    private long step;
    private double lastLoss = Double.NaN;
    private double lastEvalLoss = Double.NaN;

    public Trainer(Model<B> model, Task<B> task, Optimizer optimizer, Schedule schedule, TrainerConfig config) {
        if (model == null || task == null || optimizer == null || schedule == null || config == null) {
            throw new IllegalArgumentException("Trainer: model, task, optimizer, schedule and config are all required");
        }
        this.model = model;
        this.task = task;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.config = config;
        this.params = model.params();
        if (params == null || params.size() == 0) throw new IllegalArgumentException("Trainer: model has no parameters");
        this.dataRng = Rng.stream(config.seed(), DATA_STREAM);
        this.batch = task.newBatch(config.batchSize());
        if (batch == null || batch.size() != config.batchSize()) {
            throw new IllegalArgumentException("Trainer: task.newBatch(" + config.batchSize() + ") returned a batch of size "
                    + (batch == null ? "null" : String.valueOf(batch.size())));
        }
        this.chunks = Parallel.chunkCount(config.batchSize(), config.chunkSize());
        this.chunkGrads = new float[chunks][params.size()];
        this.chunkLoss = new double[chunks];
        this.workspaces = new Workspace[chunks];
        for (int c = 0; c < chunks; c++) workspaces[c] = new Workspace();
        final float scale = 1f / config.batchSize();
        this.trainChunk = (c, start, end) -> {
            float[] g = chunkGrads[c];
            Arrays.fill(g, 0f);
            chunkLoss[c] = model.forward(batch, start, end, workspaces[c]);
            model.backward(batch, start, end, workspaces[c], scale, g);
        };
    }

    /** Adds a proximal step or projection applied after every update. */
    public Trainer<B> constraint(Constraint c) {
        if (c == null) throw new IllegalArgumentException("Trainer: constraint is null");
        constraints.add(c);
        return this;
    }

    /** Adds a measurement taken at every evaluation. */
    public Trainer<B> probe(Probe p) {
        if (p == null) throw new IllegalArgumentException("Trainer: probe is null");
        probes.add(p);
        return this;
    }

    /** Adds a metrics listener. */
    public Trainer<B> listener(MetricsListener l) {
        if (l == null) throw new IllegalArgumentException("Trainer: listener is null");
        listeners.add(l);
        return this;
    }

    /**
     * Saves and restores {@code rng} with every checkpoint under {@code name}: for any randomness
     * the task or model draws outside the data stream (dropout, resampled targets...).
     */
    public Trainer<B> trackStream(String name, Rng rng) {
        if (name == null || rng == null) throw new IllegalArgumentException("Trainer.trackStream: name and rng are required");
        if (name.equals(DATA_STREAM) || trackedStreams.containsKey(name)) {
            throw new IllegalArgumentException("Trainer.trackStream: stream '" + name + "' is already tracked");
        }
        trackedStreams.put(name, rng);
        return this;
    }

    /** Text stored in every checkpoint (e.g. the experiment's config), readable via {@link Checkpoint.Data#meta()}. */
    public Trainer<B> meta(String key, String value) {
        if (key == null || value == null) throw new IllegalArgumentException("Trainer.meta: key and value are required");
        meta.put(key, value);
        return this;
    }

    /** Steps completed so far (= index of the next step). */
    public long step() {
        return step;
    }

    public Params params() {
        return params;
    }

    public Model<B> model() {
        return model;
    }

    public TrainerConfig config() {
        return config;
    }

    /** Arrays allocated so far by the training workspaces (constant after the first step). */
    public long workspaceAllocations() {
        long n = 0;
        for (Workspace w : workspaces) n += w.allocations();
        return n;
    }

    /** Mean loss of the last training step's batch. */
    public double lastLoss() {
        return lastLoss;
    }

    /**
     * Runs until {@link TrainerConfig#steps()} steps are done, then evaluates once more if the
     * last step was not an evaluation step; returns the final figures.
     */
    public TrainResult run() {
        while (step < config.steps()) trainStep();
        boolean evaluates = config.evalBatchSize() > 0 || !probes.isEmpty();
        if (evaluates && (config.evalEvery() == 0 || step % config.evalEvery() != 0)) evaluate();
        return new TrainResult(step, lastLoss, lastEvalLoss);
    }

    /**
     * Runs exactly one step (sample, gradients, guard, clip, update, constraints, guard, metrics,
     * evaluation, checkpoint) and returns its metrics.
     */
    public StepMetrics trainStep() {
        long s = step;
        task.sample(dataRng, batch);
        double lr = schedule.lr(s);
        double loss = computeGradients();
        float[] g = params.grads();
        int bad = Params.firstNonFinite(g);
        if (bad >= 0) throw new NonFiniteException(s, "gradient of " + params.label(bad), "value " + g[bad] + ", loss " + loss);
        if (!Double.isFinite(loss)) throw new NonFiniteException(s, "loss", "mean loss " + loss + " with finite gradients");
        double norm;
        boolean clipped = false;
        if (config.clipNorm() > 0) {
            norm = GradClip.clipByGlobalNorm(g, config.clipNorm());
            clipped = norm > config.clipNorm();
        } else {
            norm = GradClip.globalNorm(g);
        }
        optimizer.step(params, lr);
        for (Constraint c : constraints) c.apply(params, lr);
        float[] w = params.values();
        bad = Params.firstNonFinite(w);
        if (bad >= 0) throw new NonFiniteException(s, "parameter " + params.label(bad), "value " + w[bad] + " after the update with lr " + lr);
        step = s + 1;
        lastLoss = loss;
        StepMetrics m = new StepMetrics(s, loss, lr, norm, clipped);
        for (MetricsListener l : listeners) l.onStep(m);
        if (config.evalEvery() > 0 && step % config.evalEvery() == 0) evaluate();
        if (config.checkpointEvery() > 0 && step % config.checkpointEvery() == 0) {
            try {
                saveCheckpoint(config.checkpointPath());
            } catch (IOException e) {
                throw new UncheckedIOException("Trainer: writing checkpoint at step " + step + " to " + config.checkpointPath(), e);
            }
            for (MetricsListener l : listeners) l.onCheckpoint(step, config.checkpointPath());
        }
        return m;
    }

    /**
     * Computes the mean loss of the current batch and writes its gradient into
     * {@link Params#grads()} (chunk gradients summed in chunk order).
     */
    private double computeGradients() {
        Parallel.forChunks(config.batchSize(), config.chunkSize(), config.threads(), trainChunk);
        Parallel.sumInOrder(chunkGrads, chunks, params.size(), params.grads(), 0);
        double total = 0;
        for (int c = 0; c < chunks; c++) total += chunkLoss[c];
        return total / config.batchSize();
    }

    /**
     * Loss on the fixed held-out batch (drawn once from the seed's "eval" stream) plus every
     * probe; reports to the listeners and returns the metrics.
     */
    public EvalMetrics evaluate() {
        double evalLoss = Double.NaN;
        int n = config.evalBatchSize();
        if (n > 0) {
            if (evalBatch == null) {
                evalBatch = task.newBatch(n);
                task.sample(Rng.stream(config.seed(), "eval"), evalBatch);
                int ec = Parallel.chunkCount(n, config.chunkSize());
                evalWorkspaces = new Workspace[ec];
                for (int c = 0; c < ec; c++) evalWorkspaces[c] = new Workspace();
                evalChunkLoss = new double[ec];
            }
            Parallel.forChunks(n, config.chunkSize(), config.threads(),
                    (c, start, end) -> evalChunkLoss[c] = model.forward(evalBatch, start, end, evalWorkspaces[c]));
            double total = 0;
            for (double l : evalChunkLoss) total += l;
            evalLoss = total / n;
        }
        Map<String, Double> extra = new LinkedHashMap<>();
        for (Probe p : probes) extra.putAll(p.measure(step, params));
        lastEvalLoss = evalLoss;
        EvalMetrics m = new EvalMetrics(step, evalLoss, java.util.Collections.unmodifiableMap(extra));
        for (MetricsListener l : listeners) l.onEval(m);
        return m;
    }

    /** Writes params, optimizer state, data stream and step atomically to {@code path}. */
    public void saveCheckpoint(Path path) throws IOException {
        Map<String, long[]> rngs = new LinkedHashMap<>();
        rngs.put(DATA_STREAM, dataRng.state());
        for (Map.Entry<String, Rng> e : trackedStreams.entrySet()) rngs.put(e.getKey(), e.getValue().state());
        Checkpoint.write(path, config.seed(), step, params, optimizer, rngs, meta);
    }

    /**
     * Restores the state saved in {@code path}; the file is fully read and validated (checksum,
     * seed, layout, optimizer) before anything is changed, so a refused file leaves this trainer
     * as it was.
     */
    public void resume(Path path) throws IOException {
        Checkpoint.Data d = Checkpoint.read(path);
        if (d.seed() != config.seed()) {
            throw new CheckpointException(path + ": checkpoint was written by a run with seed " + d.seed()
                    + " but this trainer has seed " + config.seed());
        }
        List<String> streams = new ArrayList<>(trackedStreams.keySet());
        streams.add(DATA_STREAM);
        for (String name : streams) {
            long[] st = d.rngStates().get(name);
            if (st == null) throw new CheckpointException(path + ": checkpoint has no state for stream '" + name + "' (has " + d.rngStates().keySet() + ")");
            try {
                Rng.fromState(st);
            } catch (IllegalArgumentException e) {
                throw new CheckpointException(path + ": stream '" + name + "': " + e.getMessage());
            }
        }
        d.restore(params, optimizer);
        dataRng.setState(d.rngStates().get(DATA_STREAM));
        for (Map.Entry<String, Rng> e : trackedStreams.entrySet()) e.getValue().setState(d.rngStates().get(e.getKey()));
        step = d.step();
    }
}
