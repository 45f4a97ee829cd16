package dev.onelayer.model.optim;

import dev.onelayer.model.core.Param;
import dev.onelayer.model.core.Params;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Adam with bias correction (Kingma &amp; Ba 2015, Alg. 1) and either decoupled weight decay
 * (AdamW, Loshchilov &amp; Hutter 2019, Alg. 2, as {@code torch.optim.AdamW}) or coupled L2 decay
 * (as {@code torch.optim.Adam(weight_decay=λ)}). At step t (from 1), per scalar:
 * <pre>
 *   decoupled: θ ← θ(1 − lr·λ)          coupled: g ← g + λθ
 *   m ← β₁m + (1−β₁)g,   v ← β₂v + (1−β₂)g²
 *   θ ← θ − lr · (m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε)
 * </pre>
 * λ is per parameter group: the {@link Params#DECAY} group gets the constructor's value, others 0
 * unless set with {@link #groupDecay}.
 */
public final class AdamW implements Optimizer {

    private final double beta1, beta2, eps;
    private final boolean decoupled;
    private final DecayGroups decay;
    private float[] m, v;
    private long t;

    /** AdamW (decoupled decay) with PyTorch's defaults β = (0.9, 0.999), ε = 1e-8. */
    public AdamW(double weightDecay) {
        this(0.9, 0.999, 1e-8, weightDecay, true);
    }

    /**
     * @param decoupled true for AdamW, false for Adam with L2 decay added to the gradient
     */
    public AdamW(double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
        if (!(beta1 >= 0 && beta1 < 1)) throw new IllegalArgumentException("AdamW: beta1=" + beta1 + " must be in [0, 1)");
        if (!(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("AdamW: beta2=" + beta2 + " must be in [0, 1)");
        if (!(eps >= 0) || Double.isInfinite(eps)) throw new IllegalArgumentException("AdamW: eps=" + eps + " must be finite and >= 0");
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.decoupled = decoupled;
        this.decay = new DecayGroups(weightDecay);
    }

    /** Adam (no decay) with PyTorch's defaults. */
    public static AdamW adam() {
        return new AdamW(0.9, 0.999, 1e-8, 0, true);
    }

    /** Sets the weight decay of one group. */
    public AdamW groupDecay(String group, double weightDecay) {
        decay.set(group, weightDecay);
        return this;
    }

    @Override
    public void step(Params params, double lr) {
        Steps.checkLr("AdamW", lr);
        float[] w = params.values(), g = params.grads();
        if (m == null) {
            m = new float[w.length];
            v = new float[w.length];
        }
        if (m.length != w.length) throw new IllegalArgumentException("AdamW: state has " + m.length + " entries but params have " + w.length);
        t++;
        double bc1 = 1 - StrictMath.pow(beta1, t);
        double sqrtBc2 = StrictMath.sqrt(1 - StrictMath.pow(beta2, t));
        double stepSize = lr / bc1;
        for (int k = 0, count = params.count(); k < count; k++) {
            Param p = params.param(k);
            double lambda = decay.of(p);
            double shrink = decoupled ? 1 - lr * lambda : 1;
            double l2 = decoupled ? 0 : lambda;
            for (int i = p.offset(), end = p.offset() + p.size(); i < end; i++) {
                double wi = w[i] * shrink;
                double gi = g[i] + l2 * w[i];
                float mi = (float) (beta1 * m[i] + (1 - beta1) * gi);
                float vi = (float) (beta2 * v[i] + (1 - beta2) * gi * gi);
                m[i] = mi;
                v[i] = vi;
                w[i] = (float) (wi - stepSize * mi / (Math.sqrt(vi) / sqrtBc2 + eps));
            }
        }
    }

    @Override
    public String name() {
        return decoupled ? "adamw" : "adam-l2";
    }

    /** Steps taken (t in the bias correction). */
    public long steps() {
        return t;
    }

    @Override
    public void writeState(DataOutputStream out) throws IOException {
        out.writeDouble(beta1);
        out.writeDouble(beta2);
        out.writeDouble(eps);
        out.writeLong(t);
        Steps.writeFloats(out, m);
        Steps.writeFloats(out, v);
    }

    @Override
    public void readState(DataInputStream in, Params params) throws IOException {
        double b1 = in.readDouble(), b2 = in.readDouble(), e = in.readDouble();
        if (b1 != beta1 || b2 != beta2 || e != eps) {
            throw new IOException("AdamW: checkpoint has beta1=" + b1 + " beta2=" + b2 + " eps=" + e
                    + " but this optimizer has beta1=" + beta1 + " beta2=" + beta2 + " eps=" + eps);
        }
        long steps = in.readLong();
        if (steps < 0) throw new IOException("AdamW: negative step count " + steps);
        float[] m1 = Steps.readFloats(in, params.size(), "first moment");
        float[] v1 = Steps.readFloats(in, params.size(), "second moment");
        if ((m1 == null) != (v1 == null) || (m1 == null && steps > 0)) throw new IOException("AdamW: inconsistent moment state");
        t = steps;
        m = m1;
        v = v1;
    }
}
