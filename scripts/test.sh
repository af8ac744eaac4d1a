#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to the whole test suite, headless:
# installs what is missing, builds, and runs every test through ctest.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${GD_BUILD_DIR:-$root/build}

bash "$root/scripts/install-deps.sh"
bash "$root/scripts/build.sh"

export QT_QPA_PLATFORM=offscreen
cd "$build"
ctest --output-on-failure --timeout 300 -j "${GD_TEST_JOBS:-2}"
