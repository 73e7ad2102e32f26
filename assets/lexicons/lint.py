#!/usr/bin/env python3
"""Check lexicon files against the format in assets/lexicons/README.md.

Usage:
    python3 assets/lexicons/lint.py [FILE.tsv ...]           # default: all *.tsv here
    python3 assets/lexicons/lint.py --prose TEXT ...          # also: terms found in
                                                              # reference prose (should be none
                                                              # for misstatement/outdated)
    python3 assets/lexicons/lint.py --words DICT ...          # also: misstatement terms that
                                                              # are part of a dictionary word
                                                              # (e.g. jieba's dict.txt)

Checks: header keys, field count, category and severity names, terms in normal
form (no full-width ASCII, no upper case, no leading/trailing space), duplicate
terms within and across files. Exit status 1 when an error is found. Stdlib only.
This is the reference reading of the format; the Rust engine implements the same.
"""

import argparse
import glob
import os
import sys

CATEGORIES = {"misstatement", "outdated", "sensitive", "classification", "allow", "custom"}
SEVERITIES = {"blocker", "error", "warning", "info"}
HEADER_KEYS = {"name", "version", "source", "default-category", "default-severity"}


def normalise(s):
    """Full-width ASCII (U+FF01..U+FF5E) and U+3000 to half-width, then lower case."""
    out = []
    for ch in s:
        o = ord(ch)
        if 0xFF01 <= o <= 0xFF5E:
            ch = chr(o - 0xFEE0)
        elif o == 0x3000:
            ch = " "
        out.append(ch)
    return "".join(out).lower()


def parse(path):
    """-> (header dict, entries [(lineno, term, category, severity, suggestion, note)], errors)"""
    header = {"source": []}
    entries, errors = [], []
    with open(path, "rb") as f:
        data = f.read()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return header, entries, [f"{path}: not UTF-8: {e}"]
    in_header = True
    for n, line in enumerate(text.splitlines(), 1):
        line = line.rstrip("\r")
        if in_header and line.startswith("#!"):
            key, sep, value = line[2:].partition(":")
            key, value = key.strip().lower(), value.strip()
            if not sep or key not in HEADER_KEYS:
                errors.append(f"{path}:{n}: unknown header line {line!r}")
            elif key == "source":
                header["source"].append(value)
            else:
                header[key] = value
            continue
        if not line.strip():
            continue
        if line.startswith("#"):
            in_header = False
            continue
        in_header = False
        fields = line.split("\t")
        if len(fields) > 5:
            errors.append(f"{path}:{n}: {len(fields)} fields (at most 5)")
            continue
        fields += [""] * (5 - len(fields))
        term, cat, sev, sug, note = fields
        cat = cat.strip() or header.get("default-category", "custom")
        sev = sev.strip() or header.get("default-severity", "warning")
        entries.append((n, term, cat, sev, sug, note))
    dc, ds = header.get("default-category"), header.get("default-severity")
    if dc and dc not in CATEGORIES:
        errors.append(f"{path}: default-category {dc!r} unknown")
    if ds and ds not in SEVERITIES:
        errors.append(f"{path}: default-severity {ds!r} unknown")
    return header, entries, errors


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="*")
    ap.add_argument("--prose", action="append", default=[])
    ap.add_argument("--words")
    args = ap.parse_args()
    files = args.files or sorted(glob.glob(os.path.join(here, "*.tsv")))

    errors, warnings = [], []
    seen = {}
    all_entries = []
    for path in files:
        header, entries, errs = parse(path)
        errors += errs
        for key in ("name", "version"):
            if key not in header:
                warnings.append(f"{path}: no '#! {key}:' header")
        if not header["source"]:
            warnings.append(f"{path}: no '#! source:' header")
        for n, term, cat, sev, sug, note in entries:
            where = f"{path}:{n}"
            if not term.strip():
                errors.append(f"{where}: empty term")
                continue
            if term != term.strip():
                errors.append(f"{where}: term {term!r} has surrounding space")
            if normalise(term) != term:
                errors.append(f"{where}: term {term!r} is not in normal form ({normalise(term)!r})")
            if cat not in CATEGORIES:
                errors.append(f"{where}: category {cat!r} unknown")
            if sev not in SEVERITIES:
                errors.append(f"{where}: severity {sev!r} unknown")
            if sug and sug == term:
                errors.append(f"{where}: suggestion equals term")
            key = normalise(term)
            if key in seen:
                errors.append(f"{where}: duplicate term {term!r} (first at {seen[key]})")
            else:
                seen[key] = where
            all_entries.append((where, term, cat, sev))
        print(f"{os.path.relpath(path)}: {len(entries)} entries", file=sys.stderr)

    for prose in args.prose:
        with open(prose, encoding="utf-8") as f:
            text = normalise(f.read())
        for where, term, cat, sev in all_entries:
            if cat in ("allow",):
                continue
            c = text.count(term)
            if c:
                warnings.append(f"{where}: {cat} term {term!r} occurs {c}x in {prose}")

    if args.words:
        words = []
        with open(args.words, encoding="utf-8") as f:
            for line in f:
                w = line.split(" ", 1)[0].strip()
                if w:
                    words.append(normalise(w))
        for where, term, cat, sev in all_entries:
            if cat != "misstatement":
                continue
            hits = [w for w in words if term in w]
            if hits:
                warnings.append(f"{where}: misstatement {term!r} is part of dictionary word(s) {hits[:5]}")

    for w in warnings:
        print("warning:", w)
    for e in errors:
        print("error:", e)
    print(f"{len(files)} files, {len(all_entries)} entries, {len(errors)} errors, {len(warnings)} warnings",
          file=sys.stderr)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
