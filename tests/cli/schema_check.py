"""Validation of the CI formats against the schemas in data/schemas, with no
network: xmllint (Debian's libxml2-utils) for the JUnit XSD, the jsonschema
module (Debian's python3-jsonschema) for the SARIF JSON schema. Both are
installed by .ci/install-deps.sh; a missing validator fails the test."""

import json
import os
import shutil
import subprocess
import sys
import tempfile

SCHEMAS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "schemas")
JUNIT_XSD = os.path.join(SCHEMAS, "junit.xsd")
SARIF_SCHEMA = os.path.join(SCHEMAS, "sarif-2.1.0-subset.schema.json")

# Runs in whichever interpreter has jsonschema: this one, or Debian's.
_VALIDATE = r"""
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1], encoding="utf-8"))
doc = json.load(open(sys.argv[2], encoding="utf-8"))
jsonschema.Draft7Validator.check_schema(schema)
validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
errors = ["%s: %s" % ("/".join(map(str, e.absolute_path)), e.message) for e in validator.iter_errors(doc)]
print("\n".join(errors))
sys.exit(1 if errors else 0)
"""


def _python_with_jsonschema():
    for python in (sys.executable, "/usr/bin/python3"):
        if python and os.path.exists(python) and subprocess.run(
                [python, "-c", "import jsonschema"], capture_output=True).returncode == 0:
            return python
    raise AssertionError("no Python with the jsonschema module: run .ci/install-deps.sh "
                         "(it installs python3-jsonschema)")


def xsd_errors(xml_path, xsd=JUNIT_XSD):
    """None if the file is valid under the XSD, else xmllint's complaint."""
    xmllint = shutil.which("xmllint")
    if xmllint is None:
        raise AssertionError("xmllint is missing: run .ci/install-deps.sh (it installs libxml2-utils)")
    p = subprocess.run([xmllint, "--noout", "--nonet", "--schema", xsd, xml_path],
                       capture_output=True, text=True)
    return None if p.returncode == 0 else p.stderr


def json_schema_errors(doc, schema=SARIF_SCHEMA):
    """None if `doc` is valid under the JSON schema, else the violations."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        json.dump(doc, f)
    try:
        p = subprocess.run([_python_with_jsonschema(), "-c", _VALIDATE, schema, f.name],
                           capture_output=True, text=True)
    finally:
        os.unlink(f.name)
    if p.returncode == 0:
        return None
    return p.stdout + p.stderr
