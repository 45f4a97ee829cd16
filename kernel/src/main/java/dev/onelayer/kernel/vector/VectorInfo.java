package dev.onelayer.kernel.vector;

import java.util.function.IntSupplier;
import jdk.incubator.vector.FloatVector;

/** Reports the preferred float vector width; loaded by name only once the module is known readable. */
public final class VectorInfo implements IntSupplier {
    @Override
    public int getAsInt() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }
}
