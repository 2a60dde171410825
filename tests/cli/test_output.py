"""Where output goes (SPEC 6, issue 10 findings 10 and 14): `--output`
never overwrites one of the command's inputs, and a write failure is one
line naming its cause, exit 3, with nothing half-written left behind."""

import os
import resource
import signal
import stat
import subprocess
import unittest

from cli_support import CLI, CONTOSO, FABRIKAM, TAILSPIN, CliTestCase, entry, policy_doc, run

INVENTORY = "".join('{"creatorTenantId": "%s", "targetTenantId": "%s", "connectionId": "c%d"}\n'
                    % (CONTOSO, t, i) for i, t in enumerate([FABRIKAM, TAILSPIN] * 40))


def full_device(tmp):
    """A path that is a character device answering every write with ENOSPC:
    a private copy of /dev/full where we may create one (so that a tool that
    replaces its output file damages nothing), else /dev/full itself, which
    only root could replace."""
    path = os.path.join(tmp, "full")
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
        return path
    except (PermissionError, OSError):
        if os.geteuid() == 0:
            raise unittest.SkipTest("cannot create a device node to stand for /dev/full")
        return "/dev/full"


class OutputTests(CliTestCase):
    def setUp(self):
        super().setUp()
        self.write_inputs()

    def write_inputs(self):
        self.policy = self.write("policy.json", policy_doc([entry(FABRIKAM, True, True)]))
        self.inventory = self.write("inventory.jsonl", INVENTORY)
        self.domains = self.write("domains.json", {"fabrikam.com": FABRIKAM})

    def snapshot(self, *paths):
        return {p: (open(p, "rb").read(), os.stat(p).st_ino) for p in paths}

    def assertNoLeftovers(self):
        names = sorted(os.listdir(self.tmp))
        self.assertEqual([n for n in names if "." in n and n.rsplit(".", 1)[1].isalnum()
                          and n.rsplit(".", 1)[1] not in ("json", "jsonl", "txt")], [], names)

    # ---- finding 14: --output is never an input ----

    def test_output_onto_an_input_is_refused(self):
        link = os.path.join(self.tmp, "hardlink.jsonl")
        os.link(self.inventory, link)
        symlink = os.path.join(self.tmp, "symlink.json")
        os.symlink(self.policy, symlink)
        cases = {
            "the INPUT": self.inventory,
            "the POLICY": self.policy,
            "the --domains map": self.domains,
            "the INPUT by another name": os.path.join(self.tmp, ".", "inventory.jsonl"),
            "a hard link to the INPUT": link,
            "a symbolic link to the POLICY": symlink,
        }
        for what, output in cases.items():
            with self.subTest(what):
                self.write_inputs()  # in place: the links still point at them
                before = self.snapshot(self.policy, self.inventory, self.domains)
                r = run("report", self.policy, self.inventory, "--domains", self.domains,
                        "--output", output)
                line = self.assertFails(r, 2, output, "input")
                self.assertIn("overwrite", line)
                self.assertEqual(self.snapshot(self.policy, self.inventory, self.domains), before)
                self.assertNoLeftovers()

    def test_output_onto_standard_input_is_refused(self):
        with open(self.inventory, "rb") as stdin_file:
            before = self.snapshot(self.inventory)
            proc_args = ("report", self.policy, "-", "--output", self.inventory)
            proc = subprocess.run([CLI, *proc_args], stdin=stdin_file, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, timeout=60)
        self.assertEqual(proc.returncode, 2, proc)
        self.assertEqual(len(proc.stderr.splitlines()), 1, proc)
        self.assertIn(b"input", proc.stderr)
        self.assertEqual(self.snapshot(self.inventory), before)

    def test_a_new_output_file_is_written(self):
        out = os.path.join(self.tmp, "report.txt")
        r = run("report", self.policy, self.inventory, "--output", out)
        self.assertEqual((r.rc, r.out, r.err), (0, "", ""), r)
        with open(out) as f:
            self.assertIn(TAILSPIN, f.read())
        # and written again over itself: the output is not an input
        r = run("report", self.policy, self.inventory, "--output", out)
        self.assertEqual(r.rc, 0, r)

    def test_a_symbolic_link_output_keeps_the_link(self):
        real = self.write("real-report.txt", "old\n")
        link = os.path.join(self.tmp, "latest.txt")
        os.symlink(real, link)
        r = run("report", self.policy, self.inventory, "--output", link)
        self.assertEqual(r.rc, 0, r)
        self.assertTrue(os.path.islink(link))
        with open(real) as f:
            self.assertIn(TAILSPIN, f.read())
        self.assertNoLeftovers()

    def test_a_link_to_standard_output(self):
        """--output /dev/stdout, with a private link of the same kind: written
        to whatever standard output is (a file, a pipe), the link untouched."""
        if not os.path.exists("/proc/self/fd/1"):
            self.skipTest("no /proc/self/fd")
        link = os.path.join(self.tmp, "stdout")
        os.symlink("/proc/self/fd/1", link)
        args = [CLI, "report", self.policy, self.inventory, "--output", link]
        with open(os.path.join(self.tmp, "captured.txt"), "wb") as f:
            self.assertEqual(subprocess.run(args, stdout=f, timeout=60).returncode, 0)
        piped = subprocess.run(args, stdout=subprocess.PIPE, timeout=60)
        self.assertEqual(piped.returncode, 0)
        self.assertTrue(os.path.islink(link), "the link was replaced")
        with open(os.path.join(self.tmp, "captured.txt"), "rb") as f:
            self.assertEqual(f.read(), piped.stdout)
        self.assertIn(TAILSPIN.encode(), piped.stdout)
        self.assertNoLeftovers()

    # ---- finding 10: a write failure is one line with its cause ----

    def test_standard_output_full(self):
        commands = {
            "report": ("report", self.policy, self.inventory),
            "report json": ("report", self.policy, self.inventory, "--format", "json"),
            "diff": ("diff", self.policy, self.policy, self.inventory),
            "eval": ("eval", self.policy, "--creator", CONTOSO, "--target", FABRIKAM),
            "eval json": ("eval", self.policy, "--creator", CONTOSO, "--target", FABRIKAM, "--json"),
            "suggest": ("suggest", self.inventory, "--home", CONTOSO),
        }
        for what, args in commands.items():
            with self.subTest(what):
                with open("/dev/full", "wb") as full:
                    proc = subprocess.run([CLI, *args], stdout=full, stderr=subprocess.PIPE, timeout=60)
                err = proc.stderr.decode()
                self.assertEqual(proc.returncode, 3, err)
                self.assertEqual(len(err.splitlines()), 1, err)
                self.assertIn("standard output", err)
                self.assertIn("No space left on device", err)

    def test_output_to_a_full_device(self):
        device = full_device(self.tmp)
        r = run("report", self.policy, self.inventory, "--output", device)
        line = self.assertFails(r, 3, device, "No space left on device")
        self.assertNotIn("\n", line)
        self.assertTrue(stat.S_ISCHR(os.stat(device).st_mode), "the device was replaced")
        self.assertNoLeftovers()

    def test_output_file_that_cannot_grow(self):
        """A file that cannot take the report (here RLIMIT_FSIZE, as a full disk
        would): one line with the cause, the old file untouched, no temporary
        file left."""
        out = self.write("report.txt", "the previous report\n")

        def limit():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (512, 512))

        proc = subprocess.run([CLI, "report", self.policy, self.inventory, "--output", out],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=limit,
                              timeout=60)
        err = proc.stderr.decode()
        self.assertEqual(proc.returncode, 3, err)
        self.assertEqual(len(err.splitlines()), 1, err)
        self.assertIn(out, err)
        self.assertIn(os.strerror(27), err)  # EFBIG: "File too large"
        with open(out) as f:
            self.assertEqual(f.read(), "the previous report\n")
        self.assertNoLeftovers()


if __name__ == "__main__":
    unittest.main()
