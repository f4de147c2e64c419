#!/usr/bin/env python3
"""Writes the NumPy golden files that NpyTest and NpzTest read. Run from this folder:

    python3 make_goldens.py

The arrays are small and deterministic; expected values are restated in the tests.
"""
import io
import zipfile

import numpy as np
from numpy.lib import format as npf

f8 = np.arange(12, dtype='<f8').reshape(3, 4) / 8.0 - 0.5
f8[0, 0] = np.pi
f8[2, 3] = -1e300
np.save('f8_3x4.npy', f8)
np.save('f4_5.npy', np.array([1.5, -2.25, 3.0e-8, 65504.0, -0.0], dtype='<f4'))
np.save('i4_2x3.npy', np.array([[1, -2, 3], [2147483647, -2147483648, 0]], dtype='<i4'))
np.save('i8_4.npy', np.array([0, -1, 2**53 + 1, -(2**62)], dtype='<i8'))
np.save('f8_empty.npy', np.zeros((0,), dtype='<f8'))
with open('f8_v2_2x2.npy', 'wb') as fh:
    npf.write_array(fh, np.array([[1.0, 2.0], [3.0, 4.0]]), version=(2, 0))
np.save('fortran_2x2.npy', np.asfortranarray(np.array([[1.0, 2.0], [3.0, 4.0]])))
np.save('u1_3.npy', np.array([1, 2, 3], dtype='u1'))
np.save('f8_3d.npy', np.zeros((2, 2, 2)))
np.save('big_endian.npy', np.array([1.0, 2.0], dtype='>f8'))
# a truncated copy: the header promises 12 doubles, only 5 follow
with open('f8_3x4.npy', 'rb') as fh:
    whole = fh.read()
with open('truncated.npy', 'wb') as fh:
    fh.write(whole[:len(whole) - 7 * 8])

np.savez('stored.npz', x=f8, labels=np.array([3, 1, 4], dtype='<i8'))
np.savez_compressed('deflated.npz', w=np.array([[0.25, -0.5]], dtype='<f4'), b=np.array([7, 8], dtype='<i4'))
with open('bad_magic.npy', 'wb') as fh:
    fh.write(b'not numpy at all')
