from odoo.tests import tagged
from odoo.tests.common import BaseCase

from ..tools.identifiers import (
    AI_TABLE,
    FREE_MAX_LENGTH,
    GS,
    PREDEFINED_LENGTH,
    REASONS,
    GS1ParseError,
    SerialIssue,
    check_ai21_serial,
    check_free,
    check_gtin,
    check_imei,
    check_serial,
    check_vin,
    gtin_check_digit,
    imei_check_digit,
    looks_like_gs1,
    normalize_gtin14,
    normalize_serial,
    parse_gs1,
    vin_check_digit,
)


@tagged("post_install", "-at_install")
class TestIdentifiers(BaseCase):
    """Pure-Python identifier rules: no database needed."""

    def assertIssue(self, issue, code, **params):
        self.assertIsInstance(issue, SerialIssue)
        self.assertEqual(issue.code, code)
        for key, value in params.items():
            self.assertEqual(issue.params[key], value)

    # IMEI -------------------------------------------------------------------------

    def test_imei_valid(self):
        for imei in ("490154203237518", "356938035643809"):
            with self.subTest(imei=imei):
                self.assertIsNone(check_imei(imei))
        self.assertEqual(imei_check_digit("49015420323751"), "8")
        self.assertEqual(imei_check_digit("35693803564380"), "9")

    def test_imei_invalid(self):
        self.assertIssue(check_imei("490154203237517"), "imei_check", expected="8")
        self.assertIssue(check_imei("49015420323751"), "imei_length", length=14)
        self.assertIssue(check_imei("4901542032375180"), "imei_length", length=16)
        self.assertIssue(check_imei("49015420323751A"), "imei_digits")
        self.assertIssue(check_imei("490154 03237518"), "imei_digits")
        # Non-ASCII digits pass str.isdigit() but are no IMEI.
        self.assertIssue(check_imei("٤٩٠١٥٤٢٠٣٢٣٧٥١٨"), "imei_digits")
        self.assertIssue(check_imei(""), "empty")
        self.assertIssue(check_imei(False), "empty")
        with self.assertRaises(ValueError):
            imei_check_digit("4901542032375")

    def test_imei_every_wrong_check_digit_refused(self):
        body = "35693803564380"
        for digit in "0123456789":
            with self.subTest(digit=digit):
                issue = check_imei(body + digit)
                if digit == "9":
                    self.assertIsNone(issue)
                else:
                    self.assertIssue(issue, "imei_check", expected="9")

    # VIN --------------------------------------------------------------------------

    def test_vin_valid(self):
        for vin in ("1M8GDM9AXKP042788", "11111111111111111", "1HGCM82633A004352"):
            with self.subTest(vin=vin):
                self.assertIsNone(check_vin(vin))
        self.assertEqual(vin_check_digit("1M8GDM9AXKP042788"), "X")
        self.assertEqual(vin_check_digit("1HGCM82633A004352"), "3")
        # The character in position 9 does not count in its own computation.
        self.assertEqual(vin_check_digit("1HGCM826Z3A004352"), "3")

    def test_vin_check_digit_x(self):
        # A second VIN whose remainder is 10: find one by varying the serial part.
        vin = next(
            v for n in range(100000, 200000) if vin_check_digit(v := f"1FTFW1ET0DF{n}") == "X"
        )
        vin = vin[:8] + "X" + vin[9:]
        self.assertIsNone(check_vin(vin))
        self.assertIssue(check_vin(vin[:8] + "0" + vin[9:]), "vin_check", expected="X")

    def test_vin_invalid(self):
        self.assertIssue(check_vin("1HGCM82643A004352"), "vin_check", expected="3")
        self.assertIssue(check_vin("1HGCM82633A00435"), "vin_length", length=16)
        self.assertIssue(check_vin("1HGCM82633A0043522"), "vin_length", length=18)
        for letter in "IOQ":
            with self.subTest(letter=letter):
                issue = check_vin("1HGCM82633A00435" + letter)
                self.assertIssue(issue, "vin_chars", chars=repr(letter))
        self.assertIssue(check_vin("1hgcm82633a004352"), "vin_chars")
        self.assertIssue(check_vin("1HGCM82633A-04352"), "vin_chars", chars="'-'")
        self.assertIssue(check_vin("   "), "empty")
        with self.assertRaises(ValueError):
            vin_check_digit("1HGCM82633A00435")

    def test_vin_lenient_tolerates_only_check_digit(self):
        self.assertIsNone(check_vin("1HGCM82643A004352", strict_check_digit=False))
        self.assertIssue(check_vin("1HGCM82633A00435", strict_check_digit=False), "vin_length")
        self.assertIssue(check_vin("1HGCM82633A00435O", strict_check_digit=False), "vin_chars")
        self.assertIssue(check_serial("vin", "1HGCM82643A004352"), "vin_check")
        self.assertIsNone(check_serial("vin", "1HGCM82643A004352", strict_vin=False))

    # GTIN -------------------------------------------------------------------------

    def test_gtin_valid(self):
        for gtin in ("09506000134352", "4006381333931", "96385074", "036000291452"):
            with self.subTest(gtin=gtin):
                self.assertIsNone(check_gtin(gtin))
        self.assertEqual(gtin_check_digit("0950600013435"), "2")
        self.assertEqual(gtin_check_digit("400638133393"), "1")
        self.assertEqual(gtin_check_digit("9638507"), "4")
        self.assertEqual(gtin_check_digit("03600029145"), "2")

    def test_gtin_invalid(self):
        self.assertIssue(check_gtin("09506000134353"), "gtin_check", expected="2")
        self.assertIssue(check_gtin("4006381333932"), "gtin_check", expected="1")
        self.assertIssue(check_gtin("96385075"), "gtin_check", expected="4")
        self.assertIssue(check_gtin("036000291453"), "gtin_check", expected="2")
        for length in (7, 9, 10, 11, 15):
            with self.subTest(length=length):
                self.assertIssue(check_gtin("1" * length), "gtin_length", length=length)
        self.assertIssue(check_gtin("4006381A33931"), "gtin_digits")
        self.assertIssue(check_gtin(None), "empty")
        with self.assertRaises(ValueError):
            gtin_check_digit("")

    def test_normalize_gtin14(self):
        self.assertEqual(normalize_gtin14("96385074"), "00000096385074")
        self.assertEqual(normalize_gtin14("036000291452"), "00036000291452")
        self.assertEqual(normalize_gtin14(" 4006381333931 "), "04006381333931")
        self.assertEqual(normalize_gtin14("09506000134352"), "09506000134352")
        for bad in ("123456789", "ABCDEFGH", "", None):
            with self.subTest(value=bad), self.assertRaises(ValueError):
                normalize_gtin14(bad)

    # AI 21 serial -----------------------------------------------------------------

    def test_ai21_serial(self):
        self.assertIsNone(check_ai21_serial("A" * 20))
        self.assertIsNone(check_ai21_serial("x"))
        self.assertIsNone(check_ai21_serial("!\"%&'()*+,-./:;<=>?_"))
        self.assertIssue(check_ai21_serial("A" * 21), "ai21_length", length=21)
        self.assertIssue(check_ai21_serial("AB 12"), "ai21_chars", chars="' '")
        self.assertIssue(check_ai21_serial("AB#12$"), "ai21_chars", chars="'#', '$'")
        self.assertIssue(check_ai21_serial("ÄB12"), "ai21_chars")
        self.assertIssue(check_ai21_serial("AB" + GS + "12"), "ai21_chars")
        self.assertIssue(check_ai21_serial(""), "empty")
        self.assertIssue(check_serial("gtin_serial", "A" * 21), "ai21_length")
        self.assertIsNone(check_serial("gtin_serial", "ABC123"))

    # Free serials -----------------------------------------------------------------

    def test_free(self):
        self.assertIsNone(check_free("SN 2024/001-é"))
        self.assertIsNone(check_free("x" * FREE_MAX_LENGTH))
        self.assertIssue(
            check_free("x" * (FREE_MAX_LENGTH + 1)),
            "free_length",
            max=FREE_MAX_LENGTH,
            length=FREE_MAX_LENGTH + 1,
        )
        self.assertIssue(check_free("   "), "empty")
        self.assertIssue(check_free(None), "empty")
        for bad in ("AB\nC", "AB\tC", "AB\x00", "AB\u200bC", "AB" + GS + "C"):
            with self.subTest(value=bad):
                self.assertIssue(check_free(bad), "control_chars")
        with self.assertRaises(TypeError):
            check_free(12345)

    # Dispatch and normalisation -----------------------------------------------------

    def test_check_serial_dispatch(self):
        self.assertIsNone(check_serial("imei", "490154203237518"))
        self.assertIssue(check_serial("imei", "490154203237519"), "imei_check")
        self.assertIsNone(check_serial("vin", "1M8GDM9AXKP042788"))
        self.assertIsNone(check_serial("free", "anything goes"))
        self.assertIssue(check_serial("free", ""), "empty")
        with self.assertRaises(ValueError):
            check_serial("mac", "00:11:22:33:44:55")

    def test_normalize_serial(self):
        self.assertEqual(normalize_serial("vin", " 1m8gdm9axkp042788\n"), "1M8GDM9AXKP042788")
        self.assertEqual(normalize_serial("imei", " 490154203237518 "), "490154203237518")
        self.assertEqual(normalize_serial("free", "  Sn-abc "), "Sn-abc")
        self.assertEqual(normalize_serial("gtin_serial", " abC1 "), "abC1")
        self.assertEqual(normalize_serial("free", False), "")
        self.assertIsNone(check_vin(normalize_serial("vin", "1m8gdm9axkp042788")))
        with self.assertRaises(ValueError):
            normalize_serial("mac", "x")

    def test_messages(self):
        issue = check_imei("490154203237517")
        self.assertEqual(issue.message, "wrong IMEI check digit")
        self.assertEqual(str(issue), issue.message)
        self.assertEqual(issue, SerialIssue("imei_check", {"expected": "8"}))
        self.assertEqual(
            check_vin("1HGCM82633A00435Q").message,
            "a VIN uses only digits and capital letters except I, O and Q (not allowed: 'Q')",
        )
        # Every template renders with the params its producers give it.
        samples = {
            "max": 1,
            "length": 2,
            "expected": "3",
            "chars": "'#'",
            "position": 4,
            "data": "(77)",
            "ai": "01",
            "min": 5,
            "value": "x",
        }
        for code, template in REASONS.items():
            with self.subTest(code=code):
                self.assertTrue(SerialIssue(code, samples).message)
                self.assertNotIn("%(", template % samples)

    # GS1 parsing ------------------------------------------------------------------

    def test_parse_gs1_human_readable(self):
        self.assertEqual(
            parse_gs1("(01)09506000134352(21)ABC123"),
            {"01": "09506000134352", "21": "ABC123"},
        )
        self.assertEqual(
            parse_gs1("(01)09506000134352(17)261231(10)LOT(1)(21)S/N:1"),
            {"01": "09506000134352", "17": "261231", "10": "LOT(1)", "21": "S/N:1"},
        )
        # Day 00 is "end of month" in GS1 dates.
        self.assertEqual(parse_gs1("(17)260200")["17"], "260200")

    def test_parse_gs1_raw(self):
        data = "]d2" + "0109506000134352" + "21ABC123" + GS + "10LOT1"
        self.assertEqual(
            parse_gs1(data),
            {"01": "09506000134352", "21": "ABC123", "10": "LOT1"},
        )
        for prefix in ("]C1", "]e0", "]Q3", GS, "]d2" + GS, ""):
            with self.subTest(prefix=prefix):
                parsed = parse_gs1(prefix + "0109506000134352" + "21ABC123" + GS + "10LOT1\r\n")
                self.assertEqual(parsed, {"01": "09506000134352", "21": "ABC123", "10": "LOT1"})
        # Fixed-length values need no separator, variable ones end at GS or the end;
        # a superfluous GS after a fixed-length value is tolerated.
        self.assertEqual(
            parse_gs1("]C1" + "0109506000134352" + GS + "17261231" + "3103000750" + "10AB"),
            {"01": "09506000134352", "17": "261231", "3103": "000750", "10": "AB"},
        )
        self.assertEqual(
            parse_gs1("]C1" + "00106141411234567897" + "4109506000134352"),
            {"00": "106141411234567897", "410": "9506000134352"},
        )
        self.assertEqual(parse_gs1("21" + "A" * 20), {"21": "A" * 20})

    def test_parse_gs1_errors(self):
        cases = {
            "(01)0950600013435(21)A": "gs1_truncated",
            "]d2010950600013435": "gs1_truncated",
            "]d201095060001343" + GS + "21A": "gs1_truncated",
            "(77)12": "gs1_unknown_ai",
            "]d2" + "0109506000134352" + "77X": "gs1_unknown_ai",
            "]C1" + "21" + "A" * 21: "gs1_too_long",
            "(21)" + "A" * 21: "gs1_too_long",
            "(01)0950600013435A": "gs1_not_digits",
            "(30)12A": "gs1_not_digits",
            "(21)AB CD": "gs1_bad_chars",
            "(01)09506000134353": "gs1_check_digit",
            "(17)261301": "gs1_bad_date",
            "(17)250230": "gs1_bad_date",
            "(21)A(21)B": "gs1_duplicate_ai",
            "(21)": "gs1_too_short",
            "(01": "gs1_syntax",
            "(01)09506000134352XX": "gs1_too_long",
            "": "gs1_empty",
            "]d2": "gs1_empty",
        }
        for data, code in cases.items():
            with self.subTest(data=data):
                with self.assertRaises(GS1ParseError) as ctx:
                    parse_gs1(data)
                self.assertEqual(ctx.exception.code, code)
                self.assertIsInstance(ctx.exception, ValueError)
                self.assertEqual(str(ctx.exception), ctx.exception.issue.message)

    def test_parse_gs1_error_message(self):
        with self.assertRaises(GS1ParseError) as ctx:
            parse_gs1("]d2010950600013435")
        self.assertEqual(
            str(ctx.exception),
            "the value of AI (01) needs 14 characters, only 13 remain",
        )
        self.assertEqual(ctx.exception.params, {"ai": "01", "expected": 14, "length": 13})

    def test_ai_table_consistent_with_predefined_lengths(self):
        # An AI under a predefined-length prefix must have exactly that value length,
        # otherwise raw data without separators would be cut at the wrong place.
        for ai, spec in AI_TABLE.items():
            total = PREDEFINED_LENGTH.get(ai[:2])
            if total:
                with self.subTest(ai=ai):
                    self.assertEqual(spec.charset, "N")
                    self.assertEqual((spec.min_len, spec.max_len), (total - len(ai),) * 2)
        # No AI is the prefix of another, so the AI at a position is unambiguous.
        for ai in AI_TABLE:
            for size in range(2, len(ai)):
                self.assertNotIn(ai[:size], AI_TABLE, ai)

    def test_looks_like_gs1(self):
        for data in (
            "(01)09506000134352(21)ABC123",
            "]d20109506000134352",
            "]C10109506000134352",
            "]e00109506000134352",
            "]Q30109506000134352",
            "0109506000134352" + "21A" + GS + "10B",
        ):
            with self.subTest(data=data):
                self.assertTrue(looks_like_gs1(data))
        for data in (
            "490154203237518",
            "1M8GDM9AXKP042788",
            "SN(1)",
            "(A1)B",
            "",
            None,
        ):
            with self.subTest(data=data):
                self.assertFalse(looks_like_gs1(data))
