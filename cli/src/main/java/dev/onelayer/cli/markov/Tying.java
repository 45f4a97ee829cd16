package dev.onelayer.cli.markov;

/** Which head(s) to run: {@code --tying both|tied|untied}. */
enum Tying {
    both, tied, untied;

    boolean[] heads() {
        switch (this) {
            case tied:
                return new boolean[] {true};
            case untied:
                return new boolean[] {false};
            default:
                return new boolean[] {true, false};
        }
    }
}
