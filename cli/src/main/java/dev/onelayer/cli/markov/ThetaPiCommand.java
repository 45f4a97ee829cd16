package dev.onelayer.cli.markov;

import dev.onelayer.cli.UsageException;
import dev.onelayer.cli.io.Csv;
import dev.onelayer.model.markov.MarkovExperiments;
import dev.onelayer.model.markov.MarkovExperiments.ThetaPiRow;
import dev.onelayer.model.markov.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Locale;

/**
 * Experiment 4: the theory model started at θ_π (e = 0, W_1 = W_2 = W_O = 0, b = log(p/q); the
 * reference code's {@code --init ashok}) for several (p, q), next to the curvature
 * λ_min(2(p+q−1)I + Cov(pos)). Thm 2: tied with p + q &gt; 1 (λ_min &gt; 0), θ_π is a local
 * minimum and training stays; untied it is a saddle. Writes {@code thetapi.csv}.
 */
@Command(name = "theta-pi", mixinStandardHelpOptions = true, description = "Experiment 4: start at theta_pi; report lambda_min(2(p+q-1)I + Cov(pos)) next to whether training stays.")
public final class ThetaPiCommand extends ExperimentCommand {

    @Option(names = "--pairs", paramLabel = "P:Q,...", split = ",", defaultValue = "0.2:0.3,0.3:0.5,0.4:0.8,0.5:0.8,0.8:0.5,0.9:0.9",
            description = "(p, q) pairs (default: ${DEFAULT-VALUE}).")
    String[] pairs;

    @Option(names = "--tying", paramLabel = "WHICH", defaultValue = "both", description = "both, tied or untied (default: ${DEFAULT-VALUE}).")
    Tying tying;

    @Override
    String name() {
        return "theta-pi";
    }

    @Override
    TrainConfig defaults() {
        return TrainConfig.paper(0.2, 0.3, true).withInit(TrainConfig.Init.UNIGRAM, 0.02);
    }

    private double[][] parsed() {
        double[][] pq = new double[pairs.length][];
        for (int i = 0; i < pairs.length; i++) {
            String[] s = pairs[i].split(":");
            try {
                if (s.length != 2) throw new NumberFormatException();
                pq[i] = new double[] {Double.parseDouble(s[0]), Double.parseDouble(s[1])};
            } catch (NumberFormatException e) {
                throw new UsageException("--pairs: '" + pairs[i] + "' is not P:Q");
            }
            if (!(pq[i][0] > 0 && pq[i][0] < 1 && pq[i][1] > 0 && pq[i][1] < 1)) {
                throw new UsageException("--pairs: theta_pi needs p, q in (0, 1), got " + pairs[i]);
            }
        }
        return pq;
    }

    @Override
    long totalSteps(TrainConfig base, long[] seeds) {
        return (long) pairs.length * tying.heads().length * seeds.length * base.steps();
    }

    @Override
    void execute(TrainConfig base, long[] seeds, MarkovExperiments.Progress progress, MarkovReport report) {
        if (base.architecture() != TrainConfig.Architecture.THEORY) throw new UsageException("--model: theta_pi is defined for the theory model only");
        List<ThetaPiRow> rows = MarkovExperiments.thetaPi(base, parsed(), tying.heads(), seeds, progress);
        Csv csv = new Csv("p", "q", "tied", "seed", "lambda_min", "initial_loss", "final_loss", "entropy_rate", "unigram_entropy",
                "stays", "predicted_to_stay");
        int agree = 0;
        for (ThetaPiRow r : rows) {
            csv.row(r.p(), r.q(), r.tied() ? 1 : 0, r.seed(), r.lambdaMin(), r.initialLoss(), r.finalLoss(), r.run().entropyRate(),
                    r.run().unigramEntropy(), r.stays() ? 1 : 0, r.predictedToStay() ? 1 : 0);
            report.add(String.format(Locale.ROOT, "%s (%.2g, %.2g) s%d lam %+.3f %s", r.tied() ? "tied" : "untied", r.p(), r.q(), r.seed(),
                    r.lambdaMin(), r.stays() ? "stays" : "leaves"), r.run());
            if (r.stays() == r.predictedToStay()) agree++;
        }
        report.output().csv("thetapi.csv", csv);
        report.summary("runs_where_staying_matches_tied_and_lambda_min_positive", agree + "/" + rows.size());
    }
}
