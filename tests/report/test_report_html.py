#!/usr/bin/env python3
"""The HTML report in a real browser: headless Chromium (Debian's `chromium`,
installed by ensure_chromium.sh when missing) renders it to a PNG that is not
blank -- checked by decoding the PNG with the standard library -- and to a
DOM that names every blocked tenant and holds no script.

Run: TENANTISO_CLI=path/to/tenantiso python3 -m unittest test_report_html"""
import json
import os
import shutil
import struct
import subprocess
import tempfile
import unittest
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
EXAMPLE = os.path.join(ROOT, "examples", "contoso")
BIN = os.environ.get("TENANTISO_CLI", "tenantiso")


def chromium():
    p = subprocess.run([os.path.join(HERE, "ensure_chromium.sh")], capture_output=True, text=True, timeout=900)
    if p.returncode != 0 and os.environ.get("TISO_ALLOW_NO_CHROMIUM"):
        raise unittest.SkipTest(p.stderr)
    if p.returncode != 0:
        raise AssertionError(p.stderr)
    return p.stdout.strip()


def browse(browser, profile, *args):
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--user-data-dir=" + profile]
    return subprocess.run([browser, *flags, *args], capture_output=True, text=True, timeout=180)


def png_pixels(path):
    """(width, height, rows of RGB(A) bytes) of an 8-bit RGB or RGBA PNG."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, color, _, _, interlace = header
    assert depth == 8 and color in (2, 6) and interlace == 0, header
    bpp = 3 if color == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + b) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


class HtmlRenderTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.browser = chromium()
        cls.tmp = tempfile.mkdtemp(prefix="tiso_html_")
        args = [os.path.join(EXAMPLE, "policy.json"), os.path.join(EXAMPLE, "connections-report.json"),
                os.path.join(HERE, "data", "page1.json"), "--domains", os.path.join(EXAMPLE, "domains.json")]
        cls.page = os.path.join(cls.tmp, "report.html")
        r = subprocess.run([BIN, "report", *args, "--format", "html", "--output", cls.page],
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        j = subprocess.run([BIN, "report", *args, "--format", "json"], capture_output=True, text=True)
        cls.blocked = sorted({row["tenantId"] for row in json.loads(j.stdout)["byTenant"] if row["blocked"]})
        assert len(cls.blocked) >= 5, cls.blocked

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def profile(self):
        return tempfile.mkdtemp(dir=self.tmp)  # a fresh profile for every run

    def test_screenshot_is_not_blank(self):
        png = os.path.join(self.tmp, "report.png")
        r = browse(self.browser, self.profile(), "--window-size=1200,1600", "--screenshot=" + png,
                   "file://" + self.page)
        self.assertTrue(os.path.exists(png), r.stderr[-2000:])
        width, height, bpp, rows = png_pixels(png)
        self.assertEqual((width, height), (1200, 1600))
        grey = [sum(row[i:i + 3]) // 3 for row in rows[::4] for i in range(0, len(row), bpp * 4)]
        mean = sum(grey) / len(grey)
        variance = sum((g - mean) ** 2 for g in grey) / len(grey)
        dark = sum(1 for g in grey if g < 128) / len(grey)
        colours = {row[i:i + 3] for row in rows[::8] for i in range(0, len(row), bpp * 8)}
        self.assertGreater(variance, 100, "the page looks blank")
        self.assertGreater(dark, 0.005, "no text or bars drawn")
        reds = [c for c in colours if c[0] > 150 and c[1] < 90 and c[2] < 90]
        self.assertTrue(reds, "the chart's red bars are missing")

    def test_dom_names_every_blocked_tenant(self):
        r = browse(self.browser, self.profile(), "--dump-dom", "file://" + self.page)
        self.assertEqual(r.returncode, 0, r.stderr[-2000:])
        dom = r.stdout
        self.assertIn("Tenant isolation impact report", dom)
        for tenant in self.blocked:
            self.assertIn(tenant, dom)
        self.assertNotIn("<script", dom)  # the hostile connectionId stayed text
        self.assertIn("&lt;script&gt;", dom)
        self.assertIn("<svg", dom)


if __name__ == "__main__":
    unittest.main()
