package dev.onelayer.model.optim;

import dev.onelayer.model.core.Param;
import dev.onelayer.model.core.Params;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Stochastic gradient descent as {@code torch.optim.SGD} (dampening 0, no Nesterov):
 * {@code g ← ∇θ + λθ}; with momentum μ > 0, {@code b ← μ b + g} (b = g on the first step) and
 * {@code θ ← θ − lr·b}; without momentum {@code θ ← θ − lr·g}. λ (coupled L2 decay) is per group.
 */
public final class Sgd implements Optimizer {

    private final double momentum;
    private final DecayGroups decay;
    private float[] buffer; // momentum buffer b, null until the first step
    private long steps;

    /** Plain SGD. */
    public Sgd() {
        this(0, 0);
    }

    /** SGD with momentum μ in [0, 1) and L2 weight decay λ on the {@link Params#DECAY} group. */
    public Sgd(double momentum, double weightDecay) {
        if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("Sgd: momentum=" + momentum + " must be in [0, 1)");
        this.momentum = momentum;
        this.decay = new DecayGroups(weightDecay);
    }

    /** Sets the weight decay of one group. */
    public Sgd groupDecay(String group, double weightDecay) {
        decay.set(group, weightDecay);
        return this;
    }

    @Override
    public void step(Params params, double lr) {
        Steps.checkLr("Sgd", lr);
        float[] w = params.values(), g = params.grads();
        if (momentum > 0 && buffer == null) buffer = new float[w.length];
        if (buffer != null && buffer.length != w.length) {
            throw new IllegalArgumentException("Sgd: state has " + buffer.length + " entries but params have " + w.length);
        }
        for (int k = 0, count = params.count(); k < count; k++) {
            Param p = params.param(k);
            double lambda = decay.of(p);
            for (int i = p.offset(), end = p.offset() + p.size(); i < end; i++) {
                float gi = (float) (g[i] + lambda * w[i]);
                if (momentum > 0) {
                    gi = steps == 0 ? gi : (float) (momentum * buffer[i] + gi);
                    buffer[i] = gi;
                }
                w[i] = (float) (w[i] - lr * gi);
            }
        }
        steps++;
    }

    @Override
    public String name() {
        return "sgd";
    }

    @Override
    public void writeState(DataOutputStream out) throws IOException {
        out.writeDouble(momentum);
        out.writeLong(steps);
        Steps.writeFloats(out, buffer);
    }

    @Override
    public void readState(DataInputStream in, Params params) throws IOException {
        double m = in.readDouble();
        if (Double.doubleToLongBits(m) != Double.doubleToLongBits(momentum)) {
            throw new IOException("Sgd: checkpoint momentum " + m + " differs from configured " + momentum);
        }
        long s = in.readLong();
        if (s < 0) throw new IOException("Sgd: negative step count " + s);
        float[] b = Steps.readFloats(in, params.size(), "momentum buffer");
        if (momentum > 0 && s > 0 && b == null) throw new IOException("Sgd: " + s + " steps taken but no momentum buffer saved");
        steps = s;
        buffer = b;
    }

    /** Number of steps taken. */
    public long steps() {
        return steps;
    }
}
