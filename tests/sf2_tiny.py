"""Build a tiny but valid SoundFont 2 file in memory, for testing the SoundFont backend.

One looped sine sample (A4 = 440 Hz at 44 kHz: exactly 100 samples a period),
one instrument over the whole keyboard, and two presets: bank 0 program 0 and
the percussion bank 128 program 0.
"""
from __future__ import annotations

import struct

import numpy as np

SAMPLE_RATE = 44000
PERIOD = 100
"""Samples per period: 44000 / 100 = 440 Hz, MIDI 69."""


def _chunk(tag: bytes, data: bytes) -> bytes:
    pad = b"\0" if len(data) % 2 else b""
    return tag + struct.pack("<I", len(data)) + data + pad


def _list(kind: bytes, *chunks: bytes) -> bytes:
    return _chunk(b"LIST", kind + b"".join(chunks))


def _name(text: str) -> bytes:
    return text.encode("ascii")[:19].ljust(20, b"\0")


def _gen(oper: int, amount: int) -> bytes:
    return struct.pack("<Hh", oper, amount)


def tiny_sf2() -> bytes:
    """The bytes of the SoundFont described in this module's docstring."""
    n = PERIOD * 40
    wave = (0.5 * np.sin(2 * np.pi * np.arange(n) / PERIOD) * 32767).astype("<i2")
    smpl = wave.tobytes() + b"\0" * 92
    info = _list(b"INFO", _chunk(b"ifil", struct.pack("<HH", 2, 1)),
                 _chunk(b"isng", b"EMU8000\0"), _chunk(b"INAM", b"Tiny test\0"))
    sdta = _list(b"sdta", _chunk(b"smpl", smpl))
    phdr = b"".join([
        _name("Sine") + struct.pack("<HHHIII", 0, 0, 0, 0, 0, 0),
        _name("Sine kit") + struct.pack("<HHHIII", 0, 128, 1, 0, 0, 0),
        _name("EOP") + struct.pack("<HHHIII", 0, 0, 2, 0, 0, 0),
    ])
    pbag = struct.pack("<HH", 0, 0) + struct.pack("<HH", 1, 0) + struct.pack("<HH", 2, 0)
    pgen = _gen(41, 0) + _gen(41, 0) + _gen(0, 0)
    inst = _name("Sine") + struct.pack("<H", 0) + _name("EOI") + struct.pack("<H", 1)
    ibag = struct.pack("<HH", 0, 0) + struct.pack("<HH", 4, 0)
    igen = (_gen(43, 0x7F00) + _gen(38, -1200) + _gen(54, 1) + _gen(53, 0) + _gen(0, 0))
    shdr = (_name("sine") + struct.pack("<IIIIIBbHH", 0, n, PERIOD * 10, PERIOD * 30,
                                         SAMPLE_RATE, 69, 0, 0, 1)
            + _name("EOS") + struct.pack("<IIIIIBbHH", 0, 0, 0, 0, 0, 0, 0, 0, 0))
    mod_end = b"\0" * 10
    pdta = _list(b"pdta", _chunk(b"phdr", phdr), _chunk(b"pbag", pbag),
                 _chunk(b"pmod", mod_end), _chunk(b"pgen", pgen), _chunk(b"inst", inst),
                 _chunk(b"ibag", ibag), _chunk(b"imod", mod_end), _chunk(b"igen", igen),
                 _chunk(b"shdr", shdr))
    body = b"sfbk" + info + sdta + pdta
    return b"RIFF" + struct.pack("<I", len(body)) + body
