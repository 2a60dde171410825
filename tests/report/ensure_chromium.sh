#!/usr/bin/env bash
# Prints the path of a headless-capable Chromium, installing Debian's
# `chromium` package first when none is present (as root, with apt-get).
# Exit status 0 with the path on stdout, or 1 with the reason on stderr.
set -u
find_chromium() {
  for name in chromium chromium-browser google-chrome; do
    if command -v "$name" >/dev/null 2>&1; then
      command -v "$name"
      return 0
    fi
  done
  return 1
}

if find_chromium; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure_chromium: chromium is missing and cannot be installed here (need root and apt-get)" >&2
  exit 1
fi
echo "ensure_chromium: installing Debian's chromium package" >&2
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium; } >&2; then
  echo "ensure_chromium: apt-get could not install chromium" >&2
  exit 1
fi
find_chromium || { echo "ensure_chromium: chromium installed but not found on PATH" >&2; exit 1; }
