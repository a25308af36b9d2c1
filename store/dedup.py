"""Duplicate detection: a hash of the folded text for exact copies, MinHash + LSH bands for near copies.

Both work on the folded words of `ingest.arabic.words()`, computed once per article by the caller.
Near-duplicates (one agency story syndicated on several sites, lightly edited) are found by the
Jaccard similarity of word shingles of the folded Arabic text, estimated with MinHash. The
signature is cut into bands; two articles that share any band are candidates, and a candidate
whose estimated similarity passes NEAR_DUP_JACCARD joins the same cluster. Bands live in the
database (table minhash_bands) so that every worker on a shared PostgreSQL sees the same index.
"""

from __future__ import annotations

import functools
import hashlib
import zlib

import numpy as np

SHINGLE_WORDS = 4
NUM_PERM = 64
BANDS = 16
ROWS_PER_BAND = NUM_PERM // BANDS
# 16 bands of 4 rows: pairs at Jaccard 0.7 become candidates with probability 0.99, at 0.6 with
# 0.89. More bands would find a few more 0.6 pairs at the price of a random index write per band
# per article, the largest cost of storing an article.
NEAR_DUP_JACCARD = 0.6

# Fixed seed and permutations: signatures stored in the database must stay comparable across runs.
# Archives were first signed with datasketch's MinHash(num_perm=64, seed=_SEED, scheme="affine32");
# the signing below reproduces its values bit for bit without the library (which imports SciPy, most
# of a second of CPU in every process that signs).
_SEED = 20240312
_EMPTY = np.uint32(0xFFFFFFFF)
_FMIX32 = (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16)  # MurmurHash3's 32-bit finalizer
_SHINGLE_MULTIPLIERS = (0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D, 0x27D4EB2F)


def text_hash(tokens: list[str]) -> str:
    """Hash of the folded words: the same text with other diacritics, spacing or punctuation matches."""
    return hashlib.sha256(" ".join(tokens).encode()).hexdigest()


def shingle_hashes(tokens: list[str]) -> np.ndarray:
    """32-bit hashes of the distinct SHINGLE_WORDS-word shingles, combined from per-word CRCs.

    Word hashes are combined with numpy instead of hashing each shingle's text in Python: ten
    times faster, and MinHash mixes the values again (fmix) before permuting them.
    """
    if not tokens:
        return np.zeros(1, dtype=np.uint64)
    words_hashed = np.fromiter((zlib.crc32(t.encode()) for t in tokens), dtype=np.uint64, count=len(tokens))
    if len(tokens) < SHINGLE_WORDS:
        words_hashed = np.pad(words_hashed, (0, SHINGLE_WORDS - len(tokens)))
    span = len(words_hashed) - SHINGLE_WORDS + 1
    combined = np.zeros(span, dtype=np.uint64)
    for offset, multiplier in enumerate(_SHINGLE_MULTIPLIERS):
        combined = combined * np.uint64(multiplier) + words_hashed[offset : offset + span]
    return np.unique(combined & np.uint64(0xFFFFFFFF))


def signature(tokens: list[str]) -> np.ndarray:
    """The NUM_PERM minima of the shingle hashes under the affine permutations h -> a*h + b mod 2^32.

    The hashes are first mixed by a fixed bijection (fmix32): shingle hashes combined from word CRCs
    are structured, and the affine maps alone would keep that structure.
    """
    multipliers, offsets = _permutations()
    mixed = _fmix32(shingle_hashes(tokens).astype(np.uint32))
    # One row per permutation (each minimum a reduction over contiguous memory), one column per
    # shingle; uint32 arithmetic wraps, which is the mod 2^32.
    permuted = multipliers[:, np.newaxis] * mixed + offsets[:, np.newaxis]
    return permuted.min(axis=1, initial=_EMPTY).astype(np.uint64)


def _fmix32(hashes: np.ndarray) -> np.ndarray:
    shift1, multiplier1, shift2, multiplier2, shift3 = _FMIX32
    hashes = hashes ^ (hashes >> np.uint32(shift1))
    hashes = hashes * np.uint32(multiplier1)
    hashes = hashes ^ (hashes >> np.uint32(shift2))
    hashes = hashes * np.uint32(multiplier2)
    return hashes ^ (hashes >> np.uint32(shift3))


@functools.cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """Odd multipliers and offsets, drawn in datasketch's order from numpy's legacy RandomState, whose
    stream numpy keeps stable across versions. Made on first use: numpy.random is imported lazily,
    and only the processes that sign article text need it."""
    draws = np.random.RandomState(_SEED)
    multipliers = draws.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    offsets = draws.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return multipliers, offsets


def signature_to_bytes(sig: np.ndarray) -> bytes:
    return sig.astype("<u8").tobytes()


def signature_from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<u8")


def band_keys(sig: np.ndarray) -> list[int]:
    """One signed 63-bit key per band (fits BIGINT everywhere); the band number is part of the key."""
    keys = []
    for band in range(BANDS):
        rows = sig[band * ROWS_PER_BAND : (band + 1) * ROWS_PER_BAND].astype("<u8").tobytes()
        digest = hashlib.blake2b(rows + band.to_bytes(2, "little"), digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little") >> 1)
    return keys


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two signatures."""
    return float(np.count_nonzero(a == b)) / NUM_PERM
