"""Validation of serial identifiers (IMEI, VIN, GTIN, GS1 AI 21) and GS1 parsing.

Pure Python on purpose: no Odoo import, so the rules are fast to unit-test and can be
reused by imports, scripts and benchmarks.

Validators return ``None`` when the value is valid, else a :class:`SerialIssue`
carrying a reason ``code`` and its ``params``. :data:`REASONS` maps every code to an
English template with named placeholders; the Odoo layer translates that template
(``env._(REASONS[issue.code], **issue.params)``) instead of using ``issue.message``,
which is the untranslated English text. The templates are marked with :func:`_lt` so
that Odoo's translation export finds them.

Validators check the value exactly as given: call :func:`normalize_serial` first
(strip, upper-case VIN/IMEI) so that what is checked is what gets stored.
"""

import calendar
import re
import unicodedata
from dataclasses import dataclass, field

# Longest serial accepted for the "free" identifier type. Long enough for UUIDs (36)
# and vendor serials with prefixes, short enough to catch a whole pasted line or a
# GS1 string scanned into the wrong field.
FREE_MAX_LENGTH = 64
AI21_MAX_LENGTH = 20
GTIN_LENGTHS = (8, 12, 13, 14)

IDENTIFIER_TYPES = ("free", "imei", "vin", "gtin_serial")


def _lt(template):
    """Mark ``template`` for translation; return it unchanged.

    Odoo's export collects the literal argument of every ``_lt(...)`` call in the
    addon's Python files: this no-op keeps the module free of Odoo imports while the
    templates still reach the addon's ``.pot``.
    """
    return template


REASONS = {
    # any identifier type
    "empty": _lt("the serial number is empty"),
    "control_chars": _lt("the serial number contains control or invisible characters"),
    "free_length": _lt("a serial number has at most %(max)s characters, not %(length)s"),
    # IMEI
    "imei_length": _lt("an IMEI has exactly 15 digits, not %(length)s"),
    "imei_digits": _lt("an IMEI contains digits only"),
    # Check digit errors never say which digit was expected: that would turn a
    # mistyped number into a valid one of somebody else's unit.
    "imei_check": _lt("wrong IMEI check digit"),
    # VIN
    "vin_length": _lt("a VIN has exactly 17 characters, not %(length)s"),
    "vin_chars": _lt(
        "a VIN uses only digits and capital letters except I, O and Q (not allowed: %(chars)s)"
    ),
    "vin_check": _lt("wrong VIN check digit in position 9"),
    # GTIN
    "gtin_length": _lt("a GTIN has 8, 12, 13 or 14 digits, not %(length)s"),
    "gtin_digits": _lt("a GTIN contains digits only"),
    "gtin_check": _lt("wrong GTIN check digit"),
    # GS1 serial (AI 21)
    "ai21_length": _lt("a GS1 serial number (AI 21) has at most 20 characters, not %(length)s"),
    "ai21_chars": _lt("a GS1 serial number (AI 21) may not contain %(chars)s"),
    # GS1 element strings (GS1ParseError)
    "gs1_empty": _lt("the GS1 data is empty"),
    "gs1_syntax": _lt("malformed GS1 data at position %(position)s: %(data)s"),
    "gs1_unknown_ai": _lt("unknown GS1 application identifier at position %(position)s: %(data)s"),
    "gs1_truncated": _lt(
        "the value of AI (%(ai)s) needs %(expected)s characters, only %(length)s remain"
    ),
    "gs1_too_long": _lt("the value of AI (%(ai)s) has at most %(max)s characters, not %(length)s"),
    "gs1_too_short": _lt(
        "the value of AI (%(ai)s) needs at least %(min)s characters, not %(length)s"
    ),
    "gs1_not_digits": _lt("the value of AI (%(ai)s) must contain digits only: %(value)s"),
    "gs1_bad_chars": _lt(
        "the value of AI (%(ai)s) contains characters that are not allowed: %(chars)s"
    ),
    "gs1_check_digit": _lt("wrong check digit in AI (%(ai)s) %(value)s"),
    "gs1_bad_date": _lt("invalid date in AI (%(ai)s): %(value)s"),
    "gs1_duplicate_ai": _lt("AI (%(ai)s) appears twice with different values"),
}


@dataclass(frozen=True)
class SerialIssue:
    """Why a value was refused: a :data:`REASONS` code and its template params."""

    code: str
    params: dict = field(default_factory=dict, hash=False)

    @property
    def message(self):
        """English text; the Odoo layer translates ``REASONS[code]`` instead."""
        return REASONS[self.code] % self.params

    def __str__(self):
        return self.message


class GS1ParseError(ValueError):
    """Malformed GS1 element string; ``code``/``params`` as for :class:`SerialIssue`."""

    def __init__(self, code, **params):
        self.issue = SerialIssue(code, params)
        super().__init__(self.issue.message)

    @property
    def code(self):
        return self.issue.code

    @property
    def params(self):
        return self.issue.params


# --------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------

_DIGITS = re.compile(r"[0-9]+")  # ASCII only: str.isdigit() accepts e.g. Arabic digits
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LOWER = _UPPER.lower()
_DIGIT_CHARS = "0123456789"
# GS1 character sets 82 (AI 21 and most alphanumeric AIs), 39, and 64 (base64url,
# plus "=" as padding).
_CS82 = frozenset("!\"%&'()*+,-./" + _DIGIT_CHARS + ":;<=>?" + _UPPER + "_" + _LOWER)
_CS39 = frozenset("#-/" + _DIGIT_CHARS + _UPPER)
_CS64 = frozenset("-" + _DIGIT_CHARS + _UPPER + "_" + _LOWER + "=")
# Control, format (zero-width, BOM, soft hyphen) and line/paragraph separators: they
# are invisible and would let two "identical" serials differ.
_INVISIBLE_CATEGORIES = frozenset(("Cc", "Cf", "Zl", "Zp"))


def _is_digits(value):
    return bool(_DIGITS.fullmatch(value))


def _empty(value):
    """True for None/False/'' and blank strings; rejects other non-strings."""
    if value is None or value is False:
        return True
    if not isinstance(value, str):
        raise TypeError(f"a serial must be a string, not {type(value).__name__}")
    return not value.strip()


def has_invisible(value):
    """True when ``value`` holds control, format (zero-width...) or unassigned characters."""
    return any(unicodedata.category(ch) in _INVISIBLE_CATEGORIES for ch in value)


def _show_chars(chars):
    """Distinct characters, in order of appearance, quoted for a message."""
    return ", ".join(repr(ch) for ch in dict.fromkeys(chars))


def _mod10_check_digit(body):
    """GS1 mod-10: weights 3, 1, 3, ... starting from the rightmost body digit."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return str(-total % 10)


# --------------------------------------------------------------------------------------
# Free serials
# --------------------------------------------------------------------------------------


def check_free(value):
    """Any text: not blank, no control/invisible characters, at most FREE_MAX_LENGTH."""
    if _empty(value):
        return SerialIssue("empty")
    if has_invisible(value):
        return SerialIssue("control_chars")
    if len(value) > FREE_MAX_LENGTH:
        return SerialIssue("free_length", {"max": FREE_MAX_LENGTH, "length": len(value)})
    return None


# --------------------------------------------------------------------------------------
# IMEI
# --------------------------------------------------------------------------------------


def imei_check_digit(body14):
    """Luhn check digit of the 14 first IMEI digits (TAC + serial)."""
    if len(body14) != 14 or not _is_digits(body14):
        raise ValueError(f"an IMEI body has 14 digits: {body14!r}")
    total = 0
    # The check digit will sit right of the body, so the body's last digit is doubled.
    for i, digit in enumerate(reversed(body14)):
        n = int(digit)
        if i % 2 == 0:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return str(-total % 10)


def imei_sequence(first, count):
    """``count`` valid IMEIs from ``first`` on: the 14-digit body counts up and each
    check digit is computed. ``first`` must be 14 or 15 digits (its own check digit is
    recomputed). Raises ``ValueError`` when the body would need a 15th digit."""
    body = first[:14]
    if len(first) not in (14, 15) or not _is_digits(first):
        raise ValueError(f"not an IMEI: {first!r}")
    start = int(body)
    if start + count - 1 > 10**14 - 1:
        raise ValueError(f"no room for {count} IMEIs after {first!r}")
    bodies = (str(start + offset).zfill(14) for offset in range(count))
    return [b + imei_check_digit(b) for b in bodies]


def check_imei(value):
    """An IMEI is exactly 15 digits whose last one is the Luhn check digit."""
    if _empty(value):
        return SerialIssue("empty")
    if not _is_digits(value):
        return SerialIssue("imei_digits")
    if len(value) != 15:
        return SerialIssue("imei_length", {"length": len(value)})
    expected = imei_check_digit(value[:14])
    if value[14] != expected:
        return SerialIssue("imei_check", {"expected": expected})
    return None


# --------------------------------------------------------------------------------------
# VIN (49 CFR 565 / ISO 3779)
# --------------------------------------------------------------------------------------

_VIN_VALUES = {str(d): d for d in range(10)} | {
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def vin_check_digit(vin):
    """Check digit (position 9) of a 17-character VIN; '0'-'9' or 'X' for 10.

    The character currently in position 9 is ignored (its weight is 0).
    """
    if len(vin) != 17 or any(ch not in _VIN_VALUES for ch in vin):
        raise ValueError(f"not a well-formed VIN: {vin!r}")
    remainder = sum(_VIN_VALUES[ch] * w for ch, w in zip(vin, _VIN_WEIGHTS, strict=True)) % 11
    return "X" if remainder == 10 else str(remainder)


def check_vin(value, strict_check_digit=True):
    """17 characters from 0-9 and A-Z without I, O, Q, with a valid check digit.

    ``strict_check_digit=False`` tolerates a wrong check digit only (vehicles built
    for markets that do not require it); length and characters are always checked.
    """
    if _empty(value):
        return SerialIssue("empty")
    bad = [ch for ch in value if ch not in _VIN_VALUES]
    if bad:
        return SerialIssue("vin_chars", {"chars": _show_chars(bad)})
    if len(value) != 17:
        return SerialIssue("vin_length", {"length": len(value)})
    if strict_check_digit:
        expected = vin_check_digit(value)
        if value[8] != expected:
            return SerialIssue("vin_check", {"expected": expected})
    return None


# --------------------------------------------------------------------------------------
# GTIN and GS1 serial (AI 21)
# --------------------------------------------------------------------------------------


def gtin_check_digit(body):
    """GS1 mod-10 check digit of ``body`` (a GTIN without its last digit).

    Works for any GS1 key body (GTIN-8/12/13/14, GLN, SSCC).
    """
    if not body or not _is_digits(body):
        raise ValueError(f"a GS1 key body has digits only: {body!r}")
    return _mod10_check_digit(body)


def check_gtin(value):
    """GTIN-8, -12, -13 or -14 with a valid mod-10 check digit."""
    if _empty(value):
        return SerialIssue("empty")
    if not _is_digits(value):
        return SerialIssue("gtin_digits")
    if len(value) not in GTIN_LENGTHS:
        return SerialIssue("gtin_length", {"length": len(value)})
    expected = gtin_check_digit(value[:-1])
    if value[-1] != expected:
        return SerialIssue("gtin_check", {"expected": expected})
    return None


def normalize_gtin14(value):
    """GTIN-8/12/13/14 left-padded with zeros to 14 digits (check digit not verified).

    Raises ValueError when the value is not 8, 12, 13 or 14 digits.
    """
    value = (value or "").strip()
    if not _is_digits(value) or len(value) not in GTIN_LENGTHS:
        raise ValueError(f"not a GTIN: {value!r}")
    return value.zfill(14)


def check_ai21_serial(value):
    """GS1 serial (AI 21): 1 to 20 characters of GS1 character set 82."""
    if _empty(value):
        return SerialIssue("empty")
    bad = [ch for ch in value if ch not in _CS82]
    if bad:
        return SerialIssue("ai21_chars", {"chars": _show_chars(bad)})
    if len(value) > AI21_MAX_LENGTH:
        return SerialIssue("ai21_length", {"length": len(value)})
    return None


# --------------------------------------------------------------------------------------
# Dispatch by product identifier type
# --------------------------------------------------------------------------------------


def check_serial(identifier_type, value, strict_vin=True):
    """Validate ``value`` for a product's ``serial_identifier_type``.

    For ``gtin_serial`` the lot holds the AI 21 serial only (the GTIN is the
    product's barcode), so it is validated as AI 21.
    """
    if identifier_type == "free":
        return check_free(value)
    if identifier_type == "imei":
        return check_imei(value)
    if identifier_type == "vin":
        return check_vin(value, strict_check_digit=strict_vin)
    if identifier_type == "gtin_serial":
        return check_ai21_serial(value)
    raise ValueError(f"unknown identifier type {identifier_type!r}")


def normalize_serial(identifier_type, value):
    """Strip surrounding blanks; upper-case VINs and IMEIs. Empty values give ''."""
    if identifier_type not in IDENTIFIER_TYPES:
        raise ValueError(f"unknown identifier type {identifier_type!r}")
    value = (value or "").strip()
    if identifier_type in ("vin", "imei"):
        value = value.upper()
    return value


# --------------------------------------------------------------------------------------
# GS1 element strings
# --------------------------------------------------------------------------------------

GS = "\x1d"  # FNC1 as transmitted by scanners (ASCII group separator)
# AIM symbology identifiers announcing GS1 data: DataMatrix, GS1-128, DataBar, QR,
# DotCode.
SYMBOLOGY_IDS = ("]d2", "]C1", "]e0", "]Q3", "]J1")

# First two digits of the AIs whose total length (AI + value) is predefined: these
# need no FNC1 after them (GS1 General Specifications, "predefined length" table).
PREDEFINED_LENGTH = {
    "00": 20,
    "01": 16,
    "02": 16,
    "03": 16,
    "04": 18,
    **{str(n): 8 for n in range(11, 20)},
    "20": 4,
    **{str(n): 10 for n in range(31, 37)},
    "41": 16,
}


@dataclass(frozen=True)
class _AISpec:
    charset: str  # N digits, X set 82, Y set 39, Z set 64
    min_len: int
    max_len: int
    digits_prefix: int = 0  # leading digits of an "N3+X..27"-style value
    kind: str = ""  # "key" (mod-10 check digit) or "date" (YYMMDD)


def _n(length, kind=""):
    return _AISpec("N", length, length, kind=kind)


def _nv(max_len, min_len=1):
    return _AISpec("N", min_len, max_len)


def _x(max_len, min_len=1, digits_prefix=0):
    return _AISpec("X", min_len, max_len, digits_prefix)


def _build_ai_table():
    """Application identifiers in use (GS1 General Specifications, section 3)."""
    t = {
        "00": _n(18, "key"),
        "01": _n(14, "key"),
        "02": _n(14, "key"),
        "10": _x(20),
        "11": _n(6, "date"),
        "12": _n(6, "date"),
        "13": _n(6, "date"),
        "15": _n(6, "date"),
        "16": _n(6, "date"),
        "17": _n(6, "date"),
        "20": _n(2),
        "21": _x(20),
        "22": _x(20),
        "235": _x(28),
        "240": _x(30),
        "241": _x(30),
        "242": _nv(6),
        "243": _x(20),
        "250": _x(30),
        "251": _x(30),
        "253": _x(30, 13, 13),
        "254": _x(20),
        "255": _nv(25, 13),
        "30": _nv(8),
        "37": _nv(8),
        "400": _x(30),
        "401": _x(30),
        "402": _n(17),
        "403": _x(30),
        "420": _x(20),
        "421": _x(12, 4, 3),
        "422": _n(3),
        "423": _nv(15, 3),
        "424": _n(3),
        "425": _nv(15, 3),
        "426": _n(3),
        "427": _x(3),
        "7001": _n(13),
        "7002": _x(30),
        "7003": _n(10),
        "7004": _nv(4),
        "7005": _x(12),
        "7006": _n(6, "date"),
        "7007": _nv(12, 6),
        "7008": _x(3),
        "7009": _x(10),
        "7010": _x(2),
        "7011": _nv(10, 6),
        "7020": _x(20),
        "7021": _x(20),
        "7022": _x(20),
        "7023": _x(30),
        "7040": _x(4, 4, 1),
        "7041": _x(4),
        "7240": _x(20),
        "7241": _n(2),
        "7242": _x(25),
        "7250": _n(8),
        "7251": _n(12),
        "7252": _n(1),
        "7253": _x(40),
        "7254": _x(40),
        "7255": _x(10),
        "7256": _x(90),
        "7257": _x(70),
        "7258": _x(3, 3),
        "7259": _x(40),
        "8001": _n(14),
        "8002": _x(20),
        "8003": _x(30, 14, 14),
        "8004": _x(30),
        "8005": _n(6),
        "8006": _n(18),
        "8007": _x(34),
        "8008": _nv(12, 8),
        "8009": _x(50),
        "8010": _AISpec("Y", 1, 30),
        "8011": _nv(12),
        "8012": _x(20),
        "8013": _x(25),
        "8014": _x(25),
        "8017": _n(18),
        "8018": _n(18),
        "8019": _nv(10),
        "8020": _x(25),
        "8026": _n(18),
        "8030": _AISpec("Z", 1, 90),
        "8110": _x(70),
        "8111": _n(4),
        "8112": _x(70),
        "8200": _x(70),
        "90": _x(30),
    }
    # Trade and logistic measures: 4th digit = decimal point position.
    for prefix in range(310, 370):
        for decimals in range(10):
            t[f"{prefix}{decimals}"] = _n(6)
    for decimals in range(10):
        t[f"390{decimals}"] = _nv(15)
        t[f"391{decimals}"] = _nv(18, 4)
        t[f"392{decimals}"] = _nv(15)
        t[f"393{decimals}"] = _nv(18, 4)
        t[f"394{decimals}"] = _n(4)
        t[f"395{decimals}"] = _n(6)
    for ai in range(410, 418):  # GLNs: ship to, bill to, ...
        t[str(ai)] = _n(13, "key")
    for ai in range(4300, 4320):  # ship-to / return-to addresses
        t[str(ai)] = _x(2, 2) if ai in (4307, 4317) else _x(70)
    t |= {"4308": _x(30), "4309": _n(20), "4318": _x(20), "4319": _x(30)}
    t |= {"4320": _x(35), "4321": _n(1), "4322": _n(1), "4323": _n(1)}
    t |= {"4324": _n(10), "4325": _n(10), "4326": _n(6, "date")}
    for ai in range(7030, 7040):  # processor approval numbers
        t[str(ai)] = _x(30, 4, 3)
    for ai in range(710, 717):  # national healthcare reimbursement numbers
        t[str(ai)] = _x(20)
    for ai in range(7230, 7240):  # certification references
        t[str(ai)] = _x(30, 3)
    for ai in range(91, 100):  # company internal information
        t[str(ai)] = _x(90)
    return t


AI_TABLE = _build_ai_table()
_AI_LENGTHS = (2, 3, 4)
_CHARSETS = {"X": _CS82, "Y": _CS39, "Z": _CS64}


def looks_like_gs1(data):
    """Tell a GS1 element string from a plain serial.

    True for the parenthesised form ``(01)...``, anything carrying an FNC1/GS
    character, or data starting with a GS1 symbology identifier.
    """
    if not isinstance(data, str):
        return False
    return bool(re.match(r"\([0-9]{2,4}\)", data)) or GS in data or data.startswith(SYMBOLOGY_IDS)


def fnc1_to_gs(data, separator):
    """Replace a scanner's configured FNC1 separator (a regex) by GS in ``data``.

    Keyboard-wedge scanners cannot type GS and send what the barcode nomenclature says
    instead (``#``, ``Alt029``...). The replacement is kept only when the result is a
    valid raw GS1 string: a plain serial containing ``#`` stays as it was.
    """
    if not separator or not isinstance(data, str) or looks_like_gs1(data):
        return data
    try:
        candidate = re.sub(separator, GS, data)
    except re.error:
        return data
    if candidate == data:
        return data
    try:
        parse_gs1(candidate)
    except GS1ParseError:
        return data
    return candidate


def _lookup_ai(data, pos):
    """The known AI starting at ``pos``, or raise."""
    for size in _AI_LENGTHS:
        ai = data[pos : pos + size]
        if len(ai) == size and ai in AI_TABLE:
            return ai
    raise GS1ParseError("gs1_unknown_ai", position=pos + 1, data=data[pos : pos + 10])


def _validate_value(ai, value):
    spec = AI_TABLE[ai]
    if len(value) > spec.max_len:
        raise GS1ParseError("gs1_too_long", ai=ai, max=spec.max_len, length=len(value))
    if len(value) < spec.min_len and spec.min_len == spec.max_len:
        raise GS1ParseError("gs1_truncated", ai=ai, expected=spec.min_len, length=len(value))
    if len(value) < spec.min_len:
        raise GS1ParseError("gs1_too_short", ai=ai, min=spec.min_len, length=len(value))
    digits = len(value) if spec.charset == "N" else spec.digits_prefix
    if digits and not _is_digits(value[:digits]):
        raise GS1ParseError("gs1_not_digits", ai=ai, value=value)
    if spec.charset != "N":
        bad = [ch for ch in value[digits:] if ch not in _CHARSETS[spec.charset]]
        if bad:
            raise GS1ParseError("gs1_bad_chars", ai=ai, chars=_show_chars(bad))
    if spec.kind == "key":
        expected = _mod10_check_digit(value[:-1])
        if value[-1] != expected:
            raise GS1ParseError("gs1_check_digit", ai=ai, value=value, expected=expected)
    elif spec.kind == "date":
        month, day = int(value[2:4]), int(value[4:6])
        # Day 00 means "end of month" in GS1 dates.
        if not 1 <= month <= 12 or day > calendar.monthrange(2000 + int(value[:2]), month)[1]:
            raise GS1ParseError("gs1_bad_date", ai=ai, value=value)


def _add(result, ai, value):
    _validate_value(ai, value)
    if result.get(ai, value) != value:
        raise GS1ParseError("gs1_duplicate_ai", ai=ai)
    result[ai] = value


_HRI_AI = re.compile(r"\(([0-9]{2,4})\)")


def _parse_hri(data):
    """``(01)09506000134352(21)ABC123``: a value ends where the next known ``(AI)`` starts."""
    result = {}
    pos = 0
    while pos < len(data):
        match = _HRI_AI.match(data, pos)
        if not match:
            raise GS1ParseError("gs1_syntax", position=pos + 1, data=data[pos : pos + 10])
        ai = match.group(1)
        if ai not in AI_TABLE:
            raise GS1ParseError("gs1_unknown_ai", position=pos + 1, data=data[pos : pos + 10])
        start = match.end()
        # Parentheses are legal inside CS82 values, so only a known AI closes a value.
        end = start
        while True:
            nxt = _HRI_AI.search(data, end)
            if not nxt or nxt.group(1) in AI_TABLE:
                end = nxt.start() if nxt else len(data)
                break
            end = nxt.start() + 1
        _add(result, ai, data[start:end])
        pos = end
    return result


def _parse_raw(data):
    """Concatenated AIs; variable-length values end with GS (FNC1) or the data."""
    result = {}
    pos = 0
    while pos < len(data):
        if data[pos] == GS:  # separator after a fixed-length value, or doubled
            pos += 1
            continue
        ai = _lookup_ai(data, pos)
        start = pos + len(ai)
        total = PREDEFINED_LENGTH.get(ai[:2])
        if total:
            end = pos + total
            value = data[start:end]
            if len(value) < total - len(ai) or GS in value:
                length = len(value.split(GS, 1)[0])
                raise GS1ParseError("gs1_truncated", ai=ai, expected=total - len(ai), length=length)
        else:
            end = data.find(GS, start)
            end = len(data) if end < 0 else end
            value = data[start:end]
        _add(result, ai, value)
        pos = end
    return result


def parse_gs1(data):
    """Parse a GS1 element string into an ordered ``{AI: value}`` dict.

    Accepts the human-readable form ``(01)09506000134352(21)ABC123`` and the raw
    scanner form, where FNC1 is the GS character (``\\x1d``), optionally preceded by
    a symbology identifier (``]d2``, ``]C1``, ``]e0``, ``]Q3``, ``]J1``) and/or a
    leading FNC1. Values are checked against the AI's length and character set; GS1
    keys (SSCC, GTIN, GLN) against their check digit and dates against the calendar.

    Raises :class:`GS1ParseError` on malformed data.
    """
    if not isinstance(data, str):
        raise GS1ParseError("gs1_empty")
    # Not str.strip(): Python counts GS (\x1d) as whitespace.
    data = data.strip(" \t\r\n")
    if data.startswith(SYMBOLOGY_IDS):
        data = data[3:]
    data = data.lstrip(GS)
    if not data:
        raise GS1ParseError("gs1_empty")
    if data.startswith("("):
        return _parse_hri(data)
    return _parse_raw(data)
