#!/usr/bin/env python3
"""Writes the small fixtures the data loader tests read. Run from this folder: python3 make_fixtures.py

- tiny-images-idx3-ubyte(.gz), tiny-labels-idx1-ubyte(.gz): 5 images of 3x2 pixels, labels 0..3,
  raw and gzip; truncated-images-idx3-ubyte: the header promises 5 images, 2.5 follow.
- hashed_ngrams.npy: hashed bag-of-n-gram features of SENTENCES (dims 16, n <= 2), computed here
  independently of the Java code, as the reference for HashedNgramsTest.
"""
import gzip
import re
import struct

import numpy as np

images = np.arange(30, dtype=np.uint8).reshape(5, 3, 2) * 8
labels = np.array([0, 3, 1, 2, 3], dtype=np.uint8)
img = struct.pack('>BBBBiii', 0, 0, 0x08, 3, 5, 3, 2) + images.tobytes()
lab = struct.pack('>BBBBi', 0, 0, 0x08, 1, 5) + labels.tobytes()
for name, data in [('tiny-images-idx3-ubyte', img), ('tiny-labels-idx1-ubyte', lab)]:
    with open(name, 'wb') as f:
        f.write(data)
    with gzip.open(name + '.gz', 'wb') as f:
        f.write(data)
with open('truncated-images-idx3-ubyte', 'wb') as f:
    f.write(img[:16 + 15])

SENTENCES = ["Wow... Loved this place.", "Crust is NOT good, didn't like it!", "", "Ünïcode café ok 42"]


def fnv1a(s):
    h = 0x811c9dc5
    for b in s.encode('utf-8'):
        h ^= b
        h = (h * 0x01000193) & 0xffffffff
    return h


def mix(h):
    h ^= h >> 16
    h = (h * 0x85ebca6b) & 0xffffffff
    h ^= h >> 13
    h = (h * 0xc2b2ae35) & 0xffffffff
    h ^= h >> 16
    return h


def featurize(text, dims=16, max_n=2):
    words = [w.strip("'") for w in re.split(r"[^\w']+|_", text.lower())]
    words = [w for w in words if w]
    v = np.zeros(dims)
    for n in range(1, max_n + 1):
        for i in range(len(words) - n + 1):
            h = fnv1a(' '.join(words[i:i + n]))
            v[h % dims] += 1 if mix(h) & 1 == 0 else -1
    norm = np.linalg.norm(v)
    return v / norm if norm > 0 else v


np.save('hashed_ngrams.npy', np.stack([featurize(s) for s in SENTENCES]))
