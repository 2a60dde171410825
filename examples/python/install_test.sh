#!/bin/sh
# python.package: installs this directory with pip into a fresh virtual
# environment (no index, no build isolation: setuptools as installed) and runs
# test_evaluate_many.py against the installed module, away from the sources.
# Usage: install_test.sh SOURCE_DIR SCRATCH_DIR [PYTHON]
set -eu
src=$1 scratch=$2 py=${3:-python3}
# The interpreter must have pip, setuptools and wheel (Debian: python3-pip,
# python3-setuptools, python3-wheel); else Debian's own.
if ! "$py" -c 'import pip, setuptools, wheel' 2>/dev/null; then
  echo "install_test: $py lacks pip, setuptools or wheel; using /usr/bin/python3" >&2
  py=/usr/bin/python3
fi
rm -rf "$scratch" && mkdir -p "$scratch/pkg" "$scratch/run"
# A copy, so the build leaves nothing in the source tree.
cp "$src/pyproject.toml" "$src/tenantiso.py" "$src/README.md" "$scratch/pkg/"
cp "$src/test_evaluate_many.py" "$src/README.md" "$scratch/run/"
"$py" -m venv --without-pip --system-site-packages "$scratch/venv"
"$scratch/venv/bin/python" -m pip install --quiet --no-build-isolation --no-index --no-deps "$scratch/pkg"
cd "$scratch/run"
TENANTISO_EXPECT_INSTALLED_IN="$scratch/venv" exec "$scratch/venv/bin/python" -m unittest -v test_evaluate_many
