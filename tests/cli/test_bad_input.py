"""Bad input through the CLI (SPEC 10): every case gets the documented exit
code and one stderr line "tenantiso: ..." that says what and where; nothing
crashes, nothing is printed on stdout."""

import json
import os
import unittest

from cli_support import CONTOSO, DOMAINS, FABRIKAM, POLICY, CliTestCase, entry, policy_doc, run

GOOD = json.dumps(policy_doc([entry(FABRIKAM, True, True, tenantDisplayName="Fabrikam")]))


def with_props(**changes):
    doc = policy_doc([entry(FABRIKAM, True, True)])
    doc["properties"].update(changes)
    return json.dumps(doc)


def with_entry(**changes):
    e = entry(FABRIKAM, True, True)
    e.update(changes)
    return json.dumps(policy_doc([e]))


class PolicyDocumentTests(CliTestCase):
    def check_both(self, name, content, code, *fragments):
        """The same verdict from check and eval: they load alike."""
        path = self.write(name, content)
        self.assertFails(run("check", path), code, name, *fragments)
        self.assertFails(run("eval", path, "--creator", CONTOSO, "--target", FABRIKAM),
                         code, name, *fragments)
        r = run("eval", path, "--creator", CONTOSO, "--target", FABRIKAM, "--json")
        self.assertEqual(r.rc, code, r)
        self.assertIn(name, json.loads(r.out)["error"]["message"])

    def test_malformed_truncated_empty(self):
        cases = {
            "malformed.json": '{"properties": {"tenantId" "x"}}',
            "truncated.json": GOOD[: len(GOOD) // 2],
            "unterminated-string.json": '{"properties": {"tenantId": "c0a7',
            "empty.json": "",
            "blank.json": "  \n\t\n",
            "trailing-garbage.json": GOOD + " x",
            "two-documents.json": GOOD + GOOD,
            "single-quotes.json": "{'properties': {}}",
            "comment.json": "// policy\n" + GOOD,
            "bare-word.json": "true",
        }
        for name, content in cases.items():
            with self.subTest(name=name):
                self.check_both(name, content, 2)

    def test_syntax_errors_carry_line_and_column(self):
        path = self.write("lines.json", GOOD.replace('"isDisabled"', '\n\n  "isDisabled" 1,'))
        line = self.assertFails(run("check", path), 2)
        self.assertRegex(line, r"lines\.json:3:\d+")

    def test_wrong_types_for_each_field(self):
        cases = {
            "root-array.json": ("[]", None),
            "props-array.json": ('{"properties": []}', "properties"),
            "props-string.json": ('{"properties": "x"}', "properties"),
            "home-number.json": (with_props(tenantId=5), "tenantId"),
            "home-bool.json": (with_props(tenantId=True), "tenantId"),
            "disabled-string.json": (with_props(isDisabled="false"), "isDisabled"),
            "disabled-number.json": (with_props(isDisabled=0), "isDisabled"),
            "allowed-object.json": (with_props(allowedTenants={}), "allowedTenants"),
            "allowed-string.json": (with_props(allowedTenants="x"), "allowedTenants"),
            "entry-number.json": (with_props(allowedTenants=[5]), "allowedTenants[0]"),
            "entry-tenant-number.json": (with_entry(tenantId=5), "allowedTenants[0]"),
            "entry-domain-number.json": (
                json.dumps(policy_doc([{"domain": 5,
                                        "direction": {"inbound": True, "outbound": True}}])),
                "allowedTenants[0]"),
            "entry-name-number.json": (with_entry(tenantDisplayName=5), "tenantDisplayName"),
            "direction-bool.json": (with_entry(direction=True), "direction"),
            "direction-array.json": (with_entry(direction=[]), "direction"),
            "inbound-string.json": (with_entry(direction={"inbound": "yes", "outbound": True}),
                                    "inbound"),
            "outbound-number.json": (with_entry(direction={"inbound": True, "outbound": 1}),
                                     "outbound"),
            "extension-string.json": (with_props(evaluateNonEntraConnectors="yes"),
                                      "evaluateNonEntraConnectors"),
            "neither-id-nor-domain.json": (
                json.dumps(policy_doc([{"direction": {"inbound": True, "outbound": True}}])),
                "allowedTenants[0]"),
            "duplicate-key.json": (GOOD.replace('"isDisabled": false',
                                                '"isDisabled": false, "isDisabled": true'),
                                   "isDisabled"),
        }
        for name, (content, where) in cases.items():
            with self.subTest(name=name):
                fragments = (where,) if where else ()
                self.check_both(name, content, 2, *fragments)

    def test_invalid_ids_in_the_document(self):
        cases = {
            "home-bad.json": (with_props(tenantId="c0a7b3e1-5d4f-4e2a-9b1c-000000c0705g"),
                              "tenantId"),
            "home-nil.json": (with_props(tenantId="00000000-0000-0000-0000-000000000000"),
                              "tenantId"),
            "home-braced.json": (with_props(tenantId="{%s}" % CONTOSO), "tenantId"),
            "entry-bad.json": (with_entry(tenantId="fabrikam"), "allowedTenants[0]"),
            "entry-bad-domain.json": (
                json.dumps(policy_doc([{"domain": "fab/rikam.com",
                                        "direction": {"inbound": True, "outbound": True}}])),
                "allowedTenants[0]"),
        }
        for name, (content, where) in cases.items():
            with self.subTest(name=name):
                self.check_both(name, content, 2, where)

    def test_deep_nesting(self):
        for depth in (100, 100000):
            with self.subTest(depth=depth):
                deep = ('{"properties": {"tenantId": "%s", "isDisabled": false, '
                        '"allowedTenants": [], "x": %s%s}}' % (CONTOSO, "[" * depth, "]" * depth))
                self.check_both("deep-%d.json" % depth, deep, 2)

    def test_document_over_the_size_limit(self):
        # 64 MiB is the default limit; one byte more of harmless whitespace.
        limit = 64 * 1024 * 1024
        path = os.path.join(self.tmp, "huge.json")
        with open(path, "wb") as f:
            f.write(GOOD.encode())
            f.truncate(limit + 1)
        with open(path, "r+b") as f:  # truncate pads with NULs: make them spaces
            f.seek(len(GOOD))
            remaining = limit + 1 - len(GOOD)
            chunk = b" " * (1 << 20)
            while remaining > 0:
                n = min(remaining, len(chunk))
                f.write(chunk[:n])
                remaining -= n
        self.assertEqual(os.path.getsize(path), limit + 1)
        self.assertFails(run("check", path), 2, "huge.json")

    def test_long_strings(self):
        # The library locates this one by line and column (not by JSON path).
        path = self.write("long-name.json", with_entry(tenantDisplayName="n" * 5000))
        line = self.assertFails(run("check", path), 2, "long-name.json", "1024")
        self.assertRegex(line, r"long-name\.json:1:\d+")

    def test_invalid_utf8_and_nul_bytes(self):
        good = GOOD.encode()
        cases = {
            "bad-utf8.json": good.replace(b"Fabrikam", b"Fab\xffrikam"),
            "overlong-utf8.json": good.replace(b"Fabrikam", b"Fab\xc0\xafrikam"),
            "surrogate-utf8.json": good.replace(b"Fabrikam", b"Fab\xed\xa0\x80rikam"),
            "truncated-utf8.json": good.replace(b"Fabrikam", b"Fabrikam\xe2\x82"),
            "nul-in-string.json": good.replace(b"Fabrikam", b"Fab\x00rikam"),
            "nul-after.json": good + b"\x00",
            "nul-before.json": b"\x00" + good,
        }
        for name, content in cases.items():
            with self.subTest(name=name):
                self.check_both(name, content, 2)

    def test_files_that_are_not_policy_files(self):
        missing = os.path.join(self.tmp, "missing.json")
        self.assertFails(run("check", missing), 3, "missing.json")
        self.assertFails(run("eval", missing, "--creator", CONTOSO, "--target", FABRIKAM),
                         3, "missing.json")
        self.assertFails(run("check", self.tmp), 3, os.path.basename(self.tmp))
        self.assertFails(run("check", "/dev/null"), 2, "/dev/null")
        r = run("check", missing, "--json")
        self.assertEqual(r.rc, 3, r)
        self.assertEqual(json.loads(r.out)["error"]["code"], "io")


class TenantArgumentTests(CliTestCase):
    def eval_with(self, flag, value):
        other = "--target" if flag == "--creator" else "--creator"
        return run("eval", POLICY, "--domains", DOMAINS, flag, value, other, CONTOSO)

    def test_invalid_braced_and_nil_guids(self):
        cases = [
            "c0a7b3e1-5d4f-4e2a-9b1c-000000c0705g",
            "{%s}" % CONTOSO,
            "{%s" % CONTOSO,
            "00000000-0000-0000-0000-000000000000",
            "c0a7b3e1_5d4f_4e2a_9b1c_000000c07050",
            " " + CONTOSO,
            CONTOSO + "0",
            "c0a7b3e15d4f4e2a9b1c000000c07050",
        ]
        for value in cases:
            for flag in ("--creator", "--target"):
                with self.subTest(value=value, flag=flag):
                    self.assertFails(self.eval_with(flag, value), 2, flag)
        for value in ("{%s}" % CONTOSO, "00000000-0000-0000-0000-000000000000"):
            r = run("eval", POLICY, "--domains", DOMAINS, "--creator", value,
                    "--target", CONTOSO, "--json")
            self.assertJsonError(r, 2, "invalid_tenant", "--creator")

    def test_bad_domains(self):
        cases = ['con"toso.com', "contoso.com/evil", "contoso .com", "contoso..com",
                 "contoso.com?x=1", "-contoso.com", "a" * 64 + ".com", "../etc/passwd",
                 "contoso.com@evil.com", "contoso", "contoso.com\\x", "%2e%2e.com",
                 ("a." * 130) + "com"]
        for value in cases:
            with self.subTest(value=value):
                line = self.assertFails(self.eval_with("--target", value), 2, "--target")
                self.assertLess(len(line), 1100)
                r = run("eval", POLICY, "--domains", DOMAINS, "--target", value,
                        "--creator", CONTOSO, "--json")
                self.assertJsonError(r, 2, "invalid_domain")

    def test_the_wildcard_is_no_tenant(self):
        # "*" is only a policy entry: an invalid tenant wherever a name is taken.
        r = run("eval", POLICY, "--domains", DOMAINS, "--target", "*", "--creator", CONTOSO, "--json")
        self.assertJsonError(r, 2, "invalid_tenant", "wildcard")

    def test_control_characters_never_split_the_error_line(self):
        self.assertFails(self.eval_with("--creator", "evil\ncom"), 2, "--creator")
        self.assertFails(self.eval_with("--creator", "evil.com\r\nX: y"), 2, "--creator")
        self.assertFails(self.eval_with("--creator", b"bad\xff.com"), 2, "--creator")
        # With --json the output stays valid UTF-8 JSON whatever the input held.
        r = run("eval", POLICY, "--domains", DOMAINS, "--creator", b"bad\xff\x01.com",
                "--target", CONTOSO, "--json")
        self.assertEqual(r.rc, 2, r)
        doc = json.loads(r.out_bytes.decode("utf-8"))  # strict: raises on bad UTF-8
        self.assertEqual(doc["error"]["code"], "invalid_domain")


if __name__ == "__main__":
    unittest.main()
