package dev.onelayer.model.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * NumPy's {@code .npz}: a zip archive with one {@code name.npy} entry per array (what
 * {@code np.savez} writes and {@code np.load} reads). Read through the central directory, so
 * NumPy's zip64 entries are fine.
 */
public final class Npz {

    private Npz() {
    }

    /** Writes the arrays (insertion order) as {@code key.npy} entries, deflated. */
    public static void write(Path path, Map<String, NpyArray> arrays) throws IOException {
        if (path == null || arrays == null) throw new IllegalArgumentException("Npz.write: path and arrays are required");
        try (OutputStream os = Files.newOutputStream(path); ZipOutputStream zip = new ZipOutputStream(os)) {
            for (Map.Entry<String, NpyArray> e : arrays.entrySet()) {
                String key = e.getKey();
                if (key == null || key.isEmpty()) throw new IllegalArgumentException("Npz.write: empty array name");
                if (e.getValue() == null) throw new IllegalArgumentException("Npz.write: array '" + key + "' is null");
                zip.putNextEntry(new ZipEntry(key + ".npy"));
                zip.write(Npy.toBytes(e.getValue()));
                zip.closeEntry();
            }
        }
    }

    /** Reads every {@code .npy} entry, keyed by its name without the suffix, in archive order. */
    public static Map<String, NpyArray> read(Path path) throws IOException {
        if (path == null) throw new IllegalArgumentException("Npz.read: path is null");
        Map<String, NpyArray> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(path.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (e.isDirectory()) continue;
                String name = e.getName();
                if (!name.endsWith(".npy")) throw new NpyFormatException(path + ": entry '" + name + "' is not an .npy array");
                byte[] bytes;
                try (InputStream in = zip.getInputStream(e)) {
                    bytes = in.readAllBytes();
                } catch (ZipException ze) {
                    throw new NpyFormatException(path + ": entry '" + name + "' is corrupted: " + ze.getMessage());
                }
                out.put(name.substring(0, name.length() - 4), Npy.read(bytes, path + "[" + name + "]"));
            }
        } catch (ZipException ze) {
            throw new NpyFormatException(path + ": not a readable .npz (zip) archive: " + ze.getMessage());
        }
        return out;
    }
}
