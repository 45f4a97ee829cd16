package dev.onelayer.model.optim;

import dev.onelayer.model.core.Param;
import dev.onelayer.model.core.Params;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Weight decay per parameter group: {@link Params#DECAY} gets the default coefficient, any other
 * group gets 0 unless set with {@link #set}. (The usual transformer recipe: decay matrices, not
 * biases, gains or positional tables.)
 */
final class DecayGroups {

    private final Map<String, Double> byGroup = new LinkedHashMap<>();

    DecayGroups(double defaultDecay) {
        set(Params.DECAY, defaultDecay);
    }

    void set(String group, double decay) {
        if (group == null) throw new IllegalArgumentException("weight decay: group is null");
        if (!(decay >= 0) || Double.isInfinite(decay)) {
            throw new IllegalArgumentException("weight decay for group '" + group + "' is " + decay + "; must be finite and >= 0");
        }
        byGroup.put(group, decay);
    }

    double of(Param p) {
        Double d = byGroup.get(p.group());
        return d == null ? 0 : d;
    }

    @Override
    public String toString() {
        return byGroup.toString();
    }
}
