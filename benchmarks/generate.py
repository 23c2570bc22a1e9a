#!/usr/bin/env python
"""Seedable synthetic release tables for benchmarks, with injected errors.

    python benchmarks/generate.py --table events --rows 1000000 --format parquet \\
        --out /tmp/iw-bench/events-1m.parquet --seed 1 --inject IW301=10 --inject IW303=10

Every release table can be generated at any size. Rows are schema-valid: the exact
Arrow schema of ``iraq_withdrawal.schema.derive.arrow_schema(table)``, ids matching
their patterns and unique, enums from the vocabularies, event subtypes that belong to
their type, date intervals that fit their precision (the rules of
``validators/consistency.py``), derived columns (``date_prec``, ``plover_category``)
computed as the build computes them, and Arabic text sampled as word sequences from
the five article texts in ``datasets/sources/``.

Every value is a pure function of ``(seed, table, row number)`` (a counter-based
hash, no sequential random state), so a file is the same whatever the batch size,
and a row of any table can be recomputed on its own: references between tables
(``statements.speaker``, ``event_actors.event``, ``evidence.record`` ...) point at ids
that the generator gives the referenced table for the same seed.

Parquet is written with zstd in row groups of ``--batch-rows`` rows; CSV exactly as
``iraq_withdrawal.io.tables.write_csv`` writes it (UTF-8, CRLF, minimal
quoting, ISO dates, lists as JSON arrays), built with vectorised pyarrow compute.
Both stream batch by batch, so memory stays bounded whatever the size.

``--inject RULE=COUNT`` (or ``RULE:VARIANT=COUNT``) puts exactly COUNT errors of that
rule at seeded random distinct rows, never two in one row, and writes
``OUT.expected.json``: ``{"rows": N, "injected": {"IW301": [rows...]}, "details": ...}``
with 1-based data row numbers. ``--list-injections`` shows what each table supports.
``--self-check`` compares a small generated table with the package's own writers and
validators.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dc_field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SOURCES_DIR = REPO / "datasets" / "sources"
DEFAULT_BATCH_ROWS = 100_000
TABLES = ("sources", "actors", "places", "events", "event_actors", "event_places", "statements", "figures", "evidence", "retired_ids")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# How many rows of a referenced table references point into (ids the generator gives
# rows 1..N of that table with the same seed). Sources: the five real articles.
REF_ROWS = {"sources": 5, "actors": 60, "places": 30, "events": 100_000, "statements": 100_000, "figures": 100_000}

# --- counter-based random numbers ---------------------------------------------

_U = np.uint64
_GOLD = _U(0x9E3779B97F4A7C15)


def _mix(z: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser (a bijection on uint64)."""
    with np.errstate(over="ignore"):
        z = (z ^ (z >> _U(30))) * _U(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> _U(27))) * _U(0x94D049BB133111EB)
        return z ^ (z >> _U(31))


@cache
def _salt(name: str) -> np.uint64:
    return _U(int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "little"))


class Rand:
    """Random draws per row: ``draw(salt)`` depends only on (seed, table, row index, salt)."""

    def __init__(self, seed: int, table: str, idx: np.ndarray):
        self.idx = np.asarray(idx, dtype=np.int64)
        key = _mix(np.array([_U(seed & 0xFFFFFFFFFFFFFFFF) ^ _salt("table:" + table)], dtype=np.uint64))[0]
        with np.errstate(over="ignore"):
            self._base = self.idx.astype(np.uint64) * _GOLD + key

    def __len__(self) -> int:
        return len(self.idx)

    def u64(self, salt: str) -> np.ndarray:
        with np.errstate(over="ignore"):
            return _mix(self._base ^ _salt(salt))

    def int(self, salt: str, n) -> np.ndarray:
        """Integers in [0, n) (n a number or an array)."""
        n = np.asarray(n)
        return (self.u64(salt) % n.astype(np.uint64)).astype(np.int64)

    def range(self, salt: str, low: int, high: int) -> np.ndarray:
        """Integers in [low, high]."""
        return low + self.int(salt, high - low + 1)

    def unit(self, salt: str) -> np.ndarray:
        return (self.u64(salt) >> _U(11)).astype(np.float64) * (1.0 / (1 << 53))

    def chance(self, salt: str, p: float) -> np.ndarray:
        return self.unit(salt) < p

    def pick(self, salt: str, weights) -> np.ndarray:
        """Index into ``weights`` drawn with those weights."""
        w = np.asarray(weights, dtype=np.float64)
        cum = np.cumsum(w / w.sum())
        cum[-1] = 1.0
        return np.minimum(np.searchsorted(cum, self.unit(salt), side="right"), len(w) - 1)


# --- string helpers ------------------------------------------------------------


def take(values, index: np.ndarray) -> pa.Array:
    """``values[index]`` as an Arrow string array (``values`` a list or Arrow array)."""
    arr = values if isinstance(values, pa.Array) else _pool_array(tuple(values))
    return arr.take(pa.array(np.asarray(index, dtype=np.int64)))


@cache
def _pool_array(values: tuple) -> pa.Array:
    return pa.array(list(values), type=pa.string())


def cat(*parts) -> pa.Array:
    """Element-wise concatenation (null if any part is null)."""
    return pc.binary_join_element_wise(*parts, "")


def num_str(values: np.ndarray) -> pa.Array:
    return pc.cast(pa.array(np.asarray(values, dtype=np.int64)), pa.string())


def where(mask: np.ndarray, a, b) -> pa.Array:
    return pc.if_else(pa.array(np.asarray(mask, dtype=bool)), a, b)


def null_where(mask: np.ndarray, arr: pa.Array) -> pa.Array:
    """``arr`` with nulls where ``mask`` is true."""
    return pc.if_else(pa.array(np.asarray(mask, dtype=bool)), pa.scalar(None, arr.type), arr)


def from_bytes(data: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> pa.Array:
    """Arrow strings ``data[starts[i]:ends[i]]`` gathered without a Python loop."""
    lengths = (ends - starts).astype(np.int64)
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    total = int(offsets[-1])
    if total >= 2**31 or len(data) >= 2**31:
        raise ValueError("batch too large for 32-bit string offsets; lower --batch-rows")
    gathered = np.empty(total, dtype=np.uint8)
    shift = (starts - offsets[:-1]).astype(np.int32)
    step = 8192  # rows per chunk: keeps the index arrays small
    for lo in range(0, len(lengths), step):
        hi = min(len(lengths), lo + step)
        a, b = int(offsets[lo]), int(offsets[hi])
        index = np.arange(a, b, dtype=np.int32)
        index += np.repeat(shift[lo:hi], lengths[lo:hi])
        gathered[a:b] = data[index]
    return pa.StringArray.from_buffers(len(lengths), pa.py_buffer(offsets.astype(np.int32)), pa.py_buffer(gathered))


def hex_strings(words: list[np.ndarray]) -> pa.Array:
    """Lower-case hex of the uint64 ``words`` of each row, 16 characters per word."""
    n = len(words[0])
    nibbles = []
    for w in words:
        shifts = np.arange(60, -4, -4, dtype=np.uint64)
        nibbles.append(((w[:, None] >> shifts[None, :]) & _U(0xF)).astype(np.uint8))
    table = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
    data = table[np.concatenate(nibbles, axis=1)].reshape(-1)
    width = 16 * len(words)
    offsets = (np.arange(n + 1, dtype=np.int64) * width).astype(np.int32)
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(np.ascontiguousarray(data)))


def perm32(x: np.ndarray) -> np.ndarray:
    """A bijection on [0, 2**32) (to make short, unique, random-looking hex ids)."""
    x = x.astype(np.uint64) & _U(0xFFFFFFFF)
    with np.errstate(over="ignore"):
        x = (x * _U(0x9E3779B1)) & _U(0xFFFFFFFF)
        x ^= x >> _U(16)
        x = (x * _U(0x85EBCA6B)) & _U(0xFFFFFFFF)
        x ^= x >> _U(13)
    return x


def hex8(x: np.ndarray) -> pa.Array:
    return pc.utf8_slice_codeunits(hex_strings([x.astype(np.uint64)]), 8, 16)


# --- the Arabic corpus -------------------------------------------------------


class Corpus:
    """Word sequences from the five article texts, as byte spans of their UTF-8 text."""

    def __init__(self, sources_dir: Path = DEFAULT_SOURCES_DIR):
        files = sorted(sources_dir.glob("src-*.txt"))
        if not files:
            raise SystemExit(f"no source texts (src-*.txt) in {sources_dir}")
        self.ids = [f.stem for f in files]
        self.texts = [f.read_text(encoding="utf-8") for f in files]
        self.sha256 = [hashlib.sha256(f.read_bytes()).hexdigest() for f in files]
        chunks, b0, b1, c0, c1, src, line_last = [], [], [], [], [], [], []
        base = 0
        for s, text in enumerate(self.texts):
            encoded = text.encode("utf-8")
            # code point -> byte offset
            cp_to_byte = np.zeros(len(text) + 1, dtype=np.int64)
            np.cumsum([len(ch.encode("utf-8")) for ch in text], out=cp_to_byte[1:])
            for line_match in re.finditer(r"[^\n]+", text):
                toks = [m for m in re.finditer(r"\S+", line_match.group(0))]
                if not toks:
                    continue
                first = len(b0)
                for m in toks:
                    start, end = line_match.start() + m.start(), line_match.start() + m.end()
                    b0.append(base + cp_to_byte[start])
                    b1.append(base + cp_to_byte[end])
                    c0.append(start)
                    c1.append(end)
                    src.append(s)
                line_last.extend([first + len(toks) - 1] * len(toks))
            chunks.append(encoded)
            base += len(encoded)
        self.data = np.frombuffer(b"".join(chunks), dtype=np.uint8)
        self.b0, self.b1 = np.array(b0, dtype=np.int64), np.array(b1, dtype=np.int64)
        self.c0, self.c1 = np.array(c0, dtype=np.int64), np.array(c1, dtype=np.int64)
        self.src = np.array(src, dtype=np.int64)
        self.line_last = np.array(line_last, dtype=np.int64)
        self.line_first = np.zeros_like(self.line_last)
        self.line_first[1:] = np.where(self.line_last[1:] != self.line_last[:-1], np.arange(1, len(self.line_last)), 0)
        self.line_first = np.maximum.accumulate(self.line_first)
        # a sequence starts with a word that begins with a letter or digit (never '=', '-', '(' ...)
        token_text = [self.data[a:b].tobytes().decode("utf-8") for a, b in zip(self.b0, self.b1)]
        ok = [bool(re.match(r"\w", t)) for t in token_text]
        self.safe = np.flatnonzero(ok)
        self.safe_by_source = [self.safe[self.src[self.safe] == s] for s in range(len(self.ids))]
        # next_safe[i]: the first safe token at or after token i (len(tokens) if none)
        self.next_safe = np.full(len(self.b0) + 1, len(self.b0), dtype=np.int64)
        self.next_safe[self.safe] = self.safe
        self.next_safe = np.minimum.accumulate(self.next_safe[::-1])[::-1]

    def spans(self, r: Rand, salt: str, min_words: int, max_words: int, source: np.ndarray | None = None):
        """Start and last token of one word sequence per row (within one paragraph)."""
        if source is None:
            start = self.safe[r.int(salt + ".start", len(self.safe))]
        else:
            start = np.empty(len(r), dtype=np.int64)
            for s, pool in enumerate(self.safe_by_source):
                rows = np.flatnonzero(source == s)
                if len(rows):
                    start[rows] = pool[r.int(salt + ".start", len(pool))[rows]]
        words = r.range(salt + ".len", min_words, max_words)
        # near the end of a paragraph, start earlier (at a safe word) so the sequence keeps its length
        earlier = self.next_safe[np.maximum(self.line_first[start], self.line_last[start] - words + 1)]
        start = np.where(start + words - 1 > self.line_last[start], np.minimum(start, earlier), start)
        last = np.minimum(start + words - 1, self.line_last[start])
        return start, last

    def text(self, r: Rand, salt: str, min_words: int, max_words: int) -> pa.Array:
        start, last = self.spans(r, salt, min_words, max_words)
        return from_bytes(self.data, self.b0[start], self.b1[last])


_CORPUS: Corpus | None = None


def corpus() -> Corpus:
    global _CORPUS
    if _CORPUS is None:
        _CORPUS = Corpus()
    return _CORPUS


# --- vocabularies for realistic values ---------------------------------------

# (slug, name_en, name_ar, kind, country)
ACTORS = [
    ("united-states", "United States", "الولايات المتحدة", "state", "US"),
    ("iraq", "Iraq", "العراق", "state", "IQ"),
    ("iraqi-government", "Iraqi government", "الحكومة العراقية", "government_body", "IQ"),
    ("global-coalition", "The coalition led by the United States", "التحالف بقيادة الولايات المتحدة", "coalition", None),
    ("islamic-state", "Islamic State (ISIS)", "تنظيم الدولة الإسلامية", "armed_group", None),
    ("us-armed-forces", "US armed forces", "القوات الأمريكية", "armed_forces", "US"),
    ("biden-administration", "Biden administration", "إدارة بايدن", "government_body", "US"),
    ("pentagon", "Pentagon", "البنتاغون", "government_body", "US"),
    ("sabrina-singh", "Sabrina Singh", "سابرينا سينغ", "person", "US"),
    ("mustafa-al-kadhimi", "Mustafa al-Kadhimi", "مصطفى الكاظمي", "person", "IQ"),
    ("mohammed-shia-al-sudani", "Mohammed Shia al-Sudani", "محمد شياع السوداني", "person", "IQ"),
    ("qais-al-khazali", "Qais al-Khazali", "قيس الخزعلي", "person", "IQ"),
    ("asaib-ahl-al-haq", "Asaib Ahl al-Haq", "عصائب أهل الحق", "armed_group", "IQ"),
    ("kataib-hezbollah", "Kataib Hezbollah", "كتائب حزب الله", "armed_group", "IQ"),
    ("islamic-resistance-in-iraq", "Islamic Resistance in Iraq", "المقاومة الإسلامية في العراق", "armed_group", "IQ"),
    ("popular-mobilisation-forces", "Popular Mobilisation Forces", "الحشد الشعبي", "armed_group", "IQ"),
    ("kurdistan-regional-government", "Kurdistan Regional Government", "حكومة إقليم كردستان", "government_body", "IQ"),
    ("iraqi-parliament", "Iraqi parliament", "البرلمان العراقي", "government_body", "IQ"),
    ("iraqi-army", "Iraqi army", "الجيش العراقي", "armed_forces", "IQ"),
    ("iraqi-security-forces", "Iraqi security forces", "القوات الأمنية العراقية", "armed_forces", "IQ"),
    ("iran", "Iran", "إيران", "state", "IR"),
    ("israel", "Israel", "إسرائيل", "state", "IL"),
    ("hezbollah", "Hezbollah", "حزب الله", "armed_group", "LB"),
    ("hamas", "Hamas", "حماس", "armed_group", None),
    ("nato", "NATO", "حلف شمال الأطلسي", "intergovernmental_organisation", None),
    ("united-nations", "United Nations", "الأمم المتحدة", "intergovernmental_organisation", None),
    ("associated-press", "Associated Press", "وكالة أسوشيتد برس", "media_outlet", None),
    ("agence-france-presse", "Agence France-Presse", "وكالة فرانس برس", "media_outlet", "FR"),
    ("al-sumaria", "Al Sumaria", "السومرية", "media_outlet", "IQ"),
    ("deutsche-welle", "Deutsche Welle", "دويتشه فيله", "media_outlet", "DE"),
    ("middle-east-institute", "Middle East Institute", "معهد الشرق الأوسط", "research_organisation", "US"),
    ("chatham-house", "Chatham House", "تشاتام هاوس", "research_organisation", "GB"),
    ("charles-lister", "Charles Lister", "تشارلز ليستر", "person", None),
    ("ellen-knickmeyer", "Ellen Knickmeyer", "إلين نيكماير", "person", None),
    ("lloyd-austin", "Lloyd Austin", "لويد أوستن", "person", "US"),
    ("fuad-hussein", "Fuad Hussein", "فؤاد حسين", "person", "IQ"),
    ("brett-mcgurk", "Brett McGurk", "بريت ماكغورك", "person", "US"),
    ("us-central-command", "US Central Command", "القيادة المركزية الأمريكية", "military_command", "US"),
    ("anonymous-us-officials", "US officials (unnamed)", "مسؤولون أمريكيون", "anonymous_source", "US"),
    ("anonymous-iraqi-officials", "Iraqi officials (unnamed)", "المسؤولون العراقيون", "anonymous_source", "IQ"),
    ("anonymous-western-officials", "Western officials (unnamed)", "مسؤولون غربيون", "anonymous_source", None),
    ("state-of-law-coalition", "State of Law Coalition", "ائتلاف دولة القانون", "political_party", "IQ"),
    ("sadrist-movement", "Sadrist movement", "التيار الصدري", "political_party", "IQ"),
    ("contractors", "Contractors", "المقاولين", "other", None),
    ("united-kingdom", "United Kingdom", "المملكة المتحدة", "state", "GB"),
    ("france", "France", "فرنسا", "state", "FR"),
    ("turkey", "Turkey", "تركيا", "state", "TR"),
    ("syria", "Syria", "سوريا", "state", "SY"),
]
MEDIA_ACTORS = [i for i, a in enumerate(ACTORS) if a[3] == "media_outlet"]
PERSONS = [a for a in ACTORS if a[3] == "person"]

# (slug, name_en, name_ar, kind, country, subdivision, where_prec)
PLACES = [
    ("iraq", "Iraq", "العراق", "country", "IQ", None, 6),
    ("baghdad", "Baghdad", "بغداد", "city", "IQ", "IQ-BG", 1),
    ("erbil", "Erbil", "أربيل", "city", "IQ", "IQ-AR", 1),
    ("ain-al-asad-air-base", "Ain al-Asad Air Base", "قاعدة عين الأسد الجوية", "military_base", "IQ", "IQ-AN", 1),
    ("harir-base", "Harir Base", "قاعدة الحرير", "military_base", "IQ", "IQ-AR", 1),
    ("victory-base", "Victory Base", "قاعدة فيكتوري", "military_base", "IQ", "IQ-BG", 1),
    ("baghdad-international-airport", "Baghdad International Airport", "مطار بغداد الدولي", "airport", "IQ", "IQ-BG", 1),
    ("erbil-international-airport", "Erbil International Airport", "مطار أربيل الدولي", "airport", "IQ", "IQ-AR", 1),
    ("kurdistan-region", "Kurdistan Region", "إقليم كردستان", "region", "IQ", None, 5),
    ("anbar", "Anbar", "الأنبار", "governorate", "IQ", "IQ-AN", 4),
    ("nineveh", "Nineveh", "نينوى", "governorate", "IQ", "IQ-NI", 4),
    ("mosul", "Mosul", "الموصل", "city", "IQ", "IQ-NI", 1),
    ("kirkuk", "Kirkuk", "كركوك", "city", "IQ", "IQ-KI", 1),
    ("basra", "Basra", "البصرة", "city", "IQ", "IQ-BA", 1),
    ("green-zone", "Green Zone", "المنطقة الخضراء", "other", "IQ", "IQ-BG", 2),
    ("us-embassy-baghdad", "US embassy in Baghdad", "السفارة الأمريكية في بغداد", "other", "IQ", "IQ-BG", 1),
    ("syria", "Syria", "سوريا", "country", "SY", None, 6),
    ("kuwait", "Kuwait", "الكويت", "country", "KW", None, 6),
    ("jordan", "Jordan", "الأردن", "country", "JO", None, 6),
    ("lebanon", "Lebanon", "لبنان", "country", "LB", None, 6),
    ("iran", "Iran", "إيران", "country", "IR", None, 6),
    ("washington", "Washington", "واشنطن", "city", "US", None, 1),
    ("gaza", "Gaza", "غزة", "region", None, None, None),
    ("middle-east", "Middle East", "منطقة الشرق الأوسط", "region", None, None, None),
    ("syria-iraq-border", "Desert border between Syria and Iraq", "الحدود الصحراوية بين سوريا والعراق", "border_area", None, None, 5),
    ("al-tanf", "Al-Tanf", "التنف", "military_base", "SY", None, 1),
    ("persian-gulf", "The Gulf", "الخليج", "body_of_water", None, None, 7),
    ("tigris", "Tigris", "نهر دجلة", "body_of_water", "IQ", None, 2),
    ("salah-al-din", "Salah al-Din", "صلاح الدين", "governorate", "IQ", "IQ-SD", 4),
    ("diyala", "Diyala", "ديالى", "governorate", "IQ", "IQ-DI", 4),
]

PLACE_PHRASES = ["in Iraq", "in Baghdad", "at Ain al-Asad Air Base", "in Erbil", "at Harir Base", "in the Kurdistan Region",
                 "in Anbar", "near Baghdad International Airport", "in Syria", "in the Middle East", "at Victory Base", "in Kuwait"]
SUBJECTS = ["The coalition led by the United States", "The Iraqi government", "US forces", "The Pentagon", "The Biden administration",
            "Armed factions", "The Islamic Resistance in Iraq", "The Iraqi parliament", "Prime Minister Mohammed Shia al-Sudani",
            "Prime Minister Mustafa al-Kadhimi", "Iraqi officials", "US officials", "Kataib Hezbollah", "NATO"]
VERBS = {  # per event subtype: what the subject did
    "combat_mission_end": ["ended its combat mission", "declared the end of the combat mission", "concluded combat operations"],
    "mission_change": ["moved to an advisory and training role", "changed the mission of its forces", "ended the military mission"],
    "troop_withdrawal": ["withdrew troops", "began pulling forces out", "left bases held for two decades"],
    "troop_deployment": ["deployed additional troops", "sent reinforcements", "moved forces"],
    "troop_presence": ["kept about 2,500 troops", "maintained a presence", "kept advisers stationed"],
    "base_handover": ["handed over a base to Iraqi forces", "transferred the base", "handed over the facility"],
    "equipment_transfer": ["moved military equipment out", "handed over equipment", "shipped heavy weapons out"],
    "talks": ["held talks on the future of the coalition", "began a dialogue round", "negotiated a timetable"],
    "agreement": ["announced an agreement to wind the mission down", "reached an agreement", "agreed on a two-phase transition"],
    "visit": ["made an official visit", "visited Washington", "received a delegation"],
    "meeting": ["met military commanders", "held a meeting", "met the ambassador"],
    "demand": ["demanded the withdrawal of foreign forces", "called for a timetable for the withdrawal", "requested the end of the mission"],
    "attack": ["attacked a base with rockets", "launched a drone attack", "targeted a convoy"],
    "airstrike": ["carried out airstrikes", "struck militia positions", "bombed a weapons depot"],
    "killing": ["killed a militia commander", "assassinated a faction leader", "killed a senior commander in a strike"],
    "war": ["waged war on the Islamic State organisation", "fought the Islamic State", "continued the war"],
    "legislation": ["voted on a resolution to expel foreign troops", "passed a resolution", "read a draft law"],
    "government_decision": ["decided to end the coalition's mission", "ordered a review of the foreign presence", "formed a committee"],
    "election": ["held parliamentary elections", "held early elections", "went to the polls"],
    "protest": ["protested against the foreign presence", "demonstrated outside the embassy", "rallied against US forces"],
    "appointment": ["appointed a new commander", "took office", "named a new envoy"],
    "other": ["issued a statement", "was mentioned", "reacted to the news"],
}
SUBTYPE_WEIGHTS = {"combat_mission_end": 4, "mission_change": 6, "troop_withdrawal": 10, "troop_deployment": 4, "troop_presence": 8,
                   "base_handover": 3, "equipment_transfer": 2, "talks": 8, "agreement": 6, "visit": 4, "meeting": 4, "demand": 6,
                   "attack": 9, "airstrike": 4, "killing": 2, "war": 2, "legislation": 3, "government_decision": 4, "election": 2,
                   "protest": 2, "appointment": 2, "other": 2}
STATUS_WEIGHTS = {"occurred": 55, "ongoing": 8, "announced": 12, "planned": 10, "threatened": 5, "denied": 3, "speculated": 7}
RELATIVE_PHRASES_AR = ["الخميس الماضي", "أول من أمس", "أمس", "الأسبوع الماضي", "الشهر الماضي", "العام الماضي", "يوم الجمعة",
                       "الجمعة الماضية", "اليوم", "الشهر المقبل", "العام المقبل", "سبتمبر القادم"]
INFERENCE_NOTES = ["inferred from the article's reference to the end of the combat mission",
                   "inferred from the announced two-phase transition",
                   "inferred from the dates of the talks reported in the other articles",
                   "inferred: the article says the war broke out nearly a year earlier"]
NOTES_EN = ["Sources differ on the date; the earliest report is used.", "The article does not name the base.",
            "Reported by one source only.", "The machine-translated text is garbled here.",
            "The figure is given as approximate."]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ROLES_AR = [("رئيس الحكومة العراقية", "Iraqi prime minister"), ("المتحدث باسم البنتاغون", "Pentagon spokesperson"),
            ("وزير الخارجية العراقي", "Iraqi foreign minister"), ("نائبة السكرتير الصحفي للبنتاغون", "Pentagon deputy press secretary"),
            ("الأمين العام", "secretary-general"), ("قائد القيادة المركزية", "commander of Central Command")]
TEXT_EN = ["Iraq will witness the withdrawal of the coalition's combat forces within days.",
           "Our footprint will change inside the country.", "There is no formal agreement on ending the coalition yet.",
           "The presence of foreign forces is no longer needed.", "The mission against the Islamic State is not over.",
           "We will continue to attack the occupation forces until they leave.",
           "The transition will be completed by September 2025."]
COUNTED = {"count": ["US troops in Iraq", "coalition troops", "attacks on US forces", "bases", "drones", "rockets", "soldiers killed"],
           "percent": ["share of troops to leave", "turnout"], "multiple": ["increase in attacks"],
           "usd": ["military aid", "cost of the deployment"], "decades": ["duration of the US military presence"],
           "years": ["years of war on the Islamic State organisation", "length of the mission"],
           "months": ["length of the first phase"], "weeks": ["length of the talks"], "days": ["days before the withdrawal"],
           "hours": ["duration of the attack"], "kilometres": ["distance from the border"], "ordinal": ["round of the dialogue"],
           "other": ["other quantity"]}
PUBLISHERS = [("الحرة", "Alhurra"), ("الجزيرة", "Al Jazeera"), ("العربية", "Al Arabiya"), ("السومرية", "Al Sumaria"),
              ("دويتشه فيله", "Deutsche Welle"), ("الشرق الأوسط", "Asharq Al-Awsat"), ("شفق نيوز", "Shafaq News")]
AGENCIES = [("أ ف ب", "AFP"), ("رويترز", "Reuters"), ("أ ب", "AP"), ("د ب أ", "dpa")]
DOMAINS = ["www.alhurra.com", "www.aljazeera.net", "www.alarabiya.net", "www.alsumaria.tv", "www.dw.com", "aawsat.com", "shafaq.com"]
ALIASES = [("التحالف الدولي", "the international coalition"), ("الكاظمي", "al-Kadhimi"), ("السوداني", "al-Sudani"),
           ("واشنطن", "Washington"), ("البنتاغون", "the Pentagon"), ("الفصائل المسلحة", "the armed factions"), ("الحشد", "the PMF")]


def _enum_values(table: str, column: str) -> list[str]:
    from iraq_withdrawal.schema.derive import columns

    return next(c for c in columns(table) if c.name == column).values


@cache
def _subtypes():
    from iraq_withdrawal.schema.enums import PLOVER_BY_SUBTYPE, SUBTYPES_BY_TYPE, EventSubtype

    subtypes = [s.value for s in EventSubtype]
    parent = {s.value: t.value for t, members in SUBTYPES_BY_TYPE.items() for s in members}
    plover = [PLOVER_BY_SUBTYPE[EventSubtype(s)] for s in subtypes]
    return subtypes, [parent[s] for s in subtypes], plover


# --- dates -------------------------------------------------------------------

_EPOCH = np.datetime64("1970-01-01", "D")
_DAY = np.timedelta64(1, "D")
PRECISIONS = ["day", "week", "month", "season", "year", "years"]


def ucdp_date_prec(start: np.ndarray, end: np.ndarray, valid: np.ndarray) -> pa.Array:
    """Vectorised ``validators.consistency.ucdp_date_prec`` (null where ``valid`` is false)."""
    days = (end - start).astype(np.int64)
    code = np.select([days <= 0, days <= 6, days <= 30, days <= 365], [1, 2, 3, 4], 5).astype(np.int8)
    return pa.array(code, type=pa.int8(), mask=~valid)


def date_array(days: np.ndarray, valid: np.ndarray) -> pa.Array:
    return pa.array(days.astype("datetime64[D]"), type=pa.date32(), mask=~valid)


def _dated(r: Rand, p_dated: float) -> dict[str, Any]:
    """Date columns that pass every IW5xx rule for a single table.

    Either all five date columns are null, or date_start, date_precision and
    date_basis are given (date_end too, except for a few open-ended intervals) with
    an interval that fits the precision, and a date_note whenever the basis is
    relative or inferred.
    """
    n = len(r)
    dated = r.chance("dated", p_dated)
    recent = r.chance("recent", 0.7)
    lo = np.where(recent, np.datetime64("2021-01-01"), np.datetime64("2014-06-01")).astype("datetime64[D]")
    hi = np.where(recent, np.datetime64("2024-12-31"), np.datetime64("2025-12-31")).astype("datetime64[D]")
    span = (hi - lo).astype(np.int64) + 1
    base = lo + (r.u64("base") % span.astype(np.uint64)).astype(np.int64) * _DAY
    prec = r.pick("precision", [55, 5, 17, 5, 12, 6])
    month = base.astype("datetime64[M]")
    year = base.astype("datetime64[Y]")
    start = base.copy()
    end = base.copy()
    sel = prec == 0  # day: one day, or a span of a few days
    end[sel] = base[sel] + np.where(r.chance("multiday", 0.15), r.range("extra", 1, 5), 0)[sel] * _DAY
    sel = prec == 1  # week: Sunday to Saturday (schema 1.1.0; 1970-01-01 was a Thursday)
    start[sel] = base[sel] - ((base[sel] - _EPOCH).astype(np.int64) + 4) % 7 * _DAY
    end[sel] = start[sel] + 6 * _DAY
    sel = prec == 2  # month
    start[sel] = month[sel].astype("datetime64[D]")
    end[sel] = (month[sel] + 1).astype("datetime64[D]") - _DAY
    sel = prec == 3  # season: three months
    start[sel] = month[sel].astype("datetime64[D]")
    end[sel] = (month[sel] + 3).astype("datetime64[D]") - _DAY
    sel = prec == 4  # year
    start[sel] = year[sel].astype("datetime64[D]")
    end[sel] = (year[sel] + 1).astype("datetime64[D]") - _DAY
    sel = prec == 5  # years
    start[sel] = year[sel].astype("datetime64[D]")
    end[sel] = (year[sel] + r.range("years", 2, 5)[sel]).astype("datetime64[D]") - _DAY
    open_end = dated & r.chance("open", 0.05)
    basis = r.pick("basis", [50, 30, 20])
    # date_note: required for relative/inferred, sometimes given for stated
    pub = end + r.range("pubdelay", 0, 14) * _DAY
    weekday = ((pub - _EPOCH).astype(np.int64) + 3) % 7
    pub_str = pc.cast(date_array(pub, np.ones(n, bool)), pa.string())
    relative = cat('"', take(RELATIVE_PHRASES_AR, r.int("phrase", len(RELATIVE_PHRASES_AR))), '" resolved against publication on ',
                   take(WEEKDAYS, weekday), " ", pub_str)
    inferred = take(INFERENCE_NOTES, r.int("inference", len(INFERENCE_NOTES)))
    start_str = pc.cast(date_array(start, np.ones(n, bool)), pa.string())
    printed = cat("printed as ", pc.utf8_slice_codeunits(start_str, 8, 10), "/", pc.utf8_slice_codeunits(start_str, 5, 7), "/",
                  pc.utf8_slice_codeunits(start_str, 0, 4))
    note = where(basis == 1, relative, where(basis == 2, inferred, printed))
    note = null_where(~dated | ((basis == 0) & ~r.chance("stated_note", 0.25)), note)
    return {
        "date_start": date_array(start, dated),
        "date_end": date_array(end, dated & ~open_end),
        "date_precision": null_where(~dated, take(PRECISIONS, prec)),
        "date_basis": null_where(~dated, take(["stated", "relative_to_publication", "inferred"], basis)),
        "date_note": note,
        "_start": start, "_end": end, "_dated": dated, "_closed": dated & ~open_end,
    }


# --- id functions (one per referenced table) --------------------------------


def _suffixed(slugs: pa.Array, idx: np.ndarray, pool_size: int, prefix: str) -> pa.Array:
    """``prefix-slug`` for the first ``pool_size`` rows, ``prefix-slug-N`` after (unique)."""
    plain = cat(prefix, slugs)
    return where(idx < pool_size, plain, cat(plain, "-", num_str(idx + 1)))


def actor_ids(seed: int, idx: np.ndarray) -> pa.Array:
    r = Rand(seed, "actors", idx)
    k = np.where(idx < len(ACTORS), idx, r.int("pool", len(ACTORS)))
    return _suffixed(take([a[0] for a in ACTORS], k), idx, len(ACTORS), "act-")


def _actor_pool_index(seed: int, idx: np.ndarray) -> np.ndarray:
    r = Rand(seed, "actors", idx)
    return np.where(idx < len(ACTORS), idx, r.int("pool", len(ACTORS)))


def place_ids(seed: int, idx: np.ndarray) -> pa.Array:
    r = Rand(seed, "places", idx)
    k = np.where(idx < len(PLACES), idx, r.int("pool", len(PLACES)))
    return _suffixed(take([p[0] for p in PLACES], k), idx, len(PLACES), "plc-")


def _source_hex(idx: np.ndarray) -> pa.Array:
    """8-hex-digit source slugs: the five real ones for rows 1-5, a bijection after."""
    real = corpus().ids
    x = perm32(idx)
    # a synthetic row whose hex equals a real source's gets the hex row k (< 5) would have had
    real_values = {int(s.removeprefix("src-"), 16): k for k, s in enumerate(real)}
    clash = np.isin(x, np.array(list(real_values), dtype=np.uint64)) & (idx >= len(real))
    if clash.any():
        for i in np.flatnonzero(clash):
            x[i] = perm32(np.array([real_values[int(x[i])]]))[0]
    out = hex8(x)
    is_real = idx < len(real)
    if is_real.any():
        out = where(is_real, take([s.removeprefix("src-") for s in real], np.minimum(idx, len(real) - 1)), out)
    return out


def source_ids(seed: int, idx: np.ndarray) -> pa.Array:
    return cat("src-", _source_hex(np.asarray(idx, dtype=np.int64)))


def _event_core(seed: int, idx: np.ndarray) -> dict[str, Any]:
    r = Rand(seed, "events", idx)
    subtypes, _, _ = _subtypes()
    sub = r.pick("subtype", [SUBTYPE_WEIGHTS[s] for s in subtypes])
    dates = _dated(r, 0.92)
    topic = r.int("topic", len(PLACES))
    start_str = pc.cast(date_array(dates["_start"], np.ones(len(r), bool)), pa.string())
    ym = cat(pc.utf8_slice_codeunits(start_str, 0, 7), "-")
    slug = cat(take([s.replace("_", "-") for s in subtypes], sub), "-", take([p[0] for p in PLACES], topic), "-", num_str(idx + 1))
    ids = cat("evt-", where(dates["_dated"], ym, pa.scalar("")), slug)
    return {"r": r, "sub": sub, "dates": dates, "id": ids}


def event_ids(seed: int, idx: np.ndarray) -> pa.Array:
    return _event_core(seed, np.asarray(idx, dtype=np.int64))["id"]


def _numbered_ids(prefix: str, seed: int, table: str, idx: np.ndarray) -> tuple[pa.Array, np.ndarray]:
    """``stm-3bc87bab-001``: the source's hex, then the row number (unique); returns the source index too."""
    r = Rand(seed, table, idx)
    src = r.int("source", REF_ROWS["sources"])
    ids = cat(prefix, _source_hex(src), "-", pc.utf8_lpad(num_str(idx + 1), width=3, padding="0"))
    return ids, src


def statement_ids(seed: int, idx: np.ndarray) -> pa.Array:
    return _numbered_ids("stm-", seed, "statements", np.asarray(idx, dtype=np.int64))[0]


def figure_ids(seed: int, idx: np.ndarray) -> pa.Array:
    return _numbered_ids("fig-", seed, "figures", np.asarray(idx, dtype=np.int64))[0]


ID_FUNCTIONS: dict[str, Callable[[int, np.ndarray], pa.Array]] = {
    "sources": source_ids, "actors": actor_ids, "places": place_ids, "events": event_ids,
    "statements": statement_ids, "figures": figure_ids,
}


def ref_ids(seed: int, table: str, r: Rand, salt: str, limit: int | None = None) -> pa.Array:
    """One id per row of ``r``, of a row of ``table`` (among its first REF_ROWS rows)."""
    n = limit or REF_ROWS[table]
    return ID_FUNCTIONS[table](seed, r.int(salt, n))


# --- columns of schema 1.1.0 (derived by the build from the other tables) ------


def _reported(r: Rand) -> dict[str, pa.Array]:
    """``reported_start``/``reported_end``: the publication window of the earliest source (a day, or a few days)."""
    n = len(r)
    start = np.datetime64("2021-01-01") + r.int("reported", 4 * 365) * _DAY
    end = start + np.where(r.chance("reported_window", 0.1), r.range("reported_days", 1, 6), 0) * _DAY
    return {"reported_start": date_array(start, np.ones(n, bool)), "reported_end": date_array(end, np.ones(n, bool))}


def _id_lists(ids: list[str], chosen: np.ndarray) -> pa.Array:
    """Lists of the ``ids`` (sorted) whose bit is set in each row's ``chosen`` mask."""
    ordered = sorted(ids)
    bits = (chosen[:, None] >> np.arange(len(ordered))[None, :]) & 1
    offsets = np.zeros(len(chosen) + 1, dtype=np.int32)
    np.cumsum(bits.sum(axis=1), out=offsets[1:])
    return pa.ListArray.from_arrays(pa.array(offsets), take(ordered, np.nonzero(bits)[1]))


def _event_sources(seed: int, r: Rand) -> dict[str, pa.Array]:
    """``source_ids`` (1-3 of the referenced sources, sorted) and ``source_count``."""
    pool = source_ids(seed, np.arange(REF_ROWS["sources"])).to_pylist()
    first = r.int("source_first", len(pool))
    second = (first + 1 + r.int("source_second", len(pool) - 1)) % len(pool)
    count = r.pick("source_count", [70, 25, 5])
    chosen = (np.int64(1) << first) | np.where(count >= 1, np.int64(1) << second, 0)
    third = (second + 1 + r.int("source_third", len(pool) - 1)) % len(pool)
    chosen |= np.where(count >= 2, np.int64(1) << third, 0)
    lists = _id_lists(pool, chosen)
    return {"source_ids": lists, "source_count": pa.array(pc.list_value_length(lists), type=pa.int16())}


# --- table generators ----------------------------------------------------------
# Each returns {column: Arrow array} for the 0-based row indices ``idx``.


def gen_events(seed: int, idx: np.ndarray) -> dict[str, pa.Array]:
    core = _event_core(seed, idx)
    r, sub, dates = core["r"], core["sub"], core["dates"]
    subtypes, parents, plover = _subtypes()
    verb_list = [v for s in subtypes for v in VERBS[s]]
    verb_start = np.cumsum([0] + [len(VERBS[s]) for s in subtypes])[:-1]
    verb_count = np.array([len(VERBS[s]) for s in subtypes])
    verb = verb_start[sub] + r.int("verb", verb_count[sub])
    summary_en = cat(take(SUBJECTS, r.int("subject", len(SUBJECTS))), " ", take(verb_list, verb), " ",
                     take(PLACE_PHRASES, r.int("place_phrase", len(PLACE_PHRASES))), ".")
    has_notes = r.chance("has_notes", 0.12)
    notes = where(r.chance("notes_ar", 0.5), corpus().text(r, "notes_ar", 5, 15), take(NOTES_EN, r.int("notes_en", len(NOTES_EN))))
    status = list(STATUS_WEIGHTS)
    return {
        "id": core["id"],
        "date_start": dates["date_start"],
        "date_end": dates["date_end"],
        "date_precision": dates["date_precision"],
        "date_basis": dates["date_basis"],
        "date_note": dates["date_note"],
        "event_type": take(parents, sub),
        "event_subtype": take(subtypes, sub),
        "status": take(status, r.pick("status", list(STATUS_WEIGHTS.values()))),
        "summary_en": summary_en,
        "summary_ar": corpus().text(r, "summary_ar", 8, 30),
        "notes": null_where(~has_notes, notes),
        "plover_category": take(plover, sub),
        "date_prec": ucdp_date_prec(dates["_start"], dates["_end"], dates["_closed"]),
        **_reported(r),
        **_event_sources(seed, r),
    }


def gen_statements(seed: int, idx: np.ndarray) -> dict[str, pa.Array]:
    ids, src = _numbered_ids("stm-", seed, "statements", idx)
    r = Rand(seed, "statements", idx)
    dates = _dated(r, 0.6)
    role = r.int("role", len(ROLES_AR))
    has_role = r.chance("has_role", 0.4)
    c = corpus()
    start, last = c.spans(r, "text_ar", 6, 35, source=src if REF_ROWS["sources"] <= len(c.ids) else None)
    media = np.array(MEDIA_ACTORS)[r.int("media", len(MEDIA_ACTORS))]
    return {
        "id": ids,
        **{k: v for k, v in dates.items() if not k.startswith("_")},
        "source": source_ids(seed, src),
        "speaker": ref_ids(seed, "actors", r, "speaker"),
        "speaker_role_ar": null_where(~has_role, take([x[0] for x in ROLES_AR], role)),
        "speaker_role_en": null_where(~has_role, take([x[1] for x in ROLES_AR], role)),
        "channel": take(_enum_values("statements", "channel"), r.int("channel", len(_enum_values("statements", "channel")))),
        "reported_via": null_where(~r.chance("reported_via", 0.2), actor_ids(seed, media)),
        "directness": take(["direct", "indirect"], r.int("directness", 2)),
        "text_ar": from_bytes(c.data, c.b0[start], c.b1[last]),
        "text_en": take(TEXT_EN, r.int("text_en", len(TEXT_EN))),
        "original_language": null_where(~r.chance("translated", 0.15), take(["en", "fa", "ku"], r.int("lang", 3))),
        "stance": take(_enum_values("statements", "stance"), r.pick("stance", [15, 30, 10, 35, 10])),
        "event": null_where(~r.chance("has_event", 0.6), ref_ids(seed, "events", r, "event")),
        "notes": null_where(~r.chance("has_notes", 0.08), take(NOTES_EN, r.int("notes", len(NOTES_EN)))),
        **_reported(r),
        # a joint utterance names another statement of the same source
        "utterance": null_where(~r.chance("utterance", 0.05), statement_ids(seed, np.maximum(idx - 1, 0))),
    }


def gen_figures(seed: int, idx: np.ndarray) -> dict[str, pa.Array]:
    ids, src = _numbered_ids("fig-", seed, "figures", idx)
    r = Rand(seed, "figures", idx)
    dates = _dated(r, 0.3)
    qualifiers = _enum_values("figures", "qualifier")
    units = _enum_values("figures", "unit")
    q = r.pick("qualifier", [50, 15, 10, 5, 3, 4, 8, 5])
    qv = np.array(qualifiers)[q]
    u = r.pick("unit", [50, 8, 1, 10, 2, 10, 5, 2, 4, 2, 3, 2, 1])
    magnitude = np.array([1, 10, 100, 1000, 10000, 100000])[r.pick("magnitude", [25, 30, 20, 15, 7, 3])]
    base = (r.range("value", 1, 9) * magnitude + r.int("value_fine", np.maximum(magnitude // 10, 1))).astype(np.float64)
    half = r.chance("half", 0.08)
    value = np.where(half, base + 0.5, base)
    order = np.array([10.0, 100.0, 1000.0])[r.int("order", 3)]
    is_range, is_order = qv == "range", qv == "order_of"
    value = np.where(is_order, order, value)
    low = base
    high = base + r.range("spread", 1, 9) * magnitude
    value_str = pc.cast(pa.array(value.astype(np.int64)), pa.string())
    value_str = where(half, pc.cast(pa.array(value), pa.string()), value_str)
    as_written = where(is_range, cat(num_str(low), " إلى ", num_str(high)),
                       where(is_order, take(["عشرات", "مئات", "آلاف"], r.int("order", 3)), value_str))
    counted_list = [v for u_ in units for v in COUNTED[u_]]
    counted_start = np.cumsum([0] + [len(COUNTED[u_]) for u_ in units])[:-1]
    counted_count = np.array([len(COUNTED[u_]) for u_ in units])
    counted = counted_start[u] + r.int("counted", counted_count[u])
    return {
        "id": ids,
        **{k: v for k, v in dates.items() if not k.startswith("_")},
        "source": source_ids(seed, src),
        "value": pa.array(value, type=pa.float64(), mask=is_range),
        "value_low": pa.array(low, type=pa.float64(), mask=~is_range),
        "value_high": pa.array(high, type=pa.float64(), mask=~is_range),
        "qualifier": take(qualifiers, q),
        "unit": take(units, u),
        "counted_en": take(counted_list, counted),
        "counted_ar": null_where(~r.chance("counted_ar", 0.7), corpus().text(r, "counted_ar", 2, 6)),
        "as_written": as_written,
        "whose": null_where(~r.chance("whose", 0.4), ref_ids(seed, "actors", r, "whose")),
        "claimed_by": null_where(~r.chance("claimed_by", 0.3), ref_ids(seed, "actors", r, "claimed_by")),
        "event": null_where(~r.chance("has_event", 0.5), ref_ids(seed, "events", r, "event")),
        "notes": null_where(~r.chance("has_notes", 0.05), take(NOTES_EN, r.int("notes", len(NOTES_EN)))),
        **_reported(r),
        "measure": null_where(~r.chance("measure", 0.8), take(_enum_values("figures", "measure"),
                                                              r.int("measure", len(_enum_values("figures", "measure"))))),
        "also_claimed_by": _also_claimed_by(seed, r),
    }


def _also_claimed_by(seed: int, r: Rand) -> pa.Array:
    """A second claimant (another actor than claimed_by) for a few figures that have a first one; else an empty list."""
    m = REF_ROWS["actors"]
    other = (r.int("claimed_by", m) + 1 + r.int("also_claimed_by", m - 1)) % m
    given = r.chance("claimed_by", 0.3) & r.chance("also_claimed", 0.15)
    offsets = np.zeros(len(r) + 1, dtype=np.int32)
    np.cumsum(given, out=offsets[1:])
    return pa.ListArray.from_arrays(pa.array(offsets), actor_ids(seed, other[given]))


def _json_lists(r: Rand, salt: str, items: list[str]) -> pa.Array:
    """Lists of 0-2 distinct strings from ``items``."""
    n = len(r)
    count = r.pick(salt + ".count", [60, 30, 10])
    first = r.int(salt + ".first", len(items))
    second = (first + 1 + r.int(salt + ".second", len(items) - 1)) % len(items)
    offsets = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(count, out=offsets[1:])
    values = np.stack([first, second], axis=1)[np.arange(2)[None, :] < count[:, None]]
    return pa.ListArray.from_arrays(pa.array(offsets), take(items, values))


def gen_actors(seed: int, idx: np.ndarray) -> dict[str, pa.Array]:
    r = Rand(seed, "actors", idx)
    k = _actor_pool_index(seed, idx)
    parent_idx = r.int("parent", REF_ROWS["actors"])
    has_parent = r.chance("has_parent", 0.2) & (parent_idx != idx)
    c = corpus()
    return {
        "id": actor_ids(seed, idx),
        "name_en": take([a[1] for a in ACTORS], k),
        "name_ar": take([a[2] for a in ACTORS], k),
        "aliases_ar": _json_lists(r, "aliases", [a[0] for a in ALIASES]),
        "aliases_en": _json_lists(r, "aliases", [a[1] for a in ALIASES]),
        "kind": take([a[3] for a in ACTORS], k),
        "country": take([a[4] for a in ACTORS], k),
        "parent": null_where(~has_parent, actor_ids(seed, parent_idx)),
        "description_en": null_where(~r.chance("description", 0.5), take(SUBJECTS, r.int("description_en", len(SUBJECTS)))),
        "description_ar": null_where(~r.chance("description", 0.5), c.text(r, "description_ar", 3, 10)),
        "notes": null_where(~r.chance("has_notes", 0.05), take(NOTES_EN, r.int("notes", len(NOTES_EN)))),
        "sector": null_where(~r.chance("sector", 0.9), take(_enum_values("actors", "sector"),
                                                            r.int("sector", len(_enum_values("actors", "sector"))))),
        "public_office": pa.array(np.where(take([a[3] for a in ACTORS], k).to_numpy(zero_copy_only=False) == "person",
                                           r.chance("public_office", 0.5), False), type=pa.bool_(),
                                  mask=take([a[3] for a in ACTORS], k).to_numpy(zero_copy_only=False) != "person"),
    }


def gen_places(seed: int, idx: np.ndarray) -> dict[str, pa.Array]:
    r = Rand(seed, "places", idx)
    k = np.where(idx < len(PLACES), idx, r.int("pool", len(PLACES)))
    parent_idx = r.int("parent", REF_ROWS["places"])
    has_parent = r.chance("has_parent", 0.3) & (parent_idx != idx)
    return {
        "id": place_ids(seed, idx),
        "name_en": take([p[1] for p in PLACES], k),
        "name_ar": take([p[2] for p in PLACES], k),
        "kind": take([p[3] for p in PLACES], k),
        "country": take([p[4] for p in PLACES], k),
        "subdivision": take([p[5] for p in PLACES], k),
        "parent": null_where(~has_parent, place_ids(seed, parent_idx)),
        "where_prec": pa.array([p[6] for p in PLACES], type=pa.int8()).take(pa.array(k)),
        "notes": null_where(~r.chance("has_notes", 0.05), take(NOTES_EN, r.int("notes", len(NOTES_EN)))),
    }


def gen_sources(seed: int, idx: np.ndarray) -> dict[str, pa.Array]:
    r = Rand(seed, "sources", idx)
    c = corpus()
    n = len(idx)
    pub = r.range("publisher", 0, len(PUBLISHERS) - 1)
    has_pub = r.chance("has_publisher", 0.7)
    agency = r.int("agency", len(AGENCIES))
    has_agency = r.chance("has_agency", 0.4)
    day = np.datetime64("2021-01-01") + r.int("published", 4 * 365) * _DAY
    precision = r.pick("precision", [85, 0, 5, 0, 10, 0])
    month = day.astype("datetime64[M]").astype("datetime64[D]")
    year = day.astype("datetime64[Y]")
    day = np.where(precision == 2, month, np.where(precision == 4, year.astype("datetime64[D]"), day))
    # the publication window's last day (schema 1.1.0): the day itself, or the month's or the year's last day
    day_end = np.where(precision == 2, (day.astype("datetime64[M]") + 1).astype("datetime64[D]") - _DAY,
                       np.where(precision == 4, (year + 1).astype("datetime64[D]") - _DAY, day))
    inferred = precision != 0
    ids = source_ids(seed, idx)
    real = idx < len(c.ids)
    sha = hex_strings([r.u64("sha0"), r.u64("sha1"), r.u64("sha2"), r.u64("sha3")])
    length = r.range("length", 2000, 12000)
    if real.any():
        k = np.minimum(idx, len(c.ids) - 1)
        sha = where(real, take(c.sha256, k), sha)
        length = np.where(real, np.array([len(t) for t in c.texts])[k], length)
    dd = pc.cast(date_array(day, np.ones(n, bool)), pa.string())
    printed = cat("printed as ", pc.utf8_slice_codeunits(dd, 8, 10), "/", pc.utf8_slice_codeunits(dd, 5, 7), "/",
                  pc.utf8_slice_codeunits(dd, 0, 4))
    return {
        "id": ids,
        "publisher_ar": null_where(~has_pub, take([p[0] for p in PUBLISHERS], pub)),
        "publisher_en": null_where(~has_pub, take([p[1] for p in PUBLISHERS], pub)),
        "title_ar": null_where(~r.chance("title", 0.8), c.text(r, "title_ar", 5, 14)),
        "title_en": null_where(~r.chance("title", 0.8), take(TEXT_EN, r.int("title_en", len(TEXT_EN)))),
        "author_ar": null_where(~r.chance("author", 0.3), take([a[2] for a in PERSONS], r.int("author", len(PERSONS)))),
        "author_en": null_where(~r.chance("author", 0.3), take([a[1] for a in PERSONS], r.int("author", len(PERSONS)))),
        "wire_agency_ar": null_where(~has_agency, take([a[0] for a in AGENCIES], agency)),
        "wire_agency_en": null_where(~has_agency, take([a[1] for a in AGENCIES], agency)),
        "published_date": date_array(day, np.ones(n, bool)),
        "published_date_end": date_array(day_end, np.ones(n, bool)),
        "published_date_precision": take(PRECISIONS, precision),
        "published_date_basis": take(["stated", "inferred"], inferred.astype(np.int64)),
        "published_date_note": where(inferred, take(INFERENCE_NOTES, r.int("note", len(INFERENCE_NOTES))), printed),
        "language": pa.array(["ar"] * n, type=pa.string()),
        "url": null_where(~r.chance("url", 0.6), cat("https://", take(DOMAINS, r.int("domain", len(DOMAINS))), "/iraq/",
                                                      pc.utf8_slice_codeunits(dd, 0, 4), "/", hex8(r.u64("path")))),
        "notes": null_where(~r.chance("has_notes", 0.1), take(NOTES_EN, r.int("notes", len(NOTES_EN)))),
        "text_path": cat("sources/", ids, ".txt"),
        "text_sha256": sha,
        "text_length": pa.array(length, type=pa.int32()),
    }


def _pairs(seed: int, table: str, idx: np.ndarray, other: str, roles: list[str], role_weights: list[int]):
    """Two rows per event, with two different actors (or places): the key is unique."""
    event = idx // 2
    slot = idx % 2
    r_event = Rand(seed, table + ":event", event)
    r = Rand(seed, table, idx)
    m = REF_ROWS[other]
    first = r_event.int("first", m)
    second = (first + 1 + r_event.int("second", m - 1)) % m
    ref = np.where(slot == 0, first, second)
    return {
        "event": event_ids(seed, event),
        other[:-1]: ID_FUNCTIONS[other](seed, ref),
        "role": take(roles, r.pick("role", role_weights)),
    }


def gen_event_actors(seed: int, idx: np.ndarray) -> dict[str, pa.Array]:
    return _pairs(seed, "event_actors", idx, "actors", _enum_values("event_actors", "role"), [40, 25, 25, 5, 5])


def gen_event_places(seed: int, idx: np.ndarray) -> dict[str, pa.Array]:
    return _pairs(seed, "event_places", idx, "places", _enum_values("event_places", "role"), [70, 15, 15])


# evidence: records in a repeating cycle of tables, two quotes per record
_EVIDENCE_CYCLE = ["events"] * 5 + ["statements"] * 5 + ["actors"] * 3 + ["places"] * 2 + ["figures"] * 3 + ["sources"] * 2


def _evidence_records(seed: int, group: np.ndarray) -> tuple[pa.Array, np.ndarray]:
    """The record of each evidence group: a distinct (table, row) per group."""
    cycle = len(_EVIDENCE_CYCLE)
    pos, turn = group % cycle, group // cycle
    tables = sorted(set(_EVIDENCE_CYCLE))
    per_table = {t: _EVIDENCE_CYCLE.count(t) for t in tables}
    rank = np.array([_EVIDENCE_CYCLE[:i].count(t) for i, t in enumerate(_EVIDENCE_CYCLE)])
    table_of = np.array([tables.index(t) for t in _EVIDENCE_CYCLE])[pos]
    record = pa.nulls(len(group), pa.string())
    for ti, t in enumerate(tables):
        sel = np.flatnonzero(table_of == ti)
        if len(sel):
            row = turn[sel] * per_table[t] + rank[pos[sel]]
            record = pc.replace_with_mask(record, pa.array(table_of == ti), ID_FUNCTIONS[t](seed, row))
    return record, table_of


def gen_evidence(seed: int, idx: np.ndarray) -> dict[str, pa.Array]:
    r = Rand(seed, "evidence", idx)
    group = idx // 2
    record, table_of = _evidence_records(seed, group)
    tables = sorted(set(_EVIDENCE_CYCLE))
    c = corpus()
    src = r.int("source", len(c.ids))
    start, last = c.spans(r, "quote", 2, 14, source=src)
    return {
        "record": record,
        "seq": pa.array((idx % 2 + 1).astype(np.int16), type=pa.int16()),
        "record_table": take(tables, table_of),
        "source": cat("src-", take([s.removeprefix("src-") for s in c.ids], src)),
        "quote": from_bytes(c.data, c.b0[start], c.b1[last]),
        "occurrence": pa.array(np.ones(len(idx), dtype=np.int16), type=pa.int16()),
        "char_start": pa.array(c.c0[start].astype(np.int32), type=pa.int32()),
        "char_end": pa.array(c.c1[last].astype(np.int32), type=pa.int32()),
    }


_RETIRED_TABLES = ["events", "statements", "figures", "actors", "places", "sources"]
_RETIRED_OFFSET = 1_000_000_000  # retired rows: ids of rows far beyond any generated table


def gen_retired_ids(seed: int, idx: np.ndarray) -> dict[str, pa.Array]:
    r = Rand(seed, "retired_ids", idx)
    kind = idx % len(_RETIRED_TABLES)
    row = _RETIRED_OFFSET + idx // len(_RETIRED_TABLES)
    ids = pa.nulls(len(idx), pa.string())
    repl = pa.nulls(len(idx), pa.string())
    for k, t in enumerate(_RETIRED_TABLES):
        sel = kind == k
        if sel.any():
            ids = pc.replace_with_mask(ids, pa.array(sel), ID_FUNCTIONS[t](seed, row[sel]))
            repl = pc.replace_with_mask(repl, pa.array(sel), ID_FUNCTIONS[t](seed, r.int("replacement", 1000)[sel]))
    return {
        "id": ids,
        "record_table": take(_RETIRED_TABLES, kind),
        "retired_in": cat("1.", num_str(r.range("minor", 0, 9)), ".", num_str(r.range("patch", 0, 9))),
        "reason": take(["merged with a record describing the same event", "duplicate of another record",
                        "the quote does not support the record", "split into two records"], r.int("reason", 4)),
        "replaced_by": null_where(~r.chance("replaced", 0.5), repl),
    }


GENERATORS: dict[str, Callable[[int, np.ndarray], dict[str, pa.Array]]] = {
    "sources": gen_sources, "actors": gen_actors, "places": gen_places, "events": gen_events,
    "event_actors": gen_event_actors, "event_places": gen_event_places, "statements": gen_statements,
    "figures": gen_figures, "evidence": gen_evidence, "retired_ids": gen_retired_ids,
}


@cache
def schema_of(table: str) -> pa.Schema:
    from iraq_withdrawal.schema.derive import arrow_schema

    schema = arrow_schema(table)
    return schema.with_metadata({**(schema.metadata or {}), b"dataset_version": b"synthetic"})


def columns_of(table: str, seed: int, idx: np.ndarray) -> dict[str, pa.Array]:
    """Valid columns of ``table`` for the 0-based rows ``idx``, typed as the schema says."""
    cols = GENERATORS[table](seed, np.asarray(idx, dtype=np.int64))
    schema = schema_of(table)
    out = {}
    for f in schema:
        arr = cols[f.name]
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        out[f.name] = arr if arr.type == f.type else arr.cast(f.type)
    return out


def generate_batch(table: str, seed: int, start: int, stop: int) -> pa.Table:
    """Valid rows ``start+1 .. stop`` (1-based) of ``table``."""
    cols = columns_of(table, seed, np.arange(start, stop, dtype=np.int64))
    return pa.Table.from_arrays(list(cols.values()), schema=schema_of(table))


# --- error injection ---------------------------------------------------------


@dataclass
class Injection:
    row: int  # 1-based
    code: str
    variant: str
    field: str = ""
    value: Any = None
    detail: dict = dc_field(default_factory=dict)

    def as_dict(self) -> dict:
        value = self.value.isoformat() if hasattr(self.value, "isoformat") else self.value
        return {"row": self.row, "variant": self.variant, "field": self.field, "value": value, **self.detail}


def _cols(table: str):
    from iraq_withdrawal.schema.derive import columns

    return columns(table)


def _text_columns(table: str) -> list[str]:
    """Columns the IW305 rule checks: free-text strings (no enum, no pattern)."""
    return [c.name for c in _cols(table) if c.kind == "string" and not c.enum and not c.pattern]


def _required_columns(table: str) -> list[str]:
    """Required columns that are not part of the key (a null key would also be a duplicate)."""
    return [c.name for c in _cols(table) if c.required and not c.primary_key]


BAD_ENUM = {  # column -> a value not in its vocabulary
    "event_subtype": "riot", "status": "rumoured", "date_basis": "guessed", "event_type": "unrest", "kind": "militia",
    "channel": "tweet", "stance": "hostile", "qualifier": "roughly", "unit": "troops", "role": "bystander",
    "record_table": "evidence", "directness": "paraphrase", "published_date_precision": "decade",
    "published_date_basis": "guessed",
}
# out-of-range integers: column -> value
BAD_RANGE = {"date_prec": 9, "where_prec": 9, "seq": 0, "occurrence": 0, "char_start": -1, "char_end": -1, "text_length": -1}
DATED = ("events", "statements", "figures")
CSV_BAD_DATES = ["2021-02-30", "13/12/2021", "2021-13-01", "2021-1-5", "yesterday"]
CSV_BAD_INTS = ["one", "1.5", "9x", "2,0"]


def variants(table: str, fmt: str = "parquet") -> dict[str, list[str]]:
    """The injections a table supports: {rule code: [variants]}."""
    cols = {c.name: c for c in _cols(table)}
    key = [c.name for c in _cols(table) if c.primary_key]
    out: dict[str, list[str]] = {"IW301": ["duplicate-key"]}
    # not date_precision / date_basis: on an undated row they would also make the date fields incomplete (IW504)
    v303 = [f"enum:{name}" for name in cols if cols[name].enum and name in BAD_ENUM and name not in ("date_precision", "date_basis")]
    if cols[key[0]].pattern:
        v303.insert(0, f"pattern:{key[0]}")
    v303 += [f"range:{name}" for name in cols if name in BAD_RANGE and name not in key]
    out["IW303"] = v303
    # a null single-column key would also be a duplicate of another null key; in the pair tables
    # (all columns are key) a null role keeps the key unique, as (event, actor) pairs are unique
    out["IW304"] = [f"null:{name}" for name in _required_columns(table)] or [f"null:{key[-1]}"]
    if _text_columns(table):
        out["IW305"] = [f"formula:{name}" for name in _text_columns(table) if name not in ("date_note", "plover_category")][:3]
    if table in DATED:
        out["IW501"] = ["end-before-start"]
        out["IW503"] = ["month-not-whole", "year-not-whole", "week-too-long"]
    if fmt == "csv":
        # prefer optional cells: a reader that turned the bad cell into null would then find nothing else
        def cells(required: bool) -> list[str]:
            return [f"{c.kind}:{c.name}" for c in _cols(table) if c.kind in ("date", "integer", "number", "list")
                    and not c.primary_key and c.name not in ("date_start", "value", "value_low") and c.required == required]
        bad = cells(False) or cells(True)
        if bad:
            out["IW113"] = bad
    return out


def parse_inject(specs: list[str]) -> list[tuple[str, str | None, int]]:
    out = []
    for spec in specs:
        m = re.fullmatch(r"(IW\d{3})(?::([\w:.-]+))?=(\d+)", spec.strip())
        if not m:
            raise SystemExit(f"--inject {spec!r}: expected RULE=COUNT or RULE:VARIANT=COUNT (e.g. IW301=10, IW303:enum:status=5)")
        out.append((m.group(1), m.group(2), int(m.group(3))))
    return out


def plan_injections(table: str, fmt: str, rows: int, seed: int, specs: list[tuple[str, str | None, int]]) -> list[Injection]:
    """Where each injected error goes: distinct seeded random rows, one error per row."""
    supported = variants(table, fmt)
    wanted: list[tuple[str, str]] = []
    for code, variant, count in specs:
        if code not in supported:
            hint = " (IW113 is for CSV only)" if code == "IW113" else ""
            raise SystemExit(f"--inject {code}: not supported for table {table} as {fmt}{hint}; supported: {', '.join(supported)}")
        options = supported[code]
        if variant is not None:
            chosen = [v for v in options if v == variant or v.startswith(variant + ":") or v.split(":")[0] == variant]
            if not chosen:
                raise SystemExit(f"--inject {code}:{variant}: unknown variant; {code} variants for {table}: {', '.join(options)}")
            options = chosen
        wanted += [(code, options[i % len(options)]) for i in range(count)]
    if not wanted:
        return []
    need = len(wanted) + sum(1 for c, _ in wanted if c == "IW301")  # a duplicate needs an untouched earlier row
    if need > rows:
        raise SystemExit(f"cannot inject {len(wanted)} errors into {rows} rows")
    rng = np.random.default_rng([seed, 0x1A1EC7])
    chosen = rng.choice(rows, size=len(wanted), replace=False) + 1
    rng.shuffle(wanted)
    # a duplicate cannot sit in row 1: swap row 1 with another injection's row if needed
    order = list(zip(chosen.tolist(), wanted))
    for i, (row, (code, _)) in enumerate(order):
        if row == 1 and code == "IW301":
            j = next((j for j, (_, (c, _)) in enumerate(order) if c != "IW301"), None)
            if j is None:
                return plan_injections(table, fmt, rows, seed + 1, specs)
            order[i], order[j] = (order[j][0], order[i][1]), (order[i][0], order[j][1])
    taken = {row for row, _ in order}
    injections = []
    for row, (code, variant) in sorted(order):
        inj = Injection(row=row, code=code, variant=variant)
        if code == "IW301":
            for _ in range(1000):
                source = int(rng.integers(1, row))  # an earlier row ...
                if source not in taken:  # ... that holds no injected error and is copied once
                    break
            else:
                raise SystemExit("could not find an untouched earlier row for a duplicate; use fewer injections")
            taken.add(source)
            inj.detail["duplicate_of"] = source
        inj.detail["pick"] = int(rng.integers(0, 2**31))
        injections.append(inj)
    return injections


def _row_values(table: str, seed: int, row: int) -> dict[str, Any]:
    """The valid values of one 1-based row."""
    cols = columns_of(table, seed, np.array([row - 1]))
    return {name: arr[0].as_py() for name, arr in cols.items()}


def apply_injections(table: str, seed: int, cols: dict[str, pa.Array], start: int, injections: list[Injection]) -> None:  # noqa: C901 - one branch per injected error kind, kept side by side
    """Put the injected errors of rows ``start+1 ..`` into the batch ``cols`` (typed; not IW113)."""
    changes: dict[str, dict[int, Any]] = {}

    def put(pos: int, name: str, value: Any) -> None:
        changes.setdefault(name, {})[pos] = value

    key = [c.name for c in _cols(table) if c.primary_key]
    for inj in injections:
        pos = inj.row - 1 - start
        rng = np.random.default_rng(inj.detail["pick"])
        kind, _, column = inj.variant.partition(":")
        current = {name: cols[name][pos].as_py() for name in cols}
        if inj.code == "IW301":
            source = _row_values(table, seed, inj.detail["duplicate_of"])
            for name in key + (["record_table"] if table == "evidence" else []):
                put(pos, name, source[name])
            inj.field, inj.value = key[0], source[key[0]]
        elif inj.code == "IW303":
            if kind == "pattern":
                value = f"{current[column][:3].upper()}_{inj.row}"  # e.g. EVT_123: upper case, no hyphen
            elif kind == "enum":
                value = BAD_ENUM[column]
            else:
                value = BAD_RANGE[column]
            put(pos, column, value)
            inj.field, inj.value = column, value
        elif inj.code == "IW304":
            put(pos, column, None)
            inj.field, inj.value = column, None
        elif inj.code == "IW305":
            value = "=" + (current[column] or "HYPERLINK(\"http://example.org\")")
            put(pos, column, value)
            inj.field, inj.value = column, value
        elif inj.code in ("IW501", "IW503"):
            day = dt.date(2019, 1, 1) + dt.timedelta(days=int(rng.integers(0, 6 * 365)))
            if inj.variant == "end-before-start":
                s, e, p = day, day - dt.timedelta(days=int(rng.integers(1, 60))), "day"
            elif inj.variant == "month-not-whole":
                s = day.replace(day=int(rng.integers(2, 20)))
                e, p = s + dt.timedelta(days=int(rng.integers(0, 8))), "month"
            elif inj.variant == "year-not-whole":
                s = day.replace(month=int(rng.integers(2, 12)), day=1)
                e, p = s.replace(month=12, day=31), "year"
            else:  # week-too-long
                s = day
                e, p = s + dt.timedelta(days=int(rng.integers(9, 25))), "week"
            put(pos, "date_start", s)
            put(pos, "date_end", e)
            put(pos, "date_precision", p)
            put(pos, "date_basis", "stated")
            if table == "events":
                d = (e - s).days
                put(pos, "date_prec", 1 if d <= 0 else 2 if d <= 6 else 3 if d <= 30 else 4 if d <= 365 else 5)
            inj.field, inj.value = ("date_end", e) if inj.code == "IW501" else ("date_precision", p)
            inj.detail.update(date_start=s.isoformat(), date_end=e.isoformat())
    for name, by_pos in changes.items():
        positions = sorted(by_pos)
        mask = np.zeros(len(cols[name]), dtype=bool)
        mask[positions] = True
        values = pa.array([by_pos[p] for p in positions], type=cols[name].type)
        cols[name] = pc.replace_with_mask(cols[name], pa.array(mask), values)


def csv_bad_cell(inj: Injection) -> str:
    kind, _, column = inj.variant.partition(":")
    rng = np.random.default_rng(inj.detail["pick"] + 1)
    pool = {"date": CSV_BAD_DATES, "integer": CSV_BAD_INTS, "number": ["n/a", "1,5", "inf"], "list": ['["unterminated', "{}"]}[kind]
    inj.field, inj.value = column, pool[int(rng.integers(0, len(pool)))]
    return inj.value


# --- CSV writing (as datasets.tables.write_csv) --------------------------------


def _csv_column(arr: pa.Array) -> pa.Array:
    """One column as CSV cells, exactly as ``csv_cell`` + ``csv.writer(QUOTE_MINIMAL)`` write them."""
    t = arr.type
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        cells = arr
    elif pa.types.is_date(t) or pa.types.is_integer(t):
        cells = pc.cast(arr, pa.string())
    elif pa.types.is_floating(t):
        whole = pc.equal(pc.floor(arr), arr)
        as_int = pc.cast(pc.if_else(whole, arr, pa.scalar(0.0)), pa.int64())
        cells = pc.if_else(whole, pc.cast(as_int, pa.string()), pc.cast(arr, pa.string()))
    elif pa.types.is_boolean(t):
        cells = pc.if_else(arr, "true", "false")
    elif pa.types.is_list(t):
        escaped = pc.replace_substring(pc.replace_substring(arr.flatten(), "\\", "\\\\"), '"', '\\"')
        offsets = pc.subtract(arr.offsets, arr.offsets[0])
        items = pa.ListArray.from_arrays(offsets, cat('"', escaped, '"'), mask=arr.is_null())
        cells = cat("[", pc.binary_join(items, ", "), "]")
    else:
        raise TypeError(f"no CSV writer for {t}")
    cells = pc.fill_null(cells, "")
    needs_quotes = pc.match_substring_regex(cells, '[",\r\n]')
    quoted = cat('"', pc.replace_substring(cells, '"', '""'), '"')
    return pc.if_else(needs_quotes, quoted, cells)


def csv_header(names: list[str]) -> bytes:
    import csv
    import io

    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL).writerow(names)
    return buffer.getvalue().encode("utf-8")


def csv_bytes(cells: dict[str, pa.Array]) -> memoryview:
    """CSV lines (CRLF) of already-formatted cell columns."""
    line = pc.binary_join_element_wise(*cells.values(), ",")
    line = pc.binary_join_element_wise(line, pa.scalar(""), "\r\n")  # line + CRLF
    if isinstance(line, pa.ChunkedArray):
        line = line.combine_chunks()
    offsets = np.frombuffer(line.buffers()[1], dtype=np.int32, count=len(line) + 1, offset=line.offset * 4)
    data = line.buffers()[2]
    return memoryview(data)[offsets[0]:offsets[-1]]


# --- writing -------------------------------------------------------------------


WIDE_PIECE_BYTES = 200  # a 12-24 word Arabic sequence is about 200 bytes of UTF-8


def widen(table: str, seed: int, cols: dict[str, pa.Array], idx: np.ndarray, text_width: int) -> None:
    """Give every row about ``text_width`` bytes of free text, as curated rows have (an events row of
    release 1.1.0 carries about 900): ``notes`` becomes several Arabic word sequences joined."""
    if table != "events":
        raise SystemExit("--text-width is supported for the events table")
    r = Rand(seed, table + ".wide", idx)
    used = pc.add(pc.binary_length(cols["summary_en"]), pc.binary_length(cols["summary_ar"]))
    pieces = max(1, round((text_width - pc.mean(used).as_py()) / WIDE_PIECE_BYTES))
    parts: list = []
    for k in range(pieces):
        parts += [corpus().text(r, f"wide{k}", 12, 24), " "]
    cols["notes"] = cat(*parts[:-1])


def _batch_columns(table: str, seed: int, start: int, stop: int, text_width: int) -> dict[str, pa.Array]:
    cols = columns_of(table, seed, np.arange(start, stop, dtype=np.int64))
    if text_width:
        widen(table, seed, cols, np.arange(start, stop, dtype=np.int64), text_width)
    return cols


def write_table(table: str, rows: int, out: Path, fmt: str, seed: int = 0, inject: list[str] | None = None,
                batch_rows: int = DEFAULT_BATCH_ROWS, compression_level: int = 3, progress: bool = False,
                text_width: int = 0) -> dict:
    """Generate ``rows`` rows of ``table`` into ``out`` (streaming); return the sidecar dict."""
    import pyarrow.parquet as pq

    if table not in GENERATORS:
        raise SystemExit(f"unknown table {table!r} (tables: {', '.join(TABLES)})")
    if fmt not in ("parquet", "csv"):
        raise SystemExit("--format must be parquet or csv")
    injections = plan_injections(table, fmt, rows, seed, parse_inject(inject or []))
    by_row = {inj.row: inj for inj in injections}
    rows_sorted = np.array(sorted(by_row), dtype=np.int64)
    schema = schema_of(table)
    # Parquet cannot store a null in a non-nullable field: a table with missing required
    # values declares those columns nullable (as a table a user derived might)
    nulled = {inj.variant.partition(":")[2] for inj in injections if inj.code == "IW304"}
    for name in nulled:
        i = schema.get_field_index(name)
        schema = schema.set(i, schema.field(i).with_nullable(True))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    writer = None
    handle = None
    began = time.perf_counter()
    try:
        if fmt == "parquet":
            writer = pq.ParquetWriter(tmp, schema, compression="zstd", compression_level=compression_level, use_dictionary=True,
                                      write_statistics=True, write_page_checksum=True)
        else:
            handle = open(tmp, "wb")  # noqa: SIM115 - closed in the finally below, shared with the Parquet writer branch
            handle.write(csv_header(schema.names))
        for start in range(0, rows, batch_rows):
            stop = min(rows, start + batch_rows)
            cols = _batch_columns(table, seed, start, stop, text_width)
            lo, hi = np.searchsorted(rows_sorted, [start + 1, stop + 1])
            here = [by_row[int(r)] for r in rows_sorted[lo:hi]]
            typed = [inj for inj in here if inj.code != "IW113"]
            if typed:
                apply_injections(table, seed, cols, start, typed)
            if writer is not None:
                writer.write_table(pa.Table.from_arrays(list(cols.values()), schema=schema), row_group_size=batch_rows)
            else:
                cells = {name: _csv_column(arr) for name, arr in cols.items()}
                bad = [inj for inj in here if inj.code == "IW113"]
                by_column: dict[str, dict[int, str]] = {}
                for inj in bad:
                    by_column.setdefault(inj.variant.partition(":")[2], {})[inj.row - 1 - start] = csv_bad_cell(inj)
                for name, by_pos in by_column.items():
                    positions = sorted(by_pos)
                    mask = np.zeros(stop - start, dtype=bool)
                    mask[positions] = True
                    values = _csv_column(pa.array([by_pos[p] for p in positions], type=pa.string()))
                    cells[name] = pc.replace_with_mask(cells[name], pa.array(mask), values)
                handle.write(csv_bytes(cells))
            if progress:
                elapsed = time.perf_counter() - began
                print(f"\r{stop:,}/{rows:,} rows, {elapsed:.1f} s ({stop / max(elapsed, 1e-9):,.0f} rows/s)", end="", file=sys.stderr, flush=True)
        if progress:
            print(file=sys.stderr)
    finally:
        if writer is not None:
            writer.close()
        if handle is not None:
            handle.close()
    tmp.replace(out)
    injected: dict[str, list[int]] = {}
    details: dict[str, list[dict]] = {}
    for inj in injections:
        injected.setdefault(inj.code, []).append(inj.row)
        details.setdefault(inj.code, []).append(inj.as_dict())
    sidecar = {
        "table": table, "format": fmt, "rows": rows, "seed": seed, "file": out.name,
        "injected": dict(sorted(injected.items())),
        "details": dict(sorted(details.items())),
        "text_width": text_width,
        "seconds": round(time.perf_counter() - began, 3),
        "generator": "benchmarks/generate.py",
    }
    Path(str(out) + ".expected.json").write_text(json.dumps(sidecar, indent=1) + "\n", encoding="utf-8")
    return sidecar


# --- self-check -----------------------------------------------------------------


def self_check(rows: int = 3000, seed: int = 7) -> int:
    """Compare generated tables with the package: CSV bytes, row models, the validator."""
    import tempfile

    from iraq_withdrawal.io.tables import write_csv
    from iraq_withdrawal.schema import CURRENT_VERSION, load_schema
    from iraq_withdrawal.validators.release import validate_table_file

    ROW_MODELS = load_schema(CURRENT_VERSION).ROW_MODELS  # noqa: N806 - the package's name
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for table in TABLES:
            full = generate_batch(table, seed, 0, rows)
            # batches are independent of the batch size
            if not generate_batch(table, seed, 1000, 1500).equals(full.slice(1000, 500)):
                print(f"{table}: rows differ with another batch split")
                failures += 1
            # CSV bytes as the package writes them
            write_table(table, rows, tmp / f"{table}.csv", "csv", seed=seed, batch_rows=700)
            write_csv(full, tmp / f"{table}.ref.csv")
            if (tmp / f"{table}.csv").read_bytes() != (tmp / f"{table}.ref.csv").read_bytes():
                print(f"{table}: CSV differs from datasets.tables.write_csv")
                failures += 1
            # every row passes the pydantic row model (stricter than the table rules)
            bad = 0
            for row in full.to_pylist():
                try:
                    ROW_MODELS[table].model_validate(row)
                except Exception as exc:  # noqa: BLE001 - a row model that rejects the row, whatever pydantic raises
                    if bad < 3:
                        print(f"{table}: row model rejects {row.get('id') or row}: {str(exc).splitlines()[:3]}")
                    bad += 1
            failures += bad > 0
            # the validator finds nothing in a clean table, in either format
            write_table(table, rows, tmp / f"{table}.parquet", "parquet", seed=seed, batch_rows=700)
            for fmt in ("parquet", "csv"):
                report = validate_table_file(tmp / f"{table}.{fmt}", table)
                if report.findings or report.counts_by_code():
                    print(f"{table}.{fmt}: validator reports {report.counts_by_code()} on a clean table, e.g. {report.findings[:2]}")
                    failures += 1
            # injected errors: exactly the expected rows and codes
            for fmt in ("parquet", "csv"):
                specs = [f"{code}={len(v) * 2}" for code, v in variants(table, fmt).items()]
                sidecar = write_table(table, rows, tmp / f"{table}.bad.{fmt}", fmt, seed=seed, inject=specs, batch_rows=700)
                report = validate_table_file(tmp / f"{table}.bad.{fmt}", table)
                found: dict[str, set] = {}
                for f in report.findings:
                    row = f.row if fmt == "parquet" or f.line is None else f.line - 1
                    found.setdefault(f.code, set()).add(row)
                for code in sorted(set(found) | set(sidecar["injected"])):
                    want = set(sidecar["injected"].get(code, []))
                    got = found.get(code, set())
                    if want != got:
                        missed = sorted(want - got)
                        misses = [d for d in sidecar["details"].get(code, []) if d["row"] in missed]
                        print(f"  validator on {table}.{fmt} (not a generator failure) {code}: missed rows {missed[:5]} {[(d['variant'], d['value']) for d in misses[:5]]}, "
                              f"invented rows {sorted(got - want)[:5]}")
            print(f"{table}: checked")
    print("self-check:", "ok" if not failures else f"{failures} failure(s)")
    return 1 if failures else 0


# --- command line ----------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="Injections per table: --list-injections. Sidecar: OUT.expected.json.")
    parser.add_argument("--table", choices=TABLES, default="events")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", dest="fmt", choices=("parquet", "csv"), default=None, help="default: from --out's suffix")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--inject", action="append", default=[], metavar="RULE[:VARIANT]=COUNT",
                        help="inject COUNT errors of RULE (repeatable): IW301 IW303 IW304 IW305 IW501 IW503, IW113 (CSV only)")
    parser.add_argument("--batch-rows", type=int, default=DEFAULT_BATCH_ROWS, help="rows per batch and Parquet row group")
    parser.add_argument("--compression-level", type=int, default=3, help="zstd level for Parquet (the package's build uses 9)")
    parser.add_argument("--text-width", type=int, default=0, metavar="BYTES",
                        help="events only: about BYTES of free text per row (release-like rows carry ~1000); default: the short generated rows")
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--list-injections", action="store_true", help="show the injections each table supports and exit")
    parser.add_argument("--self-check", action="store_true", help="check the generator against the package and exit")
    args = parser.parse_args(argv)
    try:
        return _run(parser, args)
    except SystemExit as exc:  # refusals raised with a message: a usage error
        if isinstance(exc.code, str):
            print(f"generate.py: error: {exc.code}", file=sys.stderr)
            return 2
        raise


def _run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    if args.self_check:
        return self_check()
    if args.list_injections:
        for table in TABLES:
            print(f"{table}:")
            for code, options in variants(table, "csv").items():
                print(f"  {code}: {', '.join(options)}{'  (CSV only)' if code == 'IW113' else ''}")
        return 0
    if args.out is None:
        parser.error("--out is required")
    fmt = args.fmt or ("csv" if args.out.suffix.lower() == ".csv" else "parquet")
    if args.text_width and args.table != "events":
        raise SystemExit("--text-width is supported for the events table")
    sidecar = write_table(args.table, args.rows, args.out, fmt, seed=args.seed, inject=args.inject, batch_rows=args.batch_rows,
                          compression_level=args.compression_level, progress=not args.quiet, text_width=args.text_width)
    if not args.quiet:
        size = args.out.stat().st_size
        counts = {k: len(v) for k, v in sidecar["injected"].items()}
        print(f"wrote {args.out} ({args.rows:,} rows of {args.table}, {fmt}, {size / 1e6:,.1f} MB, {sidecar['seconds']:.1f} s); "
              f"injected {counts or 'nothing'}; expected findings in {args.out}.expected.json", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
