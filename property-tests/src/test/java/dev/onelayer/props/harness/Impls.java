package dev.onelayer.props.harness;

import dev.onelayer.kernel.DenseOps;
import dev.onelayer.kernel.KernelProvider;
import dev.onelayer.kernel.ScalarDenseOps;
import java.util.ArrayList;
import java.util.List;

/** The implementations a property runs against: always scalar, plus vector when this JVM can run it. */
public final class Impls {

    private Impls() {
    }

    public static List<DenseOps> dense() {
        List<DenseOps> all = new ArrayList<>();
        all.add(new ScalarDenseOps());
        if (!"scalar".equals(System.getProperty(KernelProvider.PROPERTY))) {
            KernelProvider.vectorImplementation(DenseOps.class, "dev.onelayer.kernel.vector.VectorDenseOps")
                    .ifPresent(all::add);
        }
        return all;
    }
}
