package dev.onelayer.model.train;

import java.io.IOException;

/** A checkpoint file that is truncated, corrupted or does not fit the model; nothing was loaded. */
public final class CheckpointException extends IOException {

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
