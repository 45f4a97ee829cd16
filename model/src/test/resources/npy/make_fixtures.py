#!/usr/bin/python3
"""Writes the tiny NumPy fixtures the Java Npy/Npz tests read.

Run from this directory with the system python and NumPy: /usr/bin/python3 make_fixtures.py
Values are exact in every dtype (small integers, halves, quarters) plus a few edge values, so the
Java tests can state them literally. The tests never need Python; the outputs are committed.
"""
import numpy as np

np.save("f4_1d.npy", np.array([0.5, -1.25, 3.0, 1e-3, -0.0], dtype="<f4"))
np.save("f8_1d.npy", np.array([0.1, -2.5, 1e300, np.pi], dtype="<f8"))
np.save("i4_1d.npy", np.array([0, -1, 2147483647, -2147483648], dtype="<i4"))
np.save("i8_1d.npy", np.array([0, -1, 9007199254740993, -(2**63)], dtype="<i8"))
np.save("f4_2x3.npy", np.arange(6, dtype="<f4").reshape(2, 3) / 4)
np.save("f8_scalar.npy", np.array(2.75, dtype="<f8"))
np.save("f4_empty_0x3.npy", np.zeros((0, 3), dtype="<f4"))
# refused by the reader
np.save("f4_fortran_2x3.npy", np.asfortranarray(np.arange(6, dtype="<f4").reshape(2, 3)))
np.save("f8_bigendian.npy", np.array([1.0, 2.0], dtype=">f8"))
np.save("u1_1d.npy", np.array([1, 2, 3], dtype="u1"))
# version 2.0 header
np.lib.format.write_array(open("f4_v2_2x2.npy", "wb"), np.array([[1, 2], [3, 4]], dtype="<f4"), version=(2, 0))
np.savez("arrays.npz", w=np.arange(12, dtype="<f4").reshape(3, 4) - 5.5, steps=np.array([1, 2, 3], dtype="<i8"),
         p=np.array([0.25, 0.75], dtype="<f8"))
