package dev.onelayer.model.train;

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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class TrainerTest {

    static final int D_IN = 6, D_OUT = 3;
    static final double NOISE = 0.1;

    static Trainer<RegressionBatch> trainer(TrainerConfig cfg, Optimizer opt) {
        RegressionTask task = new RegressionTask(D_IN, D_OUT, NOISE, Rng.stream(cfg.seed(), "task"));
        LinearRegression model = new LinearRegression(D_IN, D_OUT, Rng.stream(cfg.seed(), "init"));
        return new Trainer<>(model, task, opt, Schedule.constant(0.05), cfg);
    }

    @Test
    void learnsTheLinearMapDownToTheNoiseFloor() {
        TrainerConfig cfg = TrainerConfig.of(7, 400, 32).withEval(100, 256);
        List<EvalMetrics> evals = new ArrayList<>();
        Trainer<RegressionBatch> t = trainer(cfg, new Sgd(0.9, 0));
        t.listener(new MetricsListener() {
            public void onStep(StepMetrics m) { }
            public void onEval(EvalMetrics m) { evals.add(m); }
        });
        TrainResult r = t.run();
        assertEquals(400, r.steps());
        assertEquals(4, evals.size());
        // The Bayes risk of the per-example MSE is the noise variance; an untrained model is O(dIn).
        double bayes = NOISE * NOISE;
        assertTrue(r.finalEvalLoss() < 1.5 * bayes && r.finalEvalLoss() > 0.5 * bayes, "eval loss " + r.finalEvalLoss());
    }
}
