package dev.onelayer.model.core;

import java.io.IOException;

/** A {@code .npy}/{@code .npz} file that is malformed, truncated or of an unsupported kind. */
public final class NpyFormatException extends IOException {

    public NpyFormatException(String message) {
        super(message);
    }
}
