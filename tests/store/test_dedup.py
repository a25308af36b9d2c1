"""Near-duplicate signatures are part of the archive: they must not change between versions."""

from __future__ import annotations

from ingest.arabic import words
from store import dedup

RECORDED_SIGNATURE_START = [703331677, 91554528, 184118546, 36361182]
RECORDED_BAND_KEYS_START = [156534990689738687, 8276496096672350322]
STORY = "افتتحت وزارة الصحة اليوم مستشفى الكرك الجديد بسعة مئتي سرير بعد ثلاث سنوات من العمل"


def test_a_text_signs_to_the_same_bands_as_in_archives_already_written():
    # Recorded from the signing that archives are written with: a change of seed, scheme or shingling
    # would leave every stored article unable to match the copies of its story found later.
    signature = dedup.signature(words(STORY))

    assert signature[:4].tolist() == RECORDED_SIGNATURE_START
    assert dedup.band_keys(signature)[:2] == RECORDED_BAND_KEYS_START
