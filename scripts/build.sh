#!/usr/bin/env bash
# Configures and builds GridDispatch in build/ (or $GD_BUILD_DIR). Used by demo.sh and test.sh.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${GD_BUILD_DIR:-$root/build}
jobs=${GD_JOBS:-$(nproc)}

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=${GD_BUILD_TYPE:-RelWithDebInfo} "$@"
cmake --build "$build" -j "$jobs"
