package dev.onelayer.model.icar;

import org.junit.jupiter.api.Test;

class ScratchTest {
    @Test
    void explore() {
        System.out.println(AugmentedExperiment.run(new AugmentedExperiment.Config(ArProcess.Kind.ROTATION_BLOCKS, 10, ArProcess.Start.RANDOM, new int[] {5, 8, 10, 19}, 0, 1000, 128, 1e-2, 4096, 0, 2)).summary());
        System.out.println(AugmentedExperiment.run(new AugmentedExperiment.Config(ArProcess.Kind.ROTATION_BLOCKS, 10, ArProcess.Start.ONES, new int[] {5, 19}, 0, 1000, 128, 1e-2, 4096, 0, 2)).summary());
        System.out.println(AugmentedExperiment.run(new AugmentedExperiment.Config(ArProcess.Kind.ROTATION_BLOCKS, 10, ArProcess.Start.RANDOM, new int[] {}, 20, 1000, 128, 1e-2, 4096, 0, 2)).summary());
    }
}
