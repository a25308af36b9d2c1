"""Near-duplicate signatures are part of the archive: they must not change between versions."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from ingest.arabic import words
from store import dedup
from tests.store.conftest import HOSPITAL_STORY

RECORDED_SIGNATURE_START = [703331677, 91554528, 184118546, 36361182]
RECORDED_BAND_KEYS_START = [156534990689738687, 8276496096672350322]
STORY = "افتتحت وزارة الصحة اليوم مستشفى الكرك الجديد بسعة مئتي سرير بعد ثلاث سنوات من العمل"

# Every value of the signature of STORY, as datasketch 2.0.0 signed it (MinHash(num_perm=64,
# seed=20240312, scheme="affine32", hashfunc=int), update_batch of the shingle hashes): the signing
# that archives were first written with, reproduced now without the library.
RECORDED_SIGNATURE = [
    703331677, 91554528, 184118546, 36361182, 73965033, 971570187, 264156557, 78820436,
    301931681, 568587911, 64462394, 130363939, 524780336, 20829567, 264799252, 617424394,
    143965634, 133779599, 591445163, 117357890, 150459823, 404176786, 115799465, 324760993,
    701353641, 235674567, 41939095, 29257102, 34703953, 553871498, 439658209, 978909482,
    12879638, 42793533, 135624630, 229264579, 372511013, 224396770, 625787170, 72237741,
    171236957, 482437932, 221987552, 17949099, 946047473, 496778579, 100746483, 136934059,
    272547575, 346025453, 388830730, 360804715, 118247873, 196522340, 594495068, 691555513,
    361282468, 682458394, 75440075, 423300210, 96579769, 12999845, 24919888, 455605740,
]  # fmt: skip
# SHA-256 of the stored bytes of the signatures of texts without words, shorter than a shingle, and
# of several paragraphs, recorded from datasketch 2.0.0 in the same way.
RECORDED_SIGNATURE_DIGESTS = {
    "": "cda99a280eaa325332d8f1717fa72745d3ad84df924106acd61dfd8306c8531e",
    "وزارة الصحة": "65c89dd2ecc4264d08b4e0a64b9ff95cd0f4c2083fce20a66310a9793b2d804d",
    HOSPITAL_STORY: "b83f6b09b1b26c583928dea84baa7fca75c172963a09d99c522d0d4c3be300be",
}


def test_a_text_signs_to_the_same_bands_as_in_archives_already_written():
    # Recorded from the signing that archives are written with: a change of seed, scheme or shingling
    # would leave every stored article unable to match the copies of its story found later.
    signature = dedup.signature(words(STORY))

    assert signature[:4].tolist() == RECORDED_SIGNATURE_START
    assert dedup.band_keys(signature)[:2] == RECORDED_BAND_KEYS_START


def test_every_value_of_a_signature_is_as_archives_recorded_it():
    signature = dedup.signature(words(STORY))

    assert signature.dtype == np.uint64
    assert signature.tolist() == RECORDED_SIGNATURE


@pytest.mark.parametrize("text", RECORDED_SIGNATURE_DIGESTS, ids=["no words", "two words", "paragraphs"])
def test_short_and_long_texts_sign_as_archives_recorded_them(text):
    stored = dedup.signature_to_bytes(dedup.signature(words(text)))

    assert hashlib.sha256(stored).hexdigest() == RECORDED_SIGNATURE_DIGESTS[text]
