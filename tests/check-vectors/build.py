#!/usr/bin/env python3
"""Verify the published test vectors below and write vectors.json.

Every number here was copied from a published source (listed in SOURCES and
in README.md); none was invented. This script re-checks each one with an
independent implementation of the checksum (GB 11643 / ISO 7064 MOD 11-2,
GB 32100, Luhn) and refuses to write vectors.json if a "valid" entry fails or
an "invalid" entry unexpectedly passes every check. Stdlib only.

    python3 tests/check-vectors/build.py            # writes tests/check-vectors/vectors.json
"""

import datetime
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REGIONS = os.path.join(HERE, "..", "..", "assets", "regions", "gb2260.tsv")

SOURCES = {
    "gb11643": {
        "title": "GB 11643-1999 公民身份号码 — example numbers 11010519491231002X (北京市朝阳区) and "
                 "440524188001010014 (广东省汕头市潮阳县), as reproduced in validator test suites "
                 "(idnumbers, hutool users, many others) and on Wikipedia 'Resident Identity Card'",
        "kind": "standard (examples as widely reproduced; the standard text itself was not available here)",
    },
    "stdnum": {
        "title": "python-stdnum 2.2 (PyPI, LGPL-2.1-or-later), sdist python_stdnum-2.2.tar.gz",
        "files": ["stdnum/cn/ric.py", "tests/test_cn_ric.doctest", "stdnum/cn/uscc.py",
                  "tests/test_cn_uscc.doctest", "stdnum/luhn.py", "tests/test_luhn.doctest",
                  "stdnum/iso7064/mod_11_2.py"],
        "url": "https://files.pythonhosted.org/packages/15/7f/96c2b9de6024353177dc6139c33730d5ac25877bc33215515d6b95b84555/python_stdnum-2.2.tar.gz",
        "sha256": "e95fcfa858a703d4a40130cb3eaac133c60d8808a7f3c98efeedac968c2479b9",
    },
    "id-validator-py": {
        "title": "id-validator (PyPI 1.0.20, MIT, jxlwqq/id-validator.py) test_validator.py "
                 "(repository file at commit 30377814528dc6772dc7ccc77f4fca3078af4219; the wheel ships no tests)",
    },
    "id-validator-js": {
        "title": "id-validator 1.3.0 (npm, MIT, mc-zone/IDValidator) tests/spec/specTest.js",
        "url": "https://registry.npmjs.org/id-validator/-/id-validator-1.3.0.tgz",
    },
    "idnumbers": {
        "title": "idnumbers 1.22.0 (PyPI, MIT): idnumbers/nationalid/chn/resident_id.py METADATA example; "
                 "repository test tests/nationalid/test_CHN.py (valid/invalid lists)",
    },
    "hutool": {
        "title": "hutool-core (Maven Central; dromara/hutool) IdcardUtilTest.java "
                 "(commit 02194151946d274eac424c0732b3bd65d3fc0443) and CreditCodeUtilTest.java "
                 "(commit 31bdc5130403daa0e79d84dbb6c657a22fadab39)",
    },
    "uscc-example": {
        "title": "91350100M000100Y43 — the example 统一社会信用代码 used across Chinese validator libraries "
                 "and their tests (e.g. hitool/hutool-derived CreditCodeUtil tests, @jhqn/utils isUSCI docs); "
                 "commonly attributed to GB 32100-2015 documentation (attribution not verified here)",
    },
    "braintree": {
        "title": "braintree 4.48.0 (PyPI, MIT) braintree/test/credit_card_numbers.py — Braintree sandbox test cards",
        "url": "https://pypi.org/project/braintree/4.48.0/",
    },
    "braintree-unionpay": {
        "title": "Braintree (PayPal) developer docs, 'UnionPay — Testing' (developer.paypal.com/braintree/docs/guides/unionpay/testing)",
    },
    "stripe": {
        "title": "Stripe documentation, 'Testing' — test card numbers by brand (docs.stripe.com/testing)",
    },
    "payflow": {
        "title": "PayPal Payflow Manager help, 'Test Credit Card Account Numbers'",
    },
    "cybersource": {
        "title": "CyberSource developer docs, 'China UnionPay — Test Cards' (each X in the published mask replaced by 0 as the page instructs)",
    },
    "wikipedia-luhn": {
        "title": "Wikipedia 'Luhn algorithm' worked example 7992739871 / 79927398713 (the stdnum doctest uses 4992739871)",
    },
}

# ---------------------------------------------------------------- checksums

RIC_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def mod11_2_check(digits):
    """ISO 7064 MOD 11-2 check character for a digit string (any length)."""
    p = 0
    for d in digits:
        p = ((p + int(d)) * 2) % 11
    return "0123456789X"[(12 - p) % 11]


def ric_check(body17):
    s = sum(int(c) * w for c, w in zip(body17, RIC_WEIGHTS))
    return "10X98765432"[s % 11]


USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def uscc_check(body17):
    s = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body17, USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - s % 31) % 31]


def luhn_ok(number):
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def load_regions():
    codes = set()
    with open(REGIONS, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            codes.add(line.split("\t", 1)[0])
    return codes


def valid_date(y, m, d):
    try:
        datetime.date(y, m, d)
        return True
    except ValueError:
        return False


def ric_facts(n, regions):
    """What a validator can say about an 18-character number."""
    facts = {}
    facts["format"] = len(n) == 18 and n[:17].isdigit() and (n[17].isdigit() or n[17] in "Xx")
    if not facts["format"]:
        return facts
    facts["checksum"] = ric_check(n[:17]) == n[17].upper()
    facts["checksum_iso7064"] = mod11_2_check(n[:17]) == n[17].upper()
    assert facts["checksum"] == facts["checksum_iso7064"]
    y, m, d = int(n[6:10]), int(n[10:12]), int(n[12:14])
    facts["date"] = valid_date(y, m, d)
    facts["plausible_year"] = 1900 <= y <= 2026
    facts["region_known"] = n[:6] in regions
    return facts


def ric15_facts(n, regions):
    facts = {"format": len(n) == 15 and n.isdigit()}
    if facts["format"]:
        facts["date"] = valid_date(1900 + int(n[6:8]), int(n[8:10]), int(n[10:12]))
        facts["region_known"] = n[:6] in regions
    return facts


# ---------------------------------------------------------------- vectors

RESIDENT_ID = {
    # number: (expectation, [sources], note)
    "11010519491231002X": ("valid", ["gb11643", "idnumbers"], "北京市朝阳区, 1949-12-31, female, check X"),
    "360426199101010071": ("valid", ["stdnum"], "江西省德安县"),
    "44011320141005001X": ("valid", ["stdnum"], "广东省番禺区; stdnum accepts lower-case x and normalises"),
    "412723199010050012": ("valid", ["stdnum"], "河南省商水县"),
    "110102199101010078": ("valid", ["stdnum"], "北京市西城区"),
    "120110198012010073": ("valid", ["stdnum"], "天津市东郊区 (code renamed 东丽区 in 1992): a historical name"),
    "120110199212010072": ("valid", ["stdnum"], "天津市东丽区"),
    "440308199901101512": ("valid", ["id-validator-py"], "广东省深圳市盐田区"),
    "500154199804106120": ("valid", ["id-validator-py"], "重庆市开州区"),
    "362324198001010014": ("valid", ["id-validator-py"], "abandoned code 362324 (江西省宜春地区丰城县)"),
    "430302199312194239": ("valid", ["id-validator-py"], "湖南省湘潭市雨湖区"),
    "810000199408230021": ("valid", ["id-validator-py"], "港澳居民居住证 (Hong Kong), same layout as a resident ID"),
    "830000199201300022": ("valid", ["id-validator-py"], "台湾居民居住证, same layout as a resident ID"),
    "371001198010082394": ("valid", ["id-validator-js"], "山东省威海市 (code 371001), historical code"),
    "11010219840406970X": ("valid", ["idnumbers"], "北京市西城区"),
    "321083197812162119": ("valid", ["hutool"], "江苏省兴化市"),
    "150102198807303035": ("valid", ["hutool"], "15-digit 150102880730303 upgraded to 18 digits"),
    "33010219200403064X": ("valid", ["hutool"], "born 1920"),
    "81000019980902013X": ("valid", ["hutool"], "Hong Kong resident in the mainland"),
    "820000200009100032": ("valid", ["hutool"], "Macau resident in the mainland"),
    "830000200209060065": ("valid", ["hutool"], "Taiwan resident in the mainland"),
    # checksum right, but a strict engine may reject for other reasons
    "440524188001010014": ("valid_checksum_only", ["gb11643", "idnumbers"],
                           "广东省汕头市潮阳县; birth year 1880 — implausible for a living person"),
    "500154199301135886": ("valid_checksum_only", ["id-validator-py"],
                           "id-validator rejects it: code 500154 (开州区) was created in 2016, after the 1993 birth date"),
    "110111198012010078": ("valid_checksum_only", ["stdnum"],
                           "stdnum rejects it: county 110111 not yet registered in the birth year"),
    "110201199312010077": ("valid_checksum_only", ["stdnum"],
                           "stdnum rejects it: county 110201 deregistered before the birth year"),
    "932682198501010017": ("valid_checksum_only", ["hutool"],
                           "外国人永久居留身份证 (2023 format, leading 9): not a GB/T 2260 region code"),
    # invalid
    "36042619910102009X": ("invalid", ["stdnum"], "wrong check digit"),
    "360426199113010079": ("invalid", ["stdnum"], "month 13 (check digit is right)"),
    "990426199112010074": ("invalid", ["stdnum"], "unknown region code 990426 (check digit is right)"),
    "T60426199101010078": ("invalid", ["stdnum"], "letter in the body"),
    "440308199901101513": ("invalid", ["id-validator-py"], "wrong check digit"),
    "111111199901101512": ("invalid", ["id-validator-py"], "unknown region code 111111"),
    "440308199902301512": ("invalid", ["id-validator-py"], "1999-02-30 is not a date"),
    "345955198706122245": ("invalid", ["id-validator-js"], "fake: wrong check digit, unknown region"),
    "11010219840506970X": ("invalid", ["idnumbers"], "wrong check digit"),
    "440524189001010014": ("invalid", ["idnumbers"], "wrong check digit"),
    "11020519491231002X": ("invalid", ["idnumbers"], "wrong check digit"),
    "201511221897205960": ("invalid", ["hutool"], "birth date 1897-20-59 invalid, unknown region (check digit is right)"),
    "3301022011022000D6": ("invalid", ["hutool"], "letter in the body"),
}

RESIDENT_ID_15 = {
    "610104620927690": ("valid", ["id-validator-py"], "陕西省西安市莲湖区, 1962-09-27"),
    "150102880730303": ("valid", ["hutool"], "内蒙古呼和浩特市新城区, 1988-07-30"),
    "610104620932690": ("invalid", ["id-validator-py"], "1962-09-32 is not a date"),
    "815727834224151": ("invalid", ["hutool"], "invalid birth date, unknown region"),
    "360198910283844": ("invalid", ["hutool"], "1991-02-83 is not a date; unknown region 360198"),
    "44030819990110": ("invalid", ["id-validator-py"], "14 digits"),
}

USCC_VALID_STDNUM = """
91110000600037341L
121200004013590816 911522010783762860 91152201078377449P 9115220107837941X1 91152201078382010M
911522010783917502 91152201078394644D 91152201078395188Q 91310112087994932F 91310115MA1K3BTP2B
91310116052958608G 91310116076409427L 913101203509708598 913205056082348768 91340600MA2PBM9HXD
91340600MA2PBMA74B 91340600MA2PBN188W 91340600MA2PBN831R 91340600MA2PBNE723 91340600MA2PBP2120
91340600MA2PBP6A1W 91340600MA2PENCC7K 91340600MA2PENWF9P 91340600MA2PEP518T 91340600MA2PEP7F5B
91340600MA2PERLJ2D 91340600MA2UJYG49B 91340602MA2UJY3J9W 91340602MA2UJYD90G 91340603MA2UJYN78Q
91340603MA2UJYNU67 91340604MA2PBQBH3P 91340604MA2PEL1X3M 91340621MA2PBPLU08 91340621MA2PEMUHX8
91340621MA2PEN6Q3Y 91340621MA2PEPJB9F 91371082775260043P 914112810713741814 9144030071526726XG
91620100719023721L 91620105224521729E 91620105556273987U 91620105556284969Y 91620105556287545F
91620105571630591E 91620105585923360D 91620105665404165K 9162010567592034XQ 91620105750906995R
91620105750935948X 91620105756580826D 91620105767728304H 91620105784023285J 91620105789620900B
91620105794891756D 91620105L015101280 92340602MA2PBQAH7E 92340602MA2PEL3T3X 92340602MA2PEL605A
92340602MA2UK2TH6F 92340602MA2UK33127 92340603MA2PBMCG0U 92340603MA2PBMD304 92340603MA2PBMQL04
92340603MA2PBMUF7M 92340603MA2PBN17X5 92340603MA2PBN2W0N 92340603MA2PBNK461 92340603MA2PBNLR0R
92340603MA2PBQ7J4K 92340603MA2PBQ7X9E 92340603MA2PBQFT7J 92340603MA2PBQGB6M 92340603MA2PBQHD9N
92340603MA2PBQUC3U 92340603MA2PBQX04X 92340603MA2PBQY862 92340603MA2PEL613K 92340603MA2PELE65C
92340603MA2PELFF5B 92340603MA2PELHL72 92340603MA2PEM480D 92340603MA2PEN9F2E 92340603MA2PENAP06
92340603MA2PENCQ1M 92340603MA2PEP42XF 92340603MA2PEPBN6L 92340603MA2PEPM83M 92340603MA2UJXYJ3P
92340603MA2UJY0W68 92340603MA2UJY2M7F 92340603MA2UJYUM57 92340603MA2UK0KQ72 92340603MA2UK0ME1G
92340603MA2UK0T79E 92340603MA2UK1NC4L 92340603MA2UK1PX9B 92340603MA2UK1TD00 92340603MA2UK1UE56
92340603MA2UK28G4G 92340603MA2UK2P79U 92340603MA2UK2WX6M 92340603MA2UK2XD94 92340603MA2UK31A3N
92340603MA2UK3CP6U 92340603MA2UK3D673 92340603MA2UK3DF0N 92340603MA2UK3DT5H 92340604MA2PBME53K
92340604MA2PBMQK2P 92340604MA2PBMXF6C 92340604MA2PBNDT64 92340604MA2PBNKR4Y 92340604MA2PBNQNXM
92340604MA2PBNR83C 92340604MA2PBNUL9N 92340604MA2PBNWH99 92340604MA2PBNXH5J 92340604MA2PBP1U3Y
92340604MA2PBP7U1T 92340604MA2PBPHC8R 92340604MA2PBPXJ71 92340604MA2PEM4L7X 92340604MA2PEM5Q4E
92340604MA2PENA300 92340604MA2UJYCE59 92340604MA2UJYPN1K 92340604MA2UK03G7D 92340604MA2UK04L4X
92340604MA2UK07529 92340604MA2UK08Y65 92340621MA2PBKRXXG 92340621MA2PBL318W 92340621MA2PBLW63G
92340621MA2PBLWT1Y 92340621MA2PBLX27E 92340621MA2PBM6286 92340621MA2PBMA318 92340621MA2PBMKK45
92340621MA2PBMNMXM 92340621MA2PBMUH3D 92340621MA2PBN0KXX 92340621MA2PBN145R 92340621MA2PBN1962
92340621MA2PBN1H1T 92340621MA2PBN559X 92340621MA2PBNFH07 92340621MA2PBNJ232 92340621MA2PBNTY9Y
92340621MA2PBP431L 92340621MA2PELD34J 92340621MA2PELFR3H 92340621MA2UJRKE7N 92340621MA2UJRL762
92340621MA2UJT9WXP 92340621MA2UJTCK0M 92340621MA2UJTM785 92340621MA2UJTQ22E 92340621MA2UJTTF8R
92340621MA2UJTY74U 92340621MA2UJW4UXQ 92340621MA2UJW690P 92340621MA2UJW703D 92340621MA2UJWA961
92340621MA2UJWCT2H 92340621MA2UJWEE2G 92340621MA2UJWFB49 92340621MA2UJWGB0J 92340621MA2UJWYPX8
92340621MA2UJX6C8T 92340621MA2UJX968M 92340621MA2UJXLD1M 92340621MA2UJY477E 92340621MA2UJYE11E
92340621MA2UJYG57G 92340621MA2UK02XXW 92340621MA2UK08G9K 92340621MA2UK0DA11 92340621MA2UK0G256
92340621MA2UK0J08Q 92340621MA2UK0JX8N 92340621MA2UK0KR5Y 92340621MA2UK1JY92 92340621MA2UK1L38E
92340621MA2UK1MK35 92340621MA2UK1MN8P 92340621MA2UK1PRX7 92340621MA2UK22G6N 92340621MA2UK25H3F
92340621MA2UK2BU8B 92340621MA2UK2CD59 92340621MA2UK2EP62 92340621MA2UK2GJXF 92340621MA2UK2Q24Y
92340621MA2UK2XX21 92340621MA2UK30C35 92340621MA2UK338XJ 92340621MA2UK3C369 92340621MA2UK3CE6L
"""

USCC = {
    "91350100M000100Y43": ("valid", ["uscc-example"], "福建省福州市; example code"),
    "91310110666007217T": ("valid", ["hutool"], "CreditCodeUtilTest.isCreditCode"),
    "91310115591693856A": ("valid", ["hutool"], "CreditCodeUtilTest.isCreditCodeSimple (format test; check character also verifies)"),
    "91110000600037341N": ("invalid", ["stdnum"], "wrong check character (L)"),
    "A1110000600037341L": ("invalid", ["stdnum"], "registration authority code A not allowed"),
    "9111000060003IOZSV": ("invalid", ["stdnum"], "letters I, O, Z, S, V are not used"),
    "12345": ("invalid", ["stdnum"], "length"),
}

LUHN_CARDS = {
    # number: (expectation, [sources], brand)
    "4111111111111111": ("valid", ["braintree", "payflow", "cybersource"], "Visa"),
    "4012888888881881": ("valid", ["braintree", "payflow", "stripe"], "Visa"),
    "4009348888881881": ("valid", ["braintree"], "Visa"),
    "4500600000000061": ("valid", ["braintree"], "Visa prepaid"),
    "4000111111111115": ("valid", ["braintree"], "Visa (fails sandbox verification, Luhn-valid)"),
    "4242424242424242": ("valid", ["stripe"], "Visa"),
    "5555555555554444": ("valid", ["braintree", "payflow", "stripe"], "Mastercard"),
    "5105105105105100": ("valid", ["braintree", "payflow", "stripe"], "Mastercard"),
    "378282246310005": ("valid", ["payflow", "stripe"], "American Express"),
    "371449635398431": ("valid", ["payflow", "stripe"], "American Express"),
    "378734493671000": ("valid", ["braintree", "payflow"], "American Express corporate"),
    "6011111111111117": ("valid", ["braintree", "payflow", "stripe"], "Discover"),
    "6011000990139424": ("valid", ["braintree", "payflow", "stripe"], "Discover"),
    "3530111333300000": ("valid", ["payflow"], "JCB"),
    "3566002020360505": ("valid", ["payflow", "stripe"], "JCB"),
    "30569309025904": ("valid", ["payflow"], "Diners Club (14 digits)"),
    "38520000023237": ("valid", ["payflow"], "Diners Club (14 digits)"),
    "6200000000000005": ("valid", ["stripe"], "UnionPay"),
    "6200000000000047": ("valid", ["stripe"], "UnionPay debit"),
    "6205500000000000004": ("valid", ["stripe"], "UnionPay, 19 digits"),
    "6212345678901265": ("valid", ["braintree-unionpay"], "UnionPay debit"),
    "6212345678901232": ("valid", ["braintree-unionpay"], "UnionPay credit"),
    "6212345678900000003": ("valid", ["braintree-unionpay"], "UnionPay, 19 digits"),
    "621234567890000002": ("valid", ["braintree-unionpay"], "UnionPay, 18 digits"),
    "6250947000000014": ("valid", ["cybersource"], "UnionPay card-not-present 3-D Secure"),
    "4427802641004797": ("valid", ["cybersource"], "UnionPay International / Visa co-branded"),
    "5520012345678903": ("valid", ["cybersource"], "UnionPay International / Mastercard co-branded"),
    "4242424242424241": ("invalid", ["stripe"], "Stripe's 'incorrect number' test card"),
    "6222040000030012": ("published_not_luhn", ["cybersource"],
                         "UnionPay domestic China-issued test card; does not pass Luhn — "
                         "domestic UnionPay numbers are not guaranteed to (see domain brief)"),
}

LUHN_GENERIC = {
    "49927398716": ("valid", ["stdnum"], "stdnum test_luhn.doctest"),
    "1428572": ("valid", ["stdnum"], "stdnum test_luhn.doctest"),
    "490154203237518": ("valid", ["stdnum"], "IMEI; stdnum test_luhn.doctest"),
    "3984382462386423786482364872364827347": ("valid", ["stdnum"], "long number; stdnum test_luhn.doctest"),
    "78949": ("valid", ["stdnum"], "stdnum/luhn.py doctest"),
    "79927398713": ("valid", ["wikipedia-luhn"], "worked example"),
    "4992739871": ("invalid", ["stdnum"], "stdnum test_luhn.doctest (check digit missing)"),
    "7894": ("invalid", ["stdnum"], "stdnum/luhn.py doctest"),
}

ISO7064_MOD11_2 = {
    "07940": ("valid", ["stdnum"], "ISO 7064 MOD 11-2 example 0794 -> 0"),
    "079X": ("valid", ["stdnum"], "ISO 7064 MOD 11-2 example 079 -> X"),
}


def main():
    regions = load_regions()
    errors = []
    notes = {}
    out = {
        "resident_id": {"valid": [], "valid_checksum_only": [], "invalid": []},
        "resident_id_15": {"valid": [], "invalid": []},
        "uscc": {"valid": [], "invalid": []},
        "luhn": {"valid": [], "invalid": [], "published_not_luhn": []},
        "bank_card_brands": {},
        "iso7064_mod11_2": {"valid": []},
    }

    def note(value, srcs, text, facts=None):
        for s in srcs:
            assert s in SOURCES, s
        entry = {"sources": srcs, "note": text}
        if facts is not None:
            entry["checks"] = facts
        notes[value] = entry

    for n, (exp, srcs, text) in RESIDENT_ID.items():
        f = ric_facts(n, regions)
        ok_all = all(f.get(k) for k in ("format", "checksum", "date", "plausible_year", "region_known"))
        if exp == "valid" and not ok_all:
            errors.append(f"resident_id {n} listed valid but {f}")
        if exp == "valid_checksum_only" and not (f["format"] and f["checksum"]):
            errors.append(f"resident_id {n} listed valid_checksum_only but {f}")
        if exp == "invalid" and ok_all:
            errors.append(f"resident_id {n} listed invalid but passes every check")
        out["resident_id"][exp].append(n)
        note(n, srcs, text, f)

    for n, (exp, srcs, text) in RESIDENT_ID_15.items():
        f = ric15_facts(n, regions)
        ok_all = all(f.get(k) for k in ("format", "date", "region_known"))
        if (exp == "valid") != ok_all:
            errors.append(f"resident_id_15 {n} listed {exp} but {f}")
        out["resident_id_15"][exp].append(n)
        note(n, srcs, text, f)

    uscc = dict(USCC)
    for n in USCC_VALID_STDNUM.split():
        uscc.setdefault(n, ("valid", ["stdnum"], "stdnum test_cn_uscc.doctest ('found online')"))
    for n, (exp, srcs, text) in uscc.items():
        alphabet_ok = len(n) == 18 and all(c in USCC_ALPHABET for c in n) and n[0] in "123456789ABCDEFGY"
        ok = alphabet_ok and uscc_check(n[:17]) == n[17]
        if (exp == "valid") != ok:
            errors.append(f"uscc {n} listed {exp} but check={ok}")
        out["uscc"][exp].append(n)
        note(n, srcs, text, {"format": alphabet_ok, "checksum": ok})

    for table, brands in ((LUHN_CARDS, True), (LUHN_GENERIC, False)):
        for n, (exp, srcs, text) in table.items():
            ok = luhn_ok(n)
            if (exp == "valid") != ok:
                errors.append(f"luhn {n} listed {exp} but luhn={ok}")
            out["luhn"][exp].append(n)
            if brands:
                out["bank_card_brands"][n] = text
            note(n, srcs, text, {"luhn": ok})

    for n, (exp, srcs, text) in ISO7064_MOD11_2.items():
        ok = mod11_2_check(n[:-1]) == n[-1]
        if not ok:
            errors.append(f"iso7064 {n} fails")
        out["iso7064_mod11_2"]["valid"].append(n)
        note(n, srcs, text, {"checksum": ok})

    if errors:
        for e in errors:
            print("error:", e, file=sys.stderr)
        sys.exit(1)

    out["notes"] = notes
    out["sources"] = [dict(id=k, **v) for k, v in SOURCES.items()]
    out["about"] = ("Published test vectors; every entry re-verified by tests/check-vectors/build.py. "
                    "resident_id.valid: checksum, date, plausible year (1900..2026) and region code in "
                    "assets/regions/gb2260.tsv all pass. valid_checksum_only: the GB 11643 check digit is "
                    "right but a strict validator may reject the number (see notes).")
    path = os.path.join(HERE, "vectors.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
        f.write("\n")
    counts = {k: {kk: len(vv) for kk, vv in v.items()} for k, v in out.items()
              if isinstance(v, dict) and k not in ("notes", "bank_card_brands")}
    print(json.dumps(counts, ensure_ascii=False))


if __name__ == "__main__":
    main()
