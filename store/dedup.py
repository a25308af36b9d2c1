"""Duplicate detection: a hash of the folded text for exact copies, MinHash + LSH bands for near copies.

Near-duplicates (one agency story syndicated on several sites, lightly edited) are found by the
Jaccard similarity of word shingles of the folded Arabic text, estimated with MinHash. The
signature is cut into bands; two articles that share any band are candidates, and a candidate
whose estimated similarity passes NEAR_DUP_JACCARD joins the same cluster. Bands live in the
database (table minhash_bands) so that every worker on a shared PostgreSQL sees the same index.
"""

from __future__ import annotations

import hashlib

import numpy as np
from datasketch import MinHash

from ingest.arabic import words

SHINGLE_WORDS = 4
NUM_PERM = 128
BANDS = 32
ROWS_PER_BAND = NUM_PERM // BANDS
# With 32 bands of 4 rows, pairs at Jaccard 0.6 become candidates with probability 0.98.
NEAR_DUP_JACCARD = 0.6

# Fixed seed and scheme: signatures stored in the database must stay comparable across runs.
_SCHEME = "affine32"
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=20240312, scheme=_SCHEME).permutations


def text_hash(text: str) -> str:
    """Hash of the folded words: the same text with other diacritics, spacing or punctuation matches."""
    return hashlib.sha256(" ".join(words(text)).encode()).hexdigest()


def shingles(text: str) -> set[bytes]:
    tokens = words(text)
    if len(tokens) <= SHINGLE_WORDS:
        return {" ".join(tokens).encode()}
    return {" ".join(tokens[i : i + SHINGLE_WORDS]).encode() for i in range(len(tokens) - SHINGLE_WORDS + 1)}


def signature(text: str) -> np.ndarray:
    minhash = MinHash(num_perm=NUM_PERM, permutations=_PERMUTATIONS, scheme=_SCHEME)
    minhash.update_batch(list(shingles(text)))
    return minhash.hashvalues.astype(np.uint64)


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
