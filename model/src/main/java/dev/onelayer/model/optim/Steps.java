package dev.onelayer.model.optim;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** Shared helpers for optimizer state I/O and argument checks. */
final class Steps {

    private Steps() {
    }

    static void checkLr(String who, double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) throw new IllegalArgumentException(who + ": learning rate " + lr + " must be finite and >= 0");
    }

    /** Writes a length (-1 for null) then the floats. */
    static void writeFloats(DataOutputStream out, float[] a) throws IOException {
        if (a == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(a.length);
        for (float f : a) out.writeFloat(f);
    }

    /** Reads what {@link #writeFloats} wrote; the length must be -1 (null) or {@code expected}. */
    static float[] readFloats(DataInputStream in, int expected, String what) throws IOException {
        int n = in.readInt();
        if (n == -1) return null;
        if (n != expected) throw new IOException("optimizer " + what + " has " + n + " entries but the model has " + expected + " parameters");
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = in.readFloat();
        return a;
    }
}
