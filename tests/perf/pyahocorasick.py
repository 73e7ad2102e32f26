#!/usr/bin/env python3
"""pyahocorasick on the check-engine benchmark's input, for docs/benchmarks.md.

The Rust benchmark (`cargo bench -p baosong-check`) writes the 100,000 terms
and the 10 MB text to target/bench-data/; this script times pyahocorasick's
leftmost-longest scan (iter_long) of the same text with the same terms.

    python3 -m venv /tmp/pyac && /tmp/pyac/bin/pip install pyahocorasick
    /tmp/pyac/bin/python tests/perf/pyahocorasick.py
"""
import pathlib
import time

import ahocorasick

data = pathlib.Path(__file__).resolve().parents[2] / "target" / "bench-data"
terms = (data / "lexicon-100k.txt").read_text(encoding="utf-8").split("\n")
text = (data / "prose-10mb.txt").read_text(encoding="utf-8")
size = len(text.encode("utf-8"))

t = time.perf_counter()
automaton = ahocorasick.Automaton()
for i, term in enumerate(terms):
    automaton.add_word(term, i)
automaton.make_automaton()
build = time.perf_counter() - t

runs = []
matches = 0
for _ in range(3):
    t = time.perf_counter()
    matches = sum(1 for _ in automaton.iter_long(text))
    runs.append(time.perf_counter() - t)
best = min(runs)
print(f"pyahocorasick {ahocorasick.__name__}: build {build*1e3:.0f} ms; "
      f"scan best of 3 {best*1e3:.0f} ms = {size / best / 2**20:.1f} MiB/s; {matches} matches")
