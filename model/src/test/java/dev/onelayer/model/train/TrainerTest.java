package dev.onelayer.model.train;

import dev.onelayer.model.core.Params;
import dev.onelayer.model.core.Rng;
import dev.onelayer.model.optim.AdamW;
import dev.onelayer.model.optim.Optimizer;
import dev.onelayer.model.optim.Schedule;
import dev.onelayer.model.optim.Sgd;
import dev.onelayer.model.train.toy.LinearRegression;
import dev.onelayer.model.train.toy.RegressionBatch;
import dev.onelayer.model.train.toy.RegressionTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class TrainerTest {

    static final int D_IN = 6, D_OUT = 3;
    static final double NOISE = 0.1;

    @TempDir
    Path dir;

    static Trainer<RegressionBatch> trainer(TrainerConfig cfg, Optimizer opt, Task<RegressionBatch> task) {
        LinearRegression model = new LinearRegression(D_IN, D_OUT, Rng.stream(cfg.seed(), "init"));
        return new Trainer<>(model, task, opt, Schedule.cosineWithWarmup(0.05, 5, cfg.steps(), 0.005), cfg);
    }

    static Trainer<RegressionBatch> trainer(TrainerConfig cfg, Optimizer opt) {
        return trainer(cfg, opt, new RegressionTask(D_IN, D_OUT, NOISE, Rng.stream(cfg.seed(), "task")));
    }

    /** Records every loss bit pattern so runs can be compared exactly. */
    static final class Recorder implements MetricsListener {
        final List<Long> lossBits = new ArrayList<>();
        final List<EvalMetrics> evals = new ArrayList<>();

        public void onStep(StepMetrics m) {
            lossBits.add(Double.doubleToRawLongBits(m.loss()));
        }

        public void onEval(EvalMetrics m) {
            evals.add(m);
        }
    }

    @Test
    void learnsTheLinearMapDownToTheNoiseFloor() {
        TrainerConfig cfg = TrainerConfig.of(7, 400, 32).withEval(100, 512);
        Recorder rec = new Recorder();
        Trainer<RegressionBatch> t = trainer(cfg, new Sgd(0.9, 0)).listener(rec)
                .probe((step, p) -> java.util.Map.of("wNorm", (double) dev.onelayer.kernel.Kernels.nrm2(p.size(), p.values(), 0)));
        TrainResult r = t.run();
        assertEquals(400, r.steps());
        assertEquals(4, rec.evals.size());
        assertEquals(400, rec.evals.get(3).step());
        assertTrue(rec.evals.get(3).extra().containsKey("wNorm"));
        // The Bayes risk of the per-example MSE is σ², an untrained model's is O(dIn); the held-out
        // estimate over 512·3 residuals has relative sd √(2/1536) ≈ 3.6%, and an estimate of W, b from
        // 12800 draws adds O((dIn+1)/12800) relative excess risk.
        double bayes = NOISE * NOISE;
        assertEquals(bayes, r.finalEvalLoss(), 0.2 * bayes, "eval loss");
    }

    static TrainerConfig base() {
        return new TrainerConfig(123, 20, 30, 8, 1, 0, 0, 1.0, 0, null);
    }

    static float[] runValues(TrainerConfig cfg, Recorder rec) {
        Trainer<RegressionBatch> t = trainer(cfg, new AdamW(0.01)).listener(rec);
        t.run();
        return t.params().values().clone();
    }

    @Test
    void sameSeedSameBitsAndThreadCountDoesNotMatter() {
        Recorder a = new Recorder(), b = new Recorder(), c = new Recorder();
        float[] va = runValues(base(), a);
        float[] vb = runValues(base(), b);
        float[] vc = runValues(base().withChunks(8, 2), c);
        assertArrayEquals(va, vb);
        assertArrayEquals(va, vc, "1 vs 2 threads");
        assertEquals(a.lossBits, b.lossBits);
        assertEquals(a.lossBits, c.lossBits);
        // and a different seed really gives different numbers
        float[] vd = runValues(new TrainerConfig(124, 20, 30, 8, 1, 0, 0, 1.0, 0, null), new Recorder());
        assertFalse(java.util.Arrays.equals(va, vd));
    }

    @Test
    void resumingFromACheckpointReproducesTheUninterruptedRunBitForBit() throws IOException {
        Path ck = dir.resolve("run.ckpt");
        Recorder full = new Recorder();
        float[] uninterrupted = runValues(base(), full);

        TrainerConfig first = base().withSteps(20).withCheckpoints(10, ck);
        Trainer<RegressionBatch> t1 = trainer(first, new AdamW(0.01));
        for (int i = 0; i < 13; i++) t1.trainStep(); // "crash" after step 13, last checkpoint at 10

        Recorder rest = new Recorder();
        Trainer<RegressionBatch> t2 = trainer(base().withChunks(8, 2), new AdamW(0.01)).listener(rest);
        t2.resume(ck);
        assertEquals(10, t2.step());
        t2.run();
        assertArrayEquals(uninterrupted, t2.params().values());
        assertEquals(full.lossBits.subList(10, 20), rest.lossBits);
    }

    @Test
    void trainingStepAllocatesNoWorkspaceAfterWarmUp() {
        Trainer<RegressionBatch> t = trainer(base(), new Sgd());
        t.trainStep();
        long after1 = t.workspaceAllocations();
        assertTrue(after1 > 0);
        for (int i = 0; i < 5; i++) t.trainStep();
        assertEquals(after1, t.workspaceAllocations());
    }

    /** A task that poisons one input at a chosen step. */
    static final class PoisonedTask implements Task<RegressionBatch> {
        final RegressionTask inner;
        final int poisonCall;
        int calls;

        PoisonedTask(long seed, int poisonCall) {
            inner = new RegressionTask(D_IN, D_OUT, NOISE, Rng.stream(seed, "task"));
            this.poisonCall = poisonCall;
        }

        public RegressionBatch newBatch(int size) {
            return inner.newBatch(size);
        }

        public void sample(Rng rng, RegressionBatch b) {
            inner.sample(rng, b);
            if (calls++ == poisonCall) b.x[3 * D_IN + 2] = Float.NaN;
        }
    }

    @Test
    void nonFiniteGuardNamesStepAndParameterAndKeepsTheLastCheckpoint() throws IOException {
        Path ck = dir.resolve("guard.ckpt");
        TrainerConfig cfg = base().withCheckpoints(2, ck);
        Trainer<RegressionBatch> t = trainer(cfg, new AdamW(0.01), new PoisonedTask(cfg.seed(), 5));
        NonFiniteException e = assertThrows(NonFiniteException.class, t::run);
        assertEquals(5, e.step());
        // NaN in x[3, 2] makes every residual of example 3 NaN, hence every dW_jk = Σᵢ r_ij x_ik:
        // the first in memory order is W[0,0].
        assertEquals("gradient of W[0,0]", e.where());
        assertTrue(e.getMessage().contains("step 5") && e.getMessage().contains("W[0,0]"), e.getMessage());
        assertEquals(5, t.step());
        Checkpoint.Data d = Checkpoint.read(ck);
        assertEquals(4, d.step());
        for (float v : d.values("W")) assertTrue(Float.isFinite(v));
    }

    @Test
    void divergenceIsReportedAtTheFirstNonFiniteParameter() {
        TrainerConfig cfg = new TrainerConfig(5, 200, 16, 16, 1, 0, 0, 0, 0, null);
        LinearRegression model = new LinearRegression(D_IN, D_OUT, Rng.stream(5, "init"));
        Trainer<RegressionBatch> t = new Trainer<>(model, new RegressionTask(D_IN, D_OUT, NOISE, Rng.stream(5, "task")),
                new Sgd(), Schedule.constant(50.0), cfg);
        NonFiniteException e = assertThrows(NonFiniteException.class, t::run);
        assertTrue(e.where().startsWith("parameter ") || e.where().startsWith("gradient of ") || e.where().equals("loss"), e.where());
        assertTrue(e.step() > 0 && e.step() < 200, e.getMessage());
        assertEquals(e.step(), t.step(), "the failing step is not counted as done");
    }

    @Test
    void corruptedOrTruncatedCheckpointsAreRefusedAndNothingIsLoaded() throws IOException {
        Path ck = dir.resolve("c.ckpt");
        Trainer<RegressionBatch> t = trainer(base().withCheckpoints(5, ck), new AdamW(0.01));
        for (int i = 0; i < 5; i++) t.trainStep();
        byte[] good = Files.readAllBytes(ck);

        Trainer<RegressionBatch> fresh = trainer(base(), new AdamW(0.01));
        float[] before = fresh.params().values().clone();

        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x10;
        Files.write(ck, flipped);
        CheckpointException e = assertThrows(CheckpointException.class, () -> fresh.resume(ck));
        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());

        Files.write(ck, java.util.Arrays.copyOf(good, good.length - 7));
        e = assertThrows(CheckpointException.class, () -> fresh.resume(ck));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());

        Files.write(ck, java.util.Arrays.copyOf(good, 20));
        e = assertThrows(CheckpointException.class, () -> fresh.resume(ck));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());

        Files.write(ck, "not a checkpoint at all, just some text".getBytes());
        e = assertThrows(CheckpointException.class, () -> fresh.resume(ck));
        assertTrue(e.getMessage().contains("magic"), e.getMessage());

        assertArrayEquals(before, fresh.params().values());
        assertEquals(0, fresh.step());

        // a valid file from a different optimizer or model is refused before anything changes
        Files.write(ck, good);
        Trainer<RegressionBatch> sgd = trainer(base(), new Sgd());
        e = assertThrows(CheckpointException.class, () -> sgd.resume(ck));
        assertTrue(e.getMessage().contains("'adamw'"), e.getMessage());
        Trainer<RegressionBatch> bigger = new Trainer<>(new LinearRegression(D_IN + 1, D_OUT, Rng.seeded(1)),
                new RegressionTask(D_IN + 1, D_OUT, NOISE, Rng.seeded(2)), new AdamW(0.01), Schedule.constant(0.1), base());
        float[] bBefore = bigger.params().values().clone();
        e = assertThrows(CheckpointException.class, () -> bigger.resume(ck));
        assertTrue(e.getMessage().contains("W[3,6]"), e.getMessage());
        assertArrayEquals(bBefore, bigger.params().values());
        fresh.resume(ck);
        assertEquals(5, fresh.step());
        assertArrayEquals(t.params().values(), fresh.params().values());
    }

    @Test
    void checkpointWriteLeavesNoTemporaryFiles() throws IOException {
        Path ck = dir.resolve("sub/dir/x.ckpt");
        Trainer<RegressionBatch> t = trainer(base().withCheckpoints(1, ck), new Sgd(0.5, 0));
        for (int i = 0; i < 3; i++) t.trainStep();
        try (var s = Files.list(ck.getParent())) {
            assertEquals(List.of(ck.getFileName().toString()), s.map(p -> p.getFileName().toString()).toList());
        }
        assertEquals(3, Checkpoint.read(ck).step());
    }

    @Test
    void configProblemsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TrainerConfig(1, 10, 8, 0, 1, 0, 0, 0, 0, null));
        assertTrue(e.getMessage().contains("chunkSize=0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainerConfig.of(1, 10, 8).withCheckpoints(5, null));
        assertTrue(e.getMessage().contains("checkpointPath"), e.getMessage());
    }

    @Test
    void projectionConstraintRunsAfterEveryUpdate() {
        TrainerConfig cfg = base();
        Trainer<RegressionBatch> t = trainer(cfg, new Sgd());
        t.constraint(dev.onelayer.model.optim.Projections.affine("W"));
        t.trainStep();
        Params p = t.params();
        for (int c = 0; c < D_IN; c++) {
            double s = 0;
            for (int r = 0; r < D_OUT; r++) s += p.get("W").get(r, c);
            assertEquals(1.0, s, 4 * D_OUT * 0x1p-24 * 4);
        }
    }

    @Test
    void trackedStreamsAndMetadataTravelWithTheCheckpoint() throws IOException {
        Path ck = dir.resolve("t.ckpt");
        Rng extra = Rng.stream(123, "dropout");
        Trainer<RegressionBatch> t = trainer(base().withCheckpoints(3, ck), new Sgd())
                .trackStream("dropout", extra).meta("config", "{\"d\": 6}");
        for (int i = 0; i < 3; i++) {
            extra.nextLong(); // a consumer of the extra stream, drawing before the step is checkpointed
            t.trainStep();
        }
        long next = Rng.fromState(extra.state()).nextLong();
        Rng restored = Rng.seeded(0);
        Trainer<RegressionBatch> r = trainer(base(), new Sgd()).trackStream("dropout", restored);
        r.resume(ck);
        assertEquals(next, restored.nextLong());
        assertEquals("{\"d\": 6}", Checkpoint.read(ck).meta().get("config"));

        Trainer<RegressionBatch> missing = trainer(base(), new Sgd()).trackStream("other", Rng.seeded(1));
        float[] before = missing.params().values().clone();
        CheckpointException e = assertThrows(CheckpointException.class, () -> missing.resume(ck));
        assertTrue(e.getMessage().contains("'other'"), e.getMessage());
        assertArrayEquals(before, missing.params().values());
    }
}
