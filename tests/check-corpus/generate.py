#!/usr/bin/env python3
"""Generate the labelled check corpus (tests/check-corpus/cases/*.md + labels.json).

Each case is real government prose from the seed documents (shared/seeds, also
concatenated in assets/demo/gov-prose.txt) with planted personal data,
classification markings, misstatements, writing-norm problems and links, or a
negative control that must produce no finding of the given kinds.

Deterministic: a fixed RNG seed, stdlib only, no network. Run from anywhere:

    python3 tests/check-corpus/generate.py [--seeds DIR]

--seeds defaults to ../shared/seeds next to the repository (the layout of a
developer machine and of CI). The script audits its own output with simple
reference detectors and the shipped lexicons: anything that looks like a
finding but is neither labelled nor listed as a trap stops generation (so a new
lexicon term that fires on clean seed prose is caught here too).
"""

import argparse
import datetime
import json
import os
import random
import re
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
RNG_SEED = 20261101

RULES = [
    "marking.level", "marking.internal", "marking.handling", "marking.work_secret", "marking.prose",
    "pii.resident_id", "pii.resident_id_15", "pii.mobile", "pii.bank_card", "pii.passport",
    "pii.travel_permit", "pii.email", "pii.address", "org.uscc",
    "lexicon.misstatement", "lexicon.outdated", "lexicon.sensitive", "lexicon.classification",
    "norms.halfwidth_punct", "norms.unbalanced", "norms.repeated_punct", "norms.date_format",
    "links.external",
]

# ------------------------------------------------------------------ seeds

SEED_FILES = {
    "wuxue": "000_aa703f34821f6a5e.txt",
    "quzhou": "001_26f3092adee98321.txt",
    "quzheng": "002_5613befbb02b5230.txt",
    "bozhou": "003_2beeb6b3474391a3.txt",
    "yichang": "004_53ed5a3e61ee5cfa.txt",
}

DOCS = {
    "wuxue": dict(
        title="武穴市人民政府办公室关于印发武穴市政府网站集约化建设方案的通知",
        number="武政办发〔2016〕35号", org="武穴市人民政府办公室", date="2016年8月30日",
        body=[9, 13, 15, 17, 18, 19, 21, 22, 23, 24, 26, 27, 28, 32, 33, 34],
        region="421182", city="武穴市", street="武穴街道"),
    "quzhou": dict(
        title="衢州市人民政府办公室关于加强市政府门户网站内容保障工作的通知",
        number="衢政办发〔2008〕12号", org="衢州市人民政府办公室", date="2008年1月29日",
        body=[6, 8, 10, 11, 12, 14, 15, 17, 18, 19, 20, 21, 23, 24, 25, 26, 27],
        region="330802", city="衢州市柯城区", street="府山街道"),
    "quzheng": dict(
        title="区政网站整改方案", number=None, org="区人民政府办公室", date="2012年6月18日",
        body=[3, 5, 8, 10, 11, 13, 14, 15, 16, 18, 19, 20, 21, 23, 25, 26, 27, 28],
        region="420502", city="宜昌市西陵区", street="云集街道"),
    "bozhou": dict(
        title="亳州市人民政府办公室关于印发《亳州市政府网站群管理办法（暂行）》的通知",
        number=None, org="亳州市人民政府办公室", date="2019年6月10日",
        body=[4, 5, 6, 7, 11, 12, 13, 14, 15, 16, 17, 18, 21, 22, 23, 24, 25, 26, 28, 29, 30, 31, 32, 33, 34],
        region="341602", city="亳州市谯城区", street="花戏楼街道"),
    "yichang": dict(
        title="宜昌市人民政府办公室关于进一步加强政府网站建设提升信息服务能力的意见",
        number="宜府办发〔2015〕36号", org="宜昌市人民政府办公室", date="2015年7月1日",
        body=[10, 12, 13, 15, 16, 17, 19, 20, 21, 23, 25, 27, 28, 29, 30, 31],
        region="420502", city="宜昌市西陵区", street="西陵街道"),
}

CJK = r"\u3400-\u9fff\uf900-\ufaff"
CJK_PUNCT = "，。、；：？！“”‘’（）《》【】〔〕…—"


def is_cjkish(ch):
    return bool(re.match(f"[{CJK}]", ch)) or ch in CJK_PUNCT


def normalise_seed(p):
    """Clean baseline: Chinese punctuation where the seed used ASCII inside Chinese text."""
    p = p.strip().strip("\u3000")
    p = p.replace("﹝", "〔").replace("﹞", "〕").replace("○", "〇")
    p = re.sub(r"\[(\d{4})\]", r"〔\1〕", p)
    out = list(p)
    table = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "?": "？", "!": "！"}
    for i, ch in enumerate(out):
        if ch in table:
            prev = p[i - 1] if i > 0 else ""
            nxt = p[i + 1] if i + 1 < len(p) else ""
            if (prev and is_cjkish(prev)) or (nxt and is_cjkish(nxt)) or ch in "()" and (
                    re.match(r"[\d一二三四五六七八九十、]", nxt or " ") or prev in "（("):
                out[i] = table[ch]
    p = "".join(out)
    # parentheses that enclose Chinese text: convert both sides consistently
    p = re.sub(r"\(([^()]*[" + CJK + r"][^()]*)\)", r"（\1）", p)
    return p


def load_seeds(seed_dir):
    docs = {}
    if seed_dir and os.path.isdir(seed_dir):
        for key, name in SEED_FILES.items():
            with open(os.path.join(seed_dir, name), encoding="utf-8") as f:
                docs[key] = [l.strip() for l in f if l.strip()]
        return docs, "shared/seeds"
    sys.exit(f"seed documents not found in {seed_dir}; pass --seeds DIR (the project's shared/seeds)")


# ------------------------------------------------------------------ numbers

RIC_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
USCC_A = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def ric_check(body):
    return "10X98765432"[sum(int(c) * w for c, w in zip(body, RIC_W)) % 11]


def ric_valid(n):
    return len(n) == 18 and n[:17].isdigit() and ric_check(n[:17]) == n[17].upper()


def make_id(rng, region, ymd, want_x=False):
    for _ in range(10000):
        seq = f"{rng.randrange(1, 1000):03d}"
        body = region + ymd + seq
        c = ric_check(body)
        if (c == "X") == want_x:
            return body + c
    raise RuntimeError("no id")


def org_code_check(code8):
    w = [3, 7, 9, 10, 5, 8, 4, 2]
    s = sum((int(c) if c.isdigit() else ord(c) - 55) * k for c, k in zip(code8, w))
    c = 11 - s % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def uscc_check(body):
    return USCC_A[(31 - sum(USCC_A.index(c) * w for c, w in zip(body, USCC_W)) % 31) % 31]


def make_uscc(rng, reg, kind, region, org8=None):
    if org8 is None:
        org8 = "MA" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(6))
    body = reg + kind + region + org8 + org_code_check(org8)
    return body + uscc_check(body)


def luhn_digit(partial):
    total = 0
    for i, ch in enumerate(reversed(partial)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def luhn_ok(n):
    return luhn_digit(n[:-1]) == n[-1]


def make_card(rng, prefix, length):
    body = prefix + "".join(str(rng.randrange(10)) for _ in range(length - len(prefix) - 1))
    return body + luhn_digit(body)


def make_mobile(rng, prefix=None):
    prefix = prefix or rng.choice(["138", "139", "135", "136", "150", "151", "158", "159", "186", "187",
                                   "177", "181", "189", "199"])
    return prefix + "".join(str(rng.randrange(10)) for _ in range(8))


def group4(s):
    return " ".join(s[i:i + 4] for i in range(0, len(s), 4))


# ------------------------------------------------------------------ case building

class Lab:
    """A labelled segment: text that must be reported with the given rule."""
    __slots__ = ("rule", "text", "note")

    def __init__(self, rule, text, note=None):
        assert rule in RULES, rule
        self.rule, self.text, self.note = rule, text, note


class Trap:
    """A segment that looks like a finding but must not produce one of `kinds`."""
    __slots__ = ("kind", "text", "must_not")

    def __init__(self, kind, text, must_not=("pii", "marking")):
        self.kind, self.text, self.must_not = kind, text, tuple(must_not)


def sub(par, old, repl, count=1):
    """Replace the first `count` occurrences of `old` in paragraph `par` by segment `repl`."""
    segs, rest, n = [], par, 0
    while n < count:
        i = rest.find(old)
        if i < 0:
            raise ValueError(f"{old!r} not in paragraph {par[:30]!r}")
        segs += [rest[:i], repl() if callable(repl) else repl]
        rest = rest[i + len(old):]
        n += 1
    return segs + [rest]


def after(par, anchor, *segs, nth=1):
    """Insert segments right after the nth occurrence of anchor."""
    i = -1
    for _ in range(nth):
        i = par.find(anchor, i + 1)
        if i < 0:
            raise ValueError(f"{anchor!r} not in {par[:30]!r}")
    i += len(anchor)
    return [par[:i], *segs, par[i:]]


class Corpus:
    def __init__(self, seeds, rng_seed=RNG_SEED):
        self.rng = random.Random(rng_seed)
        self.raw = seeds
        self.cases = []

    def par(self, doc, idx):
        return normalise_seed(self.raw[doc][idx])

    def pool(self, doc):
        return [self.par(doc, i) for i in DOCS[doc]["body"]]

    def pick(self, doc, k=2, exclude=()):
        """k clean paragraphs of a seed document, in their original order."""
        pool = [p for p in self.clean_pool[doc] if p not in exclude]
        idx = sorted(self.rng.sample(range(len(pool)), k))
        return [pool[i] for i in idx]

    def add(self, slug, kind, segs, note):
        self.cases.append(dict(slug=slug, kind=kind, segs=segs, note=note))

    def std_doc(self, doc, paras, header=(), before_title=(), tail=(), title=None, number=True,
                signature=True, heading=None):
        """Header block, title, document number, paragraphs, tail, signature."""
        d = DOCS[doc]
        segs = []
        for h in header:
            segs += (h if isinstance(h, list) else [h]) + ["\n"]
        if header:
            segs += ["\n"]
        segs += list(before_title)
        segs += ["# ", title or d["title"], "\n\n"]  # title may be a list of segments
        if number and d["number"]:
            segs += [d["number"], "\n\n"]
        if heading:
            segs += ["## ", heading, "\n\n"]
        for p in paras:
            segs += (p if isinstance(p, list) else [p]) + ["\n\n"]
        for t in tail:
            segs += (t if isinstance(t, list) else [t]) + ["\n\n"]
        if signature:
            segs += [d["org"], "\n\n", d["date"], "\n"]
        return segs


def render(segs):
    text, labels, traps = "", [], []
    for s in segs:
        if isinstance(s, str):
            text += s
        elif isinstance(s, Lab):
            labels.append((s, len(text)))
            text += s.text
        elif isinstance(s, Trap):
            traps.append((s, len(text)))
            text += s.text
        elif isinstance(s, list):
            t2, l2, tr2 = render(s)
            base = len(text)
            labels += [(l, o + base) for l, o in l2]
            traps += [(t, o + base) for t, o in tr2]
            text += t2
        else:
            raise TypeError(s)
    return text, labels, traps


def span_info(text, start, end):
    b0 = len(text[:start].encode("utf-8"))
    b1 = b0 + len(text[start:end].encode("utf-8"))
    u0 = len(text[:start].encode("utf-16-le")) // 2
    u1 = u0 + len(text[start:end].encode("utf-16-le")) // 2
    line = text.count("\n", 0, start) + 1
    col = start - (text.rfind("\n", 0, start) + 1) + 1
    return dict(start=start, end=end, byte_start=b0, byte_end=b1, utf16_start=u0, utf16_end=u1,
                line=line, column=col)


# ------------------------------------------------------------------ reference audit

def load_lexicons():
    terms = []
    for name in sorted(os.listdir(os.path.join(ROOT, "assets", "lexicons"))):
        if not name.endswith(".tsv"):
            continue
        defaults = {"default-category": "custom", "default-severity": "warning"}
        with open(os.path.join(ROOT, "assets", "lexicons", name), encoding="utf-8-sig") as f:
            for line in f:
                line = line.rstrip("\n")
                if line.startswith("#!"):
                    k, _, v = line[2:].partition(":")
                    defaults[k.strip()] = v.strip()
                    continue
                if not line.strip() or line.startswith("#"):
                    continue
                fields = (line.split("\t") + [""] * 5)[:5]
                cat = fields[1] or defaults["default-category"]
                terms.append((fields[0], cat))
    return terms


def norm(s):
    return "".join(chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else " " if c == "\u3000" else c
                   for c in s).lower()


MARK_WORDS = ["绝密", "机密", "秘密", "内部文件", "内部资料", "注意保密", "注意保存", "注意保管", "不得外传", "工作秘密"]
GAP = r"[\s\u3000]*"
MARK_RE = re.compile("|".join(GAP.join(re.escape(c) for c in w) for w in MARK_WORDS))
BRACKETS = {"《": "》", "“": "”", "‘": "’", "（": "）", "【": "】"}


def audit(text, terms):
    """Yield (kind, start, end, text) for everything a reasonable detector could report."""
    n = norm(text)
    allow = [(m.start(), m.end()) for t, c in terms if c == "allow" for m in re.finditer(re.escape(t), n)]
    for t, c in terms:
        if c == "allow":
            continue
        for m in re.finditer(re.escape(t), n):
            s, e = m.span()
            if c in ("sensitive", "custom") and any(
                    (a <= s and e <= b) or (s < b and a < e and not (s <= a and b <= e)) for a, b in allow):
                continue
            yield ("lexicon." + c, s, e)
    for m in MARK_RE.finditer(text):
        yield ("marking", m.start(), m.end())
    for m in re.finditer(r"[,;:?!()]", text):
        i = m.start()
        if re.search(r"https?://\S*$", text[max(0, i - 200):i]):
            continue
        prev = text[i - 1] if i else ""
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if (prev and is_cjkish(prev)) or (nxt and is_cjkish(nxt)):
            yield ("norms.halfwidth_punct", i, i + 1)
    for m in re.finditer(r"([。，！？；：、])\1+|(!!+|\?\?+)", text):
        yield ("norms.repeated_punct", m.start(), m.end())
    stack = []
    for i, ch in enumerate(text):
        if ch in BRACKETS:
            stack.append((ch, i))
        elif ch in BRACKETS.values():
            if stack and BRACKETS[stack[-1][0]] == ch:
                stack.pop()
            else:
                yield ("norms.unbalanced", i, i + 1)
        elif ch == "\n" and text[i:i + 2] == "\n\n":
            for _, j in stack:
                yield ("norms.unbalanced", j, j + 1)
            stack = []
    for _, j in stack:
        yield ("norms.unbalanced", j, j + 1)
    for m in re.finditer(r"(?<!\d)\d{4}[-./]\d{1,2}[-./]\d{1,2}(?!\d)", text):
        yield ("norms.date_format", m.start(), m.end())
    for m in re.finditer(r"https?://[^\s，。；）)」”\]]+", text):
        yield ("links.external", m.start(), m.end())
    for m in re.finditer(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", text):
        yield ("pii.email", m.start(), m.end())
    for m in re.finditer(r"小区|\d+(号楼|栋|单元|室)", n):
        yield ("pii.address", m.start(), m.end())
    for m in re.finditer(r"(?<![A-Za-z0-9])[A-Za-z]{1,2}\d{7,8}(?!\d)", n):
        yield ("pii.passport_or_permit", m.start(), m.end())
    # digit runs (full-width digits normalised), separators inside allowed for phones/cards
    for m in re.finditer(r"\d[\d \-]{5,}\d[xX]?", n):
        raw = m.group()
        digits = re.sub(r"[ \-]", "", raw)
        s, e = m.span()
        if len(digits) >= 7:
            yield ("digits", s, e)


def category(kind):
    return {"digits": "pii", "marking": "marking"}.get(kind, kind.split(".")[0])


def check_case(text, labels, traps, terms):
    """Candidates that no label covers and no trap (of the matching category) explains."""
    spans = [(o, o + len(l.text)) for l, o in labels]
    trap_spans = [(o, o + len(t.text), t.must_not) for t, o in traps]
    problems = []
    for kind, s, e in audit(text, terms):
        if kind == "digits" and not re.search(r"\d{7,}", re.sub(r"[ \-]", "", text[s:e])):
            continue
        if any(a < e and s < b for a, b in spans):
            continue
        if any(a < e and s < b and category(kind) in must_not for a, b, must_not in trap_spans):
            continue
        problems.append(f"{kind} {text[s:e]!r} at {s}")
    return problems


# ------------------------------------------------------------------ the cases

def build(c):
    rng = c.rng
    W, Q, Z, B, Y = "wuxue", "quzhou", "quzheng", "bozhou", "yichang"

    def head_case(slug, doc, header, note, paras=2):
        c.add(slug, "marking", c.std_doc(doc, c.pick(doc, paras), header=header), note)

    # ---- A. classification markings in the document header (blockers)
    head_case("marking-jimi-10y", W, [Lab("marking.level", "机密★10年")], "header mark with period")
    head_case("marking-mimi-1y", Q, [Lab("marking.level", "秘密★1年")], "header mark with period")
    head_case("marking-juemi-changqi", Y, [Lab("marking.level", "绝密★长期")], "header mark, long term")
    head_case("marking-juemi-bare", B, [Lab("marking.level", "绝密")], "level word alone on the first line")
    head_case("marking-jimi-space", Z, [Lab("marking.level", "机 密★5年")], "space inside the marking")
    head_case("marking-mimi-fullwidth", W, [Lab("marking.level", "秘密★６个月")],
              "full-width digit in the period")
    head_case("marking-jimi-ideographic", Y, [Lab("marking.level", "机　密★１０年")],
              "ideographic space and full-width digits")
    c.add("marking-linebreak", "marking",
          c.std_doc(Q, c.pick(Q, 2), header=[[Lab("marking.level", "机\n密★")]]),
          "line break inside the marking, as text extracted from a PDF")
    head_case("marking-mimiji", B, [["密级：", Lab("marking.level", "秘密级")]], "秘密级 form")
    head_case("marking-neibuziliao-baocun", W,
              [[Lab("marking.internal", "内部资料"), "　", Lab("marking.handling", "注意保存")]],
              "内部资料 注意保存 in the header")
    head_case("marking-neibuwenjian-waichuan", Z,
              [[Lab("marking.internal", "内部文件"), " ", Lab("marking.handling", "不得外传")]],
              "内部文件 不得外传")
    head_case("marking-gongzuomimi", Y, [Lab("marking.work_secret", "工作秘密")], "工作秘密 header")
    head_case("marking-baomi-baoguan", Q,
              [Lab("marking.handling", "注意保密"), [Lab("marking.internal", "内部资料"), "，",
                                                    Lab("marking.handling", "注意保管")]],
              "two header lines")
    head_case("marking-mimi-star-only", B, [Lab("marking.level", "秘密★")], "mark without period")
    # marking inside a table cell of the header (as pasted from Word)
    c.add("marking-fenhao-table", "marking",
          c.std_doc(W, c.pick(W, 2), header=[
              "| 份号 | 密级和保密期限 |", "| --- | --- |",
              ["| ", Trap("copy_number", "000123"), " | ", Lab("marking.level", "机密★5年"), " |"]]),
          "份号 + 密级 in a Word table; 000123 is a copy number, not personal data")

    # ---- B. ordinary-prose mentions (warnings) and negatives
    rule = ["第八条　工作人员应当严格遵守保密纪律，保守国家", Lab("marking.prose", "秘密"),
            "，做好保密工作，未经审查的信息不得上网发布。"]
    c.add("prose-baoshou-mimi", "marking-prose",
          c.std_doc(B, [c.par(B, 4), rule, c.par(B, 26)], number=False),
          "保守国家秘密 in a rules article: warning only; 做好保密工作 is not a marking")
    c.add("prose-neibuwenjian-seed", "marking-prose",
          c.std_doc(B, [c.par(B, 26), sub(c.par(B, 27), "内部文件", Lab("marking.prose", "内部文件")),
                        c.par(B, 28)], number=False),
          "seed text: 强化内部文件……的日常监测 (a rules article)")
    c.add("prose-gongzuomimi", "marking-prose",
          c.std_doc(Y, c.pick(Y, 1) + [[
              "信息员在工作中知悉的国家", Lab("marking.prose", "秘密"), "和", Lab("marking.prose", "工作秘密"),
              "，不论是否已上网，均不得对外泄露；政府信息公开保密审查制度应当落实到每一条信息。"]]),
          "rules prose naming secrets")
    c.add("prose-quoted-markings", "marking-prose",
          c.std_doc(Q, c.pick(Q, 1) + [[
              "凡标注“", Lab("marking.prose", "内部资料"), "”“", Lab("marking.prose", "注意保密"),
              "”等字样的材料，一律不得报送市政府门户网站；报送前由本单位保密审查人逐条审核。"]]),
          "markings quoted in a rule")

    # ---- C. personal data
    reg = {k: DOCS[k]["region"] for k in DOCS}

    m1 = make_mobile(rng, "138")
    c.add("pii-contact-mobile", "pii", c.std_doc(W, c.pick(W, 2), tail=[
        ["联系人：王某某，联系电话：", Lab("pii.mobile", m1), "。"]]), "contact line at the end")

    m2 = make_mobile(rng, "139")
    e1 = "wangmou1984@163.com"
    c.add("pii-mobile-plus86-email", "pii", c.std_doc(Q, c.pick(Q, 2), tail=[
        ["联系人：龚某某，手机：", Lab("pii.mobile", "+86 " + m2), "，电子邮箱：", Lab("pii.email", e1), "。"]]),
        "+86 prefix with a space; personal email")

    m3 = make_mobile(rng, "158")
    c.add("pii-mobile-0086", "pii", c.std_doc(Y, c.pick(Y, 2), tail=[
        ["报名咨询：李老师 ", Lab("pii.mobile", "0086-" + m3), "（工作日）"]]), "0086- prefix")

    m4, m5 = make_mobile(rng, "186"), make_mobile(rng, "135")
    c.add("pii-mobile-grouped", "pii", c.std_doc(Z, c.pick(Z, 2), tail=[
        ["网站改版联络员：张某，电话 ", Lab("pii.mobile", f"{m4[:3]}-{m4[3:7]}-{m4[7:]}"),
         "；技术支持：陈某，电话 ", Lab("pii.mobile", f"{m5[:3]} {m5[3:7]} {m5[7:]}"), "。"]]),
        "hyphen- and space-grouped mobiles")

    m6 = make_mobile(rng, "177")
    fw = "".join(chr(ord(d) + 0xFEE0) for d in m6)
    c.add("pii-mobile-fullwidth", "pii", c.std_doc(B, c.pick(B, 2), number=False, tail=[
        ["值班人员：刘某某（手机", Lab("pii.mobile", fw), "）。"]]), "mobile typed with full-width digits")

    # personnel table with ID numbers (a leak even though it is a table)
    rows = []
    table = ["| 序号 | 姓名 | 单位 | 身份证号 | 联系电话 |", "| --- | --- | --- | --- | --- |"]
    segs_tab = []
    births = ["19780412", "19850923", "19911107"]
    for i, b in enumerate(births, 1):
        idn = make_id(rng, reg[W], b, want_x=(i == 2))
        mob = make_mobile(rng)
        rows.append(["| ", str(i), " | ", ["张某某", "李某", "陈某某"][i - 1], " | 武穴市",
                     ["政务服务和大数据管理局", "财政局", "教育局"][i - 1], " | ",
                     Lab("pii.resident_id", idn), " | ", Lab("pii.mobile", mob), " |"])
    for r in rows:
        segs_tab += r + ["\n"]
    c.add("pii-table-ids", "pii", c.std_doc(W, [c.pick(W, 1)[0], "附件：2016年度政府网站信息报送先进个人名单",
                                                ["\n".join(table) + "\n"] + segs_tab[:-1]]),
          "a personnel table: resident IDs (one ending in X) and mobiles must fire inside a table")

    id1 = make_id(rng, reg[Q], "19670308")
    c.add("pii-id-inline", "pii", c.std_doc(Q, c.pick(Q, 2), tail=[
        ["经审核，同意聘用徐某某（身份证号：", Lab("pii.resident_id", id1), "）为市政府门户网站特约信息员。"]]),
        "ID inline in prose")

    id2 = make_id(rng, "422129", "19620415")
    c.add("pii-id-historical-region", "pii", c.std_doc(W, c.pick(W, 2), tail=[
        ["申请人：周某某，公民身份号码", Lab("pii.resident_id", id2), "，户籍地武穴市梅川镇。"]]),
        "historical region code 422129 (广济县, renamed 武穴市 in 1987)")

    id15 = "422102" + "680923" + f"{rng.randrange(100, 999)}"
    c.add("pii-id-15", "pii", c.std_doc(W, c.pick(W, 2), tail=[
        ["附：原登记身份证号码", Lab("pii.resident_id_15", id15), "（1990年核发的15位号码）。"]]),
        "old 15-digit ID (region 422102 武穴市, 1987-1995 code)")

    id3 = make_id(rng, reg[Y], "20010105", want_x=True).lower()
    c.add("pii-id-lowercase-x", "pii", c.std_doc(Y, c.pick(Y, 2), tail=[
        ["获奖学生：黄某某，身份证", Lab("pii.resident_id", id3), "，宜昌市第一中学。"]]),
        "check character typed as lower-case x")

    hk = make_id(rng, "810000", "19940823")
    c.add("pii-residence-permit-hk", "pii", c.std_doc(B, c.pick(B, 2), number=False, tail=[
        ["来亳投资人员：陈某某，港澳台居民居住证号码", Lab("pii.resident_id", hk), "。"]]),
        "Hong Kong residents' residence permit: same layout as a resident ID")

    card1 = make_card(rng, "622848", 19)
    c.add("pii-bank-abc", "pii", c.std_doc(W, c.pick(W, 2), tail=[
        ["请将稿费汇入以下账户：户名王某某，开户行中国农业银行武穴支行，账号", Lab("pii.bank_card", card1), "。"]]),
        "ABC debit card 622848, 19 digits")

    card2 = make_card(rng, "621700", 19)
    c.add("pii-bank-ccb-grouped", "pii", c.std_doc(Y, c.pick(Y, 2), tail=[
        ["联络员劳动报酬发放至本人银行卡，卡号：", Lab("pii.bank_card", group4(card2)), "（建设银行）。"]]),
        "CCB 621700, written in groups of four")

    card3 = make_card(rng, "436742", 16)
    card4 = make_card(rng, "622202", 19)
    c.add("pii-bank-visa-icbc", "pii", c.std_doc(Z, c.pick(Z, 2), tail=[
        ["退款账户：信用卡卡号", Lab("pii.bank_card", card3), "；备用账户：工商银行借记卡", Lab("pii.bank_card", card4),
         "。"]]), "Visa 436742 (16 digits) and ICBC 622202 (19 digits)")

    pp = "E" + "".join(str(rng.randrange(10)) for _ in range(8))
    pp2 = "G" + "".join(str(rng.randrange(10)) for _ in range(8))
    c.add("pii-passport", "pii", c.std_doc(Q, c.pick(Q, 2), tail=[
        ["出访人员：吴某某，护照号码：", Lab("pii.passport", pp), "；随行人员：郑某，护照号", Lab("pii.passport", pp2), "。"]]),
        "ordinary passports E + 8 digits and older G + 8 digits")

    hkp = "C" + "".join(str(rng.randrange(10)) for _ in range(8))
    kp = "K" + "".join(str(rng.randrange(10)) for _ in range(8))
    tw = "".join(str(rng.randrange(10)) for _ in range(8))
    c.add("pii-travel-permits", "pii", c.std_doc(B, c.pick(B, 1), number=False, tail=[
        ["赴港交流人员：孙某，往来港澳通行证号码", Lab("pii.travel_permit", hkp), "；许某，港澳通行证",
         Lab("pii.travel_permit", kp), "。"],
        ["台胞来亳：林某某，台湾居民来往大陆通行证号码", Lab("pii.travel_permit", tw), "。"]]),
        "港澳通行证 C/K + 8 digits; 台湾居民来往大陆通行证 8 digits with context")

    c.add("pii-email-personal", "pii", c.std_doc(Z, c.pick(Z, 2), tail=[
        ["来稿请发送至编辑个人邮箱", Lab("pii.email", "liu.xiaoyan2019@qq.com"), "，或交区政府信息办。"]]),
        "personal email")

    addr1 = f"{DOCS[W]['city']}{DOCS[W]['street']}永宁社区幸福小区3号楼2单元501室"
    c.add("pii-address-flat", "pii", c.std_doc(W, c.pick(W, 2), tail=[
        ["获奖信息员：胡某某，家住", Lab("pii.address", addr1), "。"]]),
        "home address down to the flat (labelled from the city name to the room)")

    addr2 = f"{DOCS[Y]['city']}{DOCS[Y]['street']}夷陵路88号院5栋1单元302室"
    addr3 = "宜都市红花套镇渔洋溪村3组15号"
    c.add("pii-address-two", "pii", c.std_doc(Y, c.pick(Y, 2), tail=[
        ["经调查，投诉人住址为", Lab("pii.address", addr2), "；被投诉人住址为", Lab("pii.address", addr3), "。"]]),
        "urban flat and rural house number (below village level)")

    uscc1 = make_uscc(rng, "9", "1", "421182")
    uscc2 = make_uscc(rng, "1", "1", "421182", org8="01101234")
    c.add("org-uscc", "org", c.std_doc(W, c.pick(W, 2), tail=[
        ["中标单位：湖北某某信息技术有限公司（统一社会信用代码：", Lab("org.uscc", uscc1), "）；采购单位：武穴市人民政府办公室（统一社会信用代码",
         Lab("org.uscc", uscc2), "）。"]]),
        "统一社会信用代码 of a company (9 1) and of a government body (1 1): organisation identifiers, info")

    # mixed personal data in a realistic 报名 notice
    m7 = make_mobile(rng, "151")
    id4 = make_id(rng, "110105", "19880617")
    card5 = make_card(rng, "622588", 16)
    c.add("pii-mixed-notice", "pii", c.std_doc(B, c.pick(B, 1), number=False, tail=[
        ["附件：培训报名回执（已填写）"],
        ["姓名：赵某某；身份证号码：", Lab("pii.resident_id", id4), "；手机：", Lab("pii.mobile", m7),
         "；补贴发放银行卡号：", Lab("pii.bank_card", card5), "（招商银行）；电子邮箱：",
         Lab("pii.email", "zhaomm_88@126.com"), "。"]]),
        "a filled-in form pasted into the item")

    # ---- D. negative controls
    c.add("neg-document-numbers", "negative", c.std_doc(W, [
        ["根据《国务院办公厅关于印发政府网站发展指引的通知》（", Trap("doc_number", "国办发〔2017〕47号"),
         "）、《国务院办公厅关于加强政府网站信息内容建设的意见》（", Trap("doc_number", "国办发〔2014〕57号"),
         "）和《政府网站与政务新媒体检查指标》（", Trap("doc_number", "国办秘函〔2019〕19号"), "）要求，结合",
         Trap("doc_number", "京政发〔2023〕12号"), "、", Trap("doc_number", "国办发〔2016〕61号"),
         "文件精神，现将有关事项通知如下。"]] + c.pick(W, 1)),
        "文号 only; no finding expected")

    c.add("neg-index-numbers", "negative", [
        "| 索引号 | ", Trap("index_number", "000014349/2017-00110", ("pii", "marking", "org")), " | 主题分类 | 政府办公厅（室） |\n",
        "| --- | --- | --- | --- |\n",
        "| 发文机关 | 国务院办公厅 | 公开方式 | 主动公开 |\n",
        "| 标题 | 国务院办公厅关于印发政府网站发展指引的通知 | 发文字号 | ", Trap("doc_number", "国办发〔2017〕47号"), " |\n",
        "\n",
        "索引号：", Trap("index_number", "000014349/2016-00123", ("pii", "marking", "org")), "\n\n",
        "索引号：", Trap("index_number", "11000000000013336X/2024-00015", ("pii", "marking", "org")), "　　发布机构：北京市人民政府办公厅\n\n",
        "索引号：", Trap("index_number", "11421182011012345Y/2023-01234", ("pii", "marking", "org")), "\n\n",
        "# ", DOCS[Y]["title"], "\n\n", c.par(Y, 10), "\n"],
        "索引号 (organisation code or USCC-like prefix / year - serial) and a metadata table")

    c.add("neg-dates-money", "negative", c.std_doc(Y, [
        ["截至2024年12月31日，全市政府网站共发布信息12万余条，全年政府网站运行维护经费",
         Trap("money", "1234567890.12元"), "，其中市级财政安排",
         Trap("money", "987654321元"), "，人均可支配收入增长6.5%，信息采用率达到31.25%。"],
        ["本意见自2015年7月1日起施行，有效期5年；2016年1月1日前完成迁移。"]] + c.pick(Y, 1)),
        "dates in 年月日 form, amounts, percentages")

    c.add("neg-statistics-table", "negative", c.std_doc(Z, [
        "2023年全区主要经济指标和网站运行情况如下：",
        ["| 指标 | 单位 | 2022年 | 2023年 |\n| --- | --- | ---: | ---: |\n",
         "| 地区生产总值 | 万元 | ", Trap("statistic", "123456789012"), " | ", Trap("statistic", "134567890123"), " |\n",
         "| 一般公共预算收入 | 元 | ", Trap("statistic", "4211821985031212"), " | ", Trap("statistic", "4400012345678901"),
         " |\n",
         "| 网站累计访问量 | 次 | ", Trap("statistic", "13912345678"), " | ", Trap("statistic", "15887654321"), " |\n",
         "| 固定资产投资 | 元 | ", Trap("statistic", "1234567812345670"), " | ", Trap("statistic", "6228480000000000"), " |"]]
        + c.pick(Z, 1)),
        "statistics table: long numbers, phone-shaped counts, Luhn-valid amounts must not fire")

    c.add("neg-landlines-hotlines", "negative", c.std_doc(Q, [
        sub(c.par(Q, 28), "3071213", Trap("landline", "3071213")),
        ["咨询电话：", Trap("landline", "0570-3071213"), "；市长热线：", Trap("hotline", "12345"), "；消费者投诉举报专线：",
         Trap("hotline", "12315"), "；国务院办公厅值班室：", Trap("landline", "010-12345678"), "；传真：",
         Trap("landline", "0570-3071214"), "；邮政编码：", Trap("postcode", "324000"), "。"]]),
        "landlines, hotlines, fax, postcode; seed contact with a 7-digit landline")

    idx = make_id(rng, reg[W], "19850312")
    c.add("neg-long-serials", "negative", c.std_doc(W, c.pick(W, 1) + [
        ["项目合同编号：", Trap("serial", "12" + idx if idx[-1].isdigit() else "12" + idx[:-1] + "1"),
         "；交易流水号：", Trap("serial", "20160830" + idx[:-1] + "7"),
         "；投资项目统一代码：", Trap("serial", "2016-421182-64-01-012345"), "。"]]),
        "a valid 18-digit ID embedded in longer digit runs must not fire")

    bad = make_id(rng, reg[Q], "19760521")
    bad = bad[:17] + ("0" if bad[17] != "0" else "1")
    future = make_id(rng, reg[Q], "19761341")[:14] + "1234"
    c.add("neg-bad-checksum", "negative", c.std_doc(Q, c.pick(Q, 1) + [
        ["档案编号：", Trap("bad_checksum", bad), "；另一编号", Trap("bad_date", future),
         "（均非身份证号码）；设备序列号", Trap("not_mobile", "10123456789"), "、", Trap("not_mobile", "12012345678"),
         "、", Trap("not_mobile", "11987654321"), "。"]]),
        "18-digit numbers with a wrong check digit / impossible date; 11-digit numbers starting 10/11/12")

    c.add("neg-masked", "negative", c.std_doc(B, c.pick(B, 1), number=False, tail=[
        ["经核实，来信人刘某（联系电话", Trap("masked", "138****1234"), "，身份证号", Trap("masked", "34************123X"),
         "）反映的问题已转谯城区政府办理。"]]),
        "data already masked in the portal format")

    c.add("neg-registrations", "negative", c.std_doc(B, [c.par(B, 7)] + [
        ["亳州市人民政府网站备案号：", Trap("icp", "皖ICP备05001234号-1"), "，公安机关备案号：",
         Trap("icp", "34160202000123"), "，网站标识码：", Trap("site_code", "3416000001"), "；政务服务事项受理编号第", Trap("serial", "1234567"), "号。"]]),
        "ICP/公安备案号 and 网站标识码")

    c.add("neg-allow-list", "negative", c.std_doc(Q, [
        "各单位要规范使用国旗、国徽和国歌，按照《中华人民共和国国旗法》《中华人民共和国国徽法》要求悬挂五星红旗；"
        "宣传图片中使用天安门、人民英雄纪念碑等图案应当符合规定。",
        "深入开展扫黄打非、禁毒和扫黑除恶宣传，组织观看伪满洲国历史陈列和南京大屠杀史实展，参观中国人民抗日战争纪念馆。"]
        + c.pick(Q, 1)),
        "state symbols and campaign names that generic word lists flag: no finding")

    # ---- E. lexicon: misstatements, outdated names, sensitive wording
    c.add("lex-country-name", "lexicon", c.std_doc(Z, [
        sub(c.par(Z, 3), "中华人民共和国", Lab("lexicon.misstatement", "中华人民共合国"))] + c.pick(Z, 1, [c.par(Z, 3)]),
        number=False),
        "wrong country name in a cited law")
    p = c.par(Y, 12)
    c.add("lex-saohei", "lexicon", c.std_doc(Y, [
        after(p, "深入贯彻落实国务院、省政府决策部署，", "持续推进", Lab("lexicon.misstatement", "扫黑险恶"), "专项斗争常态化，")]
        + c.pick(Y, 1, [p])), "扫黑险恶 (spot-check example)")
    p = c.pick(Q, 1)[0]
    c.add("lex-gongfu", "lexicon", c.std_doc(Q, [sub(p, "政府", Lab("lexicon.misstatement", "攻府"))] + c.pick(Q, 1, [p])),
          "攻府 for 政府")
    c.add("lex-political-phrases", "lexicon", c.std_doc(B, [
        ["全市政府网站工作人员要把", Lab("lexicon.misstatement", "两学一作"), "学习教育常态化制度化，",
         Lab("lexicon.misstatement", "不忘出心"), "、", Lab("lexicon.misstatement", "牢记使名"), "，以",
         Lab("lexicon.misstatement", "习近平新时代中国特色社会注意思想"), "为指导，全面落实",
         Lab("lexicon.misstatement", "中国共产常"), "的各项决策部署。"]] + c.pick(B, 1), number=False),
        "several set political phrases mistyped")
    c.add("lex-organ-names", "lexicon", c.std_doc(W, c.pick(W, 1) + [
        ["集约化建设经验材料同时抄送", Lab("lexicon.misstatement", "全国人大常委员会"), "办公厅信息中心、",
         Lab("lexicon.misstatement", "人力资源与社会保障部"), "办公厅和市", Lab("lexicon.misstatement", "人民检查院"),
         "办公室。"]]),
        "wrong state organ names")
    c.add("lex-outdated-central", "lexicon", c.std_doc(Y, c.pick(Y, 1) + [
        ["及时转载", Lab("lexicon.outdated", "国家工商行政管理总局"), "、", Lab("lexicon.outdated", "国家卫生和计划生育委员会"),
         "、", Lab("lexicon.outdated", "环境保护部"), "和", Lab("lexicon.outdated", "中国银行业监督管理委员会"),
         "发布的重要政策信息。"]]),
        "agencies abolished or renamed in 2018/2023")
    c.add("lex-outdated-local", "lexicon", c.std_doc(W, c.pick(W, 1) + [
        ["市", Lab("lexicon.outdated", "卫生计生委"), "、市", Lab("lexicon.outdated", "安监局"), "、市",
         Lab("lexicon.outdated", "国土资源局"), "要在9月15日前完成子站迁移；", Lab("lexicon.outdated", "国务院扶贫办"),
         "转发的文件同步转载。"]]),
        "local agencies renamed after the 2018 reform")
    c.add("lex-seed-denglu", "lexicon", c.std_doc(Z, [
        sub(c.par(Z, 9), "登陆系统", Lab("lexicon.misstatement", "登陆系统"))] + c.pick(Z, 1), number=False),
        "seed text itself: 登陆系统 should be 登录系统")
    c.add("lex-sensitive-draft", "lexicon", c.std_doc(
        Y, c.pick(Y, 1) + [["本意见相关配套文件为内部工作材料，", Lab("lexicon.classification", "内部掌握"),
                            "，请勿转载。"]],
        title=[DOCS[Y]["title"], Lab("lexicon.sensitive", "（讨论稿）")]),
        "draft marker in the title (full-width parentheses) and an internal-handling phrase")

    # ---- F. writing norms
    p = c.par(W, 26)
    c.add("norms-halfwidth", "norms", c.std_doc(W, [
        sub(p, "，召开", [Lab("norms.halfwidth_punct", ","), "召开"]),
        ["联系人", Lab("norms.halfwidth_punct", ":"), "市政府办公室电子政务科。"]] + c.pick(W, 1, [p])),
        "half-width comma and colon inside Chinese sentences")
    p = c.par(Q, 11)
    c.add("norms-unbalanced-title", "norms", c.std_doc(Q, [
        sub(p, "《衢州市政府信息公开办法》", [Lab("norms.unbalanced", "《"), "衢州市政府信息公开办法"])] + c.pick(Q, 1, [p])),
        "《 without 》")
    p = c.par(Y, 16)
    c.add("norms-repeated", "norms", c.std_doc(Y, [
        sub(p, "“直通车”。", ["“直通车”", Lab("norms.repeated_punct", "。。")]),
        ["领导信箱来信必须在7日内答复", Lab("norms.repeated_punct", "！！")]] + c.pick(Y, 1, [p])),
        "repeated full stop and exclamation mark")
    c.add("norms-date-mixed", "norms", c.std_doc(W, [
        ["经市政府同意，现将《武穴市政府网站集约化建设方案》印发给你们，请于",
         Lab("norms.date_format", "2016-9-15"), "前完成迁移，", Lab("norms.date_format", "2016.10.15"),
         "前完成注销。"]] + c.pick(W, 1)),
        "numeric dates in a document that uses 2016年8月30日")
    p = c.par(Z, 15)
    c.add("norms-unbalanced-quote-paren", "norms", c.std_doc(Z, [
        [p.split("老人")[0], Lab("norms.unbalanced", "“"), "老人、妇女、儿童、残疾人、退伍军人、城乡低保等几个方面。"],
        ["详见附件", Lab("norms.unbalanced", "（"), "1、2。"]] + c.pick(Z, 1, [p]), number=False),
        "opening quote and parenthesis never closed")
    c.add("norms-halfwidth-semicolon-question", "norms", c.std_doc(B, [
        ["网站临时下线是否需要报备", Lab("norms.halfwidth_punct", "?"), "需要提前以书面形式报备",
         Lab("norms.halfwidth_punct", ";"), "永久下线须经省政府办公厅审批。"]] + c.pick(B, 1), number=False),
        "half-width question mark and semicolon")

    # ---- G. links
    c.add("links-seed-url", "links", c.std_doc(W, [
        sub(c.par(W, 29), "https://pucha.kaipuyun.cn/boxpro/custom/pucha",
            Lab("links.external", "https://pucha.kaipuyun.cn/boxpro/custom/pucha"))] + c.pick(W, 1)),
        "seed text: URL of the national reporting system")
    c.add("links-planted", "links", c.std_doc(Y, c.pick(Y, 1) + [
        ["政策原文见中国政府网（", Lab("links.external", "https://www.gov.cn/"), "）和",
         "[湖北省人民政府门户网站](", Lab("links.external", "https://www.hubei.gov.cn/"), ")。"]]),
        "bare URL in brackets and a Markdown link")

    # ---- H. combined realistic items
    m8 = make_mobile(rng, "187")
    id5 = make_id(rng, reg[Y], "19730219")
    c.add("mixed-marking-pii-lexicon", "mixed", c.std_doc(Y, [
        c.pick(Y, 1)[0],
        ["请各县市区将联络员名单报市电子政务办公室，联系人：覃某某，电话",
         Lab("pii.mobile", m8), "，身份证号", Lab("pii.resident_id", id5), "。"]],
        header=[Lab("marking.level", "秘密★1年")]),
        "header marking plus contact data in the body")
    c.add("mixed-norms-lexicon", "mixed", c.std_doc(Q, [
        ["深入学习贯彻", Lab("lexicon.misstatement", "习近平新时代中国特色社会注意思想"), "，增强",
         Lab("lexicon.misstatement", "“四个意思”"), "，坚定“四个自信”", Lab("norms.halfwidth_punct", ","),
         "做到“两个维护”。"]] + c.pick(Q, 1)),
        "misstatements next to correct set phrases (四个自信, 两个维护)")
    c.add("mixed-address-email-link", "mixed", c.std_doc(B, c.pick(B, 1) + [
        ["来信人地址：", Lab("pii.address", "亳州市谯城区花戏楼街道光明社区锦绣小区12栋3单元601室"), "，电子邮箱",
         Lab("pii.email", "sunmou@sina.cn"), "，办理结果已在", Lab("links.external", "https://www.bozhou.gov.cn/"),
         "公开。"]], number=False),
        "an answered letter with the citizen's address and email")

    # ---- I. more samples for the thinner rules
    head_case("marking-worksecret-baoguan", Z,
              [[Lab("marking.work_secret", "工作秘密"), "　", Lab("marking.handling", "注意保管")]],
              "工作秘密 with a handling instruction")
    old1 = "330802" + "720415" + f"{rng.randrange(100, 999)}"
    old2 = "422129" + "580702" + f"{rng.randrange(100, 999)}"
    c.add("pii-old-records", "pii", c.std_doc(Q, c.pick(Q, 1) + [
        "附件：网站历史档案移交清单（节选）",
        ["| 档案号 | 经办人 | 身份证号（旧） |\n| --- | --- | --- |\n",
         "| ", Trap("archive_number", "DA-2008-0012"), " | 徐某 | ", Lab("pii.resident_id_15", old1), " |\n",
         "| ", Trap("archive_number", "DA-2008-0013"), " | 邵某 | ", Lab("pii.resident_id_15", old2), " |"]]),
        "old 15-digit IDs in a table; 422129 is a historical code (广济县)")
    c.add("norms-dates-punct-more", "norms", c.std_doc(Y, [
        ["本意见自", Lab("norms.date_format", "2015/7/1"), "起施行，各县市区于", Lab("norms.date_format", "2015.07.31"),
         "前报送实施方案", Lab("norms.repeated_punct", "，，"), "逾期未报的予以通报。"],
        ["网站栏目长期不更新怎么办", Lab("norms.repeated_punct", "？？"), "请对照检查指标逐项整改。"]] + c.pick(Y, 1)),
        "slash and dotted dates in a document dated 2015年7月1日; doubled comma and question mark")
    c.add("lex-sensitive-more", "lexicon", c.std_doc(
        W, [["本预案为过程稿，", Lab("lexicon.classification", "仅供内部使用"), "；与",
             Lab("lexicon.sensitive", "香港政府"), "有关部门的交流事项另行报批。"]] + c.pick(W, 1),
        title=["武穴市政府网站突发事件应急预案", Lab("lexicon.sensitive", "（送审稿）")], number=False),
        "a draft emergency plan: 送审稿, internal-use phrase, wrong name for the HKSAR government")
    uscc3 = make_uscc(rng, "5", "2", "420502")
    uscc4 = make_uscc(rng, "1", "2", "341602", org8="48500123")
    pp3 = "E" + rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") + "".join(str(rng.randrange(10)) for _ in range(7))
    c.add("org-uscc-passport", "mixed", c.std_doc(Y, c.pick(Y, 1) + [
        ["承办单位：宜昌市某某信息化促进会（统一社会信用代码", Lab("org.uscc", uscc3), "）；协办单位：亳州市某某中心（统一社会信用代码：",
         Lab("org.uscc", uscc4), "）。带队人员：冯某，护照号码", Lab("pii.passport", pp3), "。"]]),
        "USCCs of a social organisation (5 2) and a public institution (1 2); passport E + letter + 7 digits")

    # a few clean items straight from the seeds (no finding expected)
    for doc in (W, Q, Y, B, Z):
        c.add(f"clean-{doc}", "negative", c.std_doc(doc, c.pick(doc, 3), number=doc != Z), "clean seed prose")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", default=os.path.join(ROOT, "..", "shared", "seeds"))
    ap.add_argument("--rng-seed", type=int, default=RNG_SEED,
                    help="another value gives a held-out variant (other paragraphs and numbers)")
    ap.add_argument("--out", default=HERE, help="directory for cases/ and labels.json")
    args = ap.parse_args()
    out_root = os.path.abspath(args.out)
    seeds, seed_src = load_seeds(args.seeds)
    terms = load_lexicons()
    regions = set()
    with open(os.path.join(ROOT, "assets", "regions", "gb2260.tsv"), encoding="utf-8") as f:
        for line in f:
            if line[:1].isdigit():
                regions.add(line[:6])

    c = Corpus(seeds, args.rng_seed)
    # pool of seed paragraphs with nothing a detector could report
    c.clean_pool = {}
    for doc in DOCS:
        pool = []
        for p in c.pool(doc):
            if not check_case(p, [], [], []) and "四楼" not in p:
                pool.append(p)
        c.clean_pool[doc] = pool
    build(c)

    out_dir = os.path.join(out_root, "cases")
    if os.path.isdir(out_dir):
        shutil.rmtree(out_dir)
    os.makedirs(out_dir)
    labels_out, problems = [], []
    for n, case in enumerate(c.cases, 1):
        text, labels, traps = render(case["segs"])
        for l, o in labels:
            assert text[o:o + len(l.text)] == l.text
            if l.rule == "pii.resident_id":
                assert ric_valid(l.text) and l.text[:6] in regions, l.text
                datetime.date(int(l.text[6:10]), int(l.text[10:12]), int(l.text[12:14]))
            if l.rule == "pii.resident_id_15":
                assert l.text[:6] in regions
                datetime.date(1900 + int(l.text[6:8]), int(l.text[8:10]), int(l.text[10:12]))
            if l.rule == "pii.bank_card":
                assert luhn_ok(l.text.replace(" ", ""))
            if l.rule == "org.uscc":
                assert uscc_check(l.text[:17]) == l.text[17]
        for t, o in traps:
            if t.kind == "bad_checksum":
                assert not ric_valid(t.text)
            if t.kind == "serial" and len(t.text) > 18 and t.text.isdigit():
                assert any(ric_valid(t.text[i:i + 18]) for i in range(len(t.text) - 17)), t.text
        for p in check_case(text, labels, traps, terms):
            problems.append(f"{case['slug']}: {p}")
        fname = f"cases/{n:03d}-{case['slug']}.md"
        with open(os.path.join(out_root, fname), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        labels_out.append(dict(
            file=fname, kind=case["kind"], note=case["note"],
            findings=[dict(rule=l.rule, text=l.text, **span_info(text, o, o + len(l.text)))
                      for l, o in sorted(labels, key=lambda x: x[1])],
            traps=[dict(kind=t.kind, text=t.text, must_not=list(t.must_not), **span_info(text, o, o + len(t.text)))
                   for t, o in sorted(traps, key=lambda x: x[1])]))
    if problems:
        print("\n".join(problems), file=sys.stderr)
        sys.exit("unlabelled detector candidates; fix the generator")
    counts = {}
    for case in labels_out:
        for f in case["findings"]:
            counts[f["rule"]] = counts.get(f["rule"], 0) + 1
    doc = dict(
        version=1, generator="tests/check-corpus/generate.py", rng_seed=args.rng_seed, seed_text=seed_src,
        offsets="start/end: Unicode code points; byte_*: UTF-8; utf16_*: UTF-16 code units; line/column 1-based",
        rules=RULES, counts=dict(sorted(counts.items())), cases=labels_out)
    with open(os.path.join(out_root, "labels.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"{len(labels_out)} cases, {sum(counts.values())} labels", file=sys.stderr)
    for k, v in sorted(counts.items()):
        print(f"  {k}: {v}", file=sys.stderr)


if __name__ == "__main__":
    main()
