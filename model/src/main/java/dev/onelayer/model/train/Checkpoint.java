package dev.onelayer.model.train;

import dev.onelayer.model.core.Param;
import dev.onelayer.model.core.Params;
import dev.onelayer.model.optim.Optimizer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One training state in one file: seed, step, parameters, optimizer state and RNG stream states.
 *
 * <p>Layout (big-endian): magic {@code "OLCKPT"}, version (u16), payload length (i64), payload,
 * SHA-256 of everything before it. Payload: seed, step, parameters (name, group, shape, float
 * bits), optimizer name and state blob, stream states, metadata strings. Writing goes to a temporary file in the same directory, which
 * is fsynced and then atomically renamed over the target, so a crash leaves either the old file or
 * the new one, never a mix. Reading checks length and digest before parsing anything, and parses
 * everything before changing the model, so a truncated or corrupted file is refused whole.
 */
public final class Checkpoint {

    private static final byte[] MAGIC = "OLCKPT".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    private static final int HEADER = MAGIC.length + 2 + 8;
    private static final int DIGEST = 32;

    private Checkpoint() {
    }

    /** Everything a checkpoint holds, parsed and verified. */
    public static final class Data {
        private final long seed, step;
        private final List<String> names = new ArrayList<>();
        private final List<String> groups = new ArrayList<>();
        private final List<int[]> shapes = new ArrayList<>();
        private final List<float[]> values = new ArrayList<>();
        private String optimizerName;
        private byte[] optimizerState;
        private final Map<String, long[]> rngStates = new LinkedHashMap<>();
        private final Map<String, String> meta = new LinkedHashMap<>();

        private Data(long seed, long step) {
            this.seed = seed;
            this.step = step;
        }

        public long seed() {
            return seed;
        }

        /** Completed steps when written. */
        public long step() {
            return step;
        }

        public String optimizerName() {
            return optimizerName;
        }

        /** Saved stream states by name. */
        public Map<String, long[]> rngStates() {
            return Collections.unmodifiableMap(rngStates);
        }

        /** Free-form metadata saved with the state. */
        public Map<String, String> meta() {
            return Collections.unmodifiableMap(meta);
        }

        /** Names of the saved parameters in order. */
        public List<String> parameterNames() {
            return Collections.unmodifiableList(names);
        }

        /** A copy of the saved values of one parameter. */
        public float[] values(String name) {
            int k = names.indexOf(name);
            if (k < 0) throw new IllegalArgumentException("checkpoint has no parameter '" + name + "' (has " + names + ")");
            return values.get(k).clone();
        }

        /**
         * Loads parameters and optimizer state. Layout and optimizer state are validated first; on
         * any mismatch nothing is changed.
         */
        public void restore(Params params, Optimizer optimizer) throws CheckpointException {
            List<Param> list = params.list();
            if (list.size() != names.size()) {
                throw new CheckpointException("checkpoint has " + names.size() + " parameters " + names
                        + " but the model has " + list.size());
            }
            for (int k = 0; k < list.size(); k++) {
                Param p = list.get(k);
                if (!p.name().equals(names.get(k)) || !Arrays.equals(p.shape(), shapes.get(k)) || !p.group().equals(groups.get(k))) {
                    throw new CheckpointException("checkpoint parameter " + k + " is " + names.get(k) + Arrays.toString(shapes.get(k)).replace(" ", "")
                            + "(" + groups.get(k) + ") but the model has " + p.describe());
                }
            }
            if (optimizer != null) {
                if (!optimizer.name().equals(optimizerName)) {
                    throw new CheckpointException("checkpoint optimizer is '" + optimizerName + "' but the trainer uses '" + optimizer.name() + "'");
                }
                DataInputStream in = new DataInputStream(new ByteArrayInputStream(optimizerState));
                try {
                    optimizer.readState(in, params);
                    if (in.available() != 0) throw new CheckpointException("optimizer state has " + in.available() + " unread bytes");
                } catch (CheckpointException e) {
                    throw e;
                } catch (IOException e) {
                    throw new CheckpointException("optimizer state does not fit: " + e.getMessage(), e);
                }
            }
            for (int k = 0; k < list.size(); k++) list.get(k).from(values.get(k));
        }
    }

    /** Writes a checkpoint without metadata; see {@link #write(Path, long, long, Params, Optimizer, Map, Map)}. */
    public static void write(Path path, long seed, long step, Params params, Optimizer optimizer,
                             Map<String, long[]> rngStates) throws IOException {
        write(path, seed, step, params, optimizer, rngStates, Map.of());
    }

    /**
     * Writes a checkpoint atomically (temp file in the same directory, fsync, atomic rename).
     *
     * @param rngStates stream states by name ({@link dev.onelayer.model.core.Rng#state()})
     * @param meta      free-form text (e.g. the experiment config) stored alongside, may be empty
     */
    public static void write(Path path, long seed, long step, Params params, Optimizer optimizer,
                             Map<String, long[]> rngStates, Map<String, String> meta) throws IOException {
        if (path == null) throw new IllegalArgumentException("Checkpoint.write: path is null");
        if (params == null) throw new IllegalArgumentException("Checkpoint.write: params are null");
        ByteArrayOutputStream payloadBytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(payloadBytes);
        out.writeLong(seed);
        out.writeLong(step);
        out.writeInt(params.count());
        float[] w = params.values();
        for (Param p : params.list()) {
            out.writeUTF(p.name());
            out.writeUTF(p.group());
            int[] shape = p.shape();
            out.writeInt(shape.length);
            for (int d : shape) out.writeInt(d);
            for (int i = p.offset(), end = p.offset() + p.size(); i < end; i++) out.writeInt(Float.floatToRawIntBits(w[i]));
        }
        if (optimizer == null) {
            out.writeUTF("");
            out.writeInt(0);
        } else {
            ByteArrayOutputStream ob = new ByteArrayOutputStream();
            DataOutputStream od = new DataOutputStream(ob);
            optimizer.writeState(od);
            od.flush();
            out.writeUTF(optimizer.name());
            out.writeInt(ob.size());
            ob.writeTo(out);
        }
        Map<String, long[]> rngs = rngStates == null ? Map.of() : rngStates;
        out.writeInt(rngs.size());
        for (Map.Entry<String, long[]> e : rngs.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeInt(e.getValue().length);
            for (long x : e.getValue()) out.writeLong(x);
        }
        Map<String, String> m = meta == null ? Map.of() : meta;
        out.writeInt(m.size());
        for (Map.Entry<String, String> e : m.entrySet()) {
            out.writeUTF(e.getKey());
            byte[] v = e.getValue().getBytes(StandardCharsets.UTF_8); // writeUTF caps at 64 KiB
            out.writeInt(v.length);
            out.write(v);
        }
        out.flush();
        byte[] payload = payloadBytes.toByteArray();

        ByteBuffer file = ByteBuffer.allocate(HEADER + payload.length + DIGEST);
        file.put(MAGIC).putShort((short) VERSION).putLong(payload.length).put(payload);
        file.put(sha256(file.array(), 0, HEADER + payload.length));
        file.flip();

        Path abs = path.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, abs.getFileName().toString() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                while (file.hasRemaining()) ch.write(file);
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("Checkpoint.write: the file system of " + dir + " cannot rename atomically", e);
            }
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Reads and fully verifies a checkpoint; throws {@link CheckpointException} naming the problem. */
    public static Data read(Path path) throws IOException {
        if (path == null) throw new IllegalArgumentException("Checkpoint.read: path is null");
        byte[] bytes = Files.readAllBytes(path);
        int m = Math.min(bytes.length, MAGIC.length);
        if (!Arrays.equals(Arrays.copyOfRange(bytes, 0, m), Arrays.copyOfRange(MAGIC, 0, m)) || bytes.length == 0) {
            throw new CheckpointException(path + ": not a onelayer checkpoint (bad magic)");
        }
        if (bytes.length < HEADER + DIGEST) {
            throw new CheckpointException(path + ": truncated checkpoint (" + bytes.length + " bytes, a valid one has at least " + (HEADER + DIGEST) + ")");
        }
        ByteBuffer h = ByteBuffer.wrap(bytes, MAGIC.length, 10);
        int version = h.getShort() & 0xffff;
        if (version != VERSION) throw new CheckpointException(path + ": unsupported checkpoint version " + version + " (this build reads " + VERSION + ")");
        long len = h.getLong();
        long expected = HEADER + len + DIGEST;
        if (len < 0 || expected != bytes.length) {
            throw new CheckpointException(path + ": " + (bytes.length < expected ? "truncated" : "wrong size") + " checkpoint: header says "
                    + expected + " bytes, file has " + bytes.length);
        }
        byte[] digest = sha256(bytes, 0, (int) (HEADER + len));
        if (!Arrays.equals(digest, Arrays.copyOfRange(bytes, (int) (HEADER + len), bytes.length))) {
            throw new CheckpointException(path + ": corrupted checkpoint (SHA-256 mismatch)");
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, HEADER, (int) len));
        try {
            Data d = new Data(in.readLong(), in.readLong());
            if (d.step < 0) throw new CheckpointException(path + ": negative step " + d.step);
            int count = in.readInt();
            if (count < 0 || count > len) throw new CheckpointException(path + ": bad parameter count " + count);
            for (int k = 0; k < count; k++) {
                d.names.add(in.readUTF());
                d.groups.add(in.readUTF());
                int rank = in.readInt();
                if (rank <= 0 || rank > 16) throw new CheckpointException(path + ": parameter " + d.names.get(k) + " has rank " + rank);
                int[] shape = new int[rank];
                long size = 1;
                for (int r = 0; r < rank; r++) {
                    shape[r] = in.readInt();
                    if (shape[r] <= 0) throw new CheckpointException(path + ": parameter " + d.names.get(k) + " has dimension " + shape[r]);
                    size *= shape[r];
                    if (size * 4 > len) throw new CheckpointException(path + ": parameter " + d.names.get(k) + " is larger than the file");
                }
                d.shapes.add(shape);
                float[] v = new float[(int) size];
                for (int i = 0; i < v.length; i++) v[i] = Float.intBitsToFloat(in.readInt());
                d.values.add(v);
            }
            d.optimizerName = in.readUTF();
            int olen = in.readInt();
            if (olen < 0 || olen > in.available()) throw new CheckpointException(path + ": optimizer state length " + olen + " does not fit");
            d.optimizerState = in.readNBytes(olen);
            int nr = in.readInt();
            if (nr < 0 || nr > len) throw new CheckpointException(path + ": bad stream count " + nr);
            for (int k = 0; k < nr; k++) {
                String name = in.readUTF();
                int sl = in.readInt();
                if (sl < 0 || sl > 64) throw new CheckpointException(path + ": stream '" + name + "' has state length " + sl);
                long[] st = new long[sl];
                for (int i = 0; i < sl; i++) st[i] = in.readLong();
                d.rngStates.put(name, st);
            }
            int nm = in.readInt();
            if (nm < 0 || nm > len) throw new CheckpointException(path + ": bad metadata count " + nm);
            for (int k = 0; k < nm; k++) {
                String key = in.readUTF();
                int vl = in.readInt();
                if (vl < 0 || vl > in.available()) throw new CheckpointException(path + ": metadata '" + key + "' length " + vl + " does not fit");
                d.meta.put(key, new String(in.readNBytes(vl), StandardCharsets.UTF_8));
            }
            if (in.available() != 0) throw new CheckpointException(path + ": " + in.available() + " unexpected trailing payload bytes");
            return d;
        } catch (EOFException e) {
            throw new CheckpointException(path + ": checkpoint payload ends early", e);
        }
    }

    private static byte[] sha256(byte[] a, int off, int len) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(a, off, len);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** Makes the rename durable where the platform allows opening a directory (Linux); elsewhere a no-op. */
    private static void syncDirectory(Path dir) {
        if (dir == null) return;
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Windows cannot open directories; the rename itself is still atomic there.
        }
    }
}
