package dev.onelayer.cli;

import dev.onelayer.kernel.Attention;
import dev.onelayer.kernel.KernelProvider;
import dev.onelayer.kernel.Kernels;
import dev.onelayer.kernel.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

/** {@code onelayer info}: the kernel implementation in use, vector width, JDK and threads. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Print the kernel implementation, vector width, JDK and threads.")
final class Info implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        int bits = KernelProvider.vectorBitSize();
        out.println("kernel:       " + Kernels.implementation().name() + " (" + KernelProvider.describe() + ")");
        out.println("scb gather:   " + Attention.implementation().scbGather()
                + " (form 5's token gather; -Donelayer.scb.gather=auto|indexed|permute, same bits)");
        out.println("vector width: " + (bits == 0 ? "none (scalar)" : bits + " bits = " + bits / 32 + " float lanes"));
        out.println("jdk:          " + System.getProperty("java.vm.name") + " " + Runtime.version());
        out.println("os/arch:      " + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        out.println("threads:      " + Parallel.maxThreads() + " available");
        out.flush();
    }
}
