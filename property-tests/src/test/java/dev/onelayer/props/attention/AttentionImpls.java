package dev.onelayer.props.attention;

import dev.onelayer.kernel.AttentionOps;
import dev.onelayer.kernel.KernelProvider;
import dev.onelayer.kernel.ScalarAttentionOps;
import java.util.ArrayList;
import java.util.List;

/** The attention implementations a property runs against: scalar, plus vector when this JVM can run it. */
final class AttentionImpls {

    private AttentionImpls() {
    }

    static List<AttentionOps> all() {
        List<AttentionOps> all = new ArrayList<>();
        all.add(new ScalarAttentionOps());
        if (!"scalar".equals(System.getProperty(KernelProvider.PROPERTY))) {
            KernelProvider.vectorImplementation(AttentionOps.class, "dev.onelayer.kernel.vector.VectorAttentionOps")
                    .ifPresent(all::add);
        }
        return all;
    }
}
