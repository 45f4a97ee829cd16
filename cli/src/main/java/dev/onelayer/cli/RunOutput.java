package dev.onelayer.cli;

import dev.onelayer.cli.io.Charts;
import dev.onelayer.cli.io.Csv;
import dev.onelayer.cli.io.Json;
import dev.onelayer.kernel.KernelProvider;
import dev.onelayer.kernel.Kernels;
import org.knowm.xchart.internal.chartpart.Chart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The files one run writes into its --out directory, each atomically; remembers their names so
 * result.json can list them. {@link #environment()} is the block every result.json carries.
 */
public final class RunOutput {

    private final Path dir;
    private final List<String> files = new ArrayList<>();

    public RunOutput(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public void csv(String name, Csv table) {
        io(() -> table.write(dir.resolve(name)));
        files.add(name);
    }

    public void chart(String name, Chart<?, ?> chart) {
        io(() -> Charts.save(chart, dir, name));
        files.add(name + ".png");
        files.add(name + ".svg");
    }

    /** Writes {@code name} (usually result.json) with the files written so far under "files". */
    public void json(String name, Map<String, Object> content) {
        files.add(name);
        content.put("files", new ArrayList<>(files));
        io(() -> Json.write(dir.resolve(name), content));
    }

    public List<String> files() {
        return List.copyOf(files);
    }

    /** Kernel implementation, JDK and processors: what a reader needs to compare timings. */
    public static Map<String, Object> environment() {
        Map<String, Object> env = Json.object();
        env.put("kernel", Kernels.implementation().name());
        env.put("vector_bits", KernelProvider.vectorBitSize());
        env.put("jdk", Runtime.version().toString());
        env.put("available_processors", Runtime.getRuntime().availableProcessors());
        return env;
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static void io(IoAction a) {
        try {
            a.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
