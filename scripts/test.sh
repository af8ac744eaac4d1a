#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to the whole test suite, headless:
# installs what is missing, builds, and runs every test through ctest.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${GD_BUILD_DIR:-$root/build}

bash "$root/scripts/install-deps.sh"
bash "$root/scripts/build.sh"

# A short fuzz run of the field-frame decoder under ASan/UBSan (libFuzzer needs clang; the long
# run before a release is the same command with a larger GD_FUZZ_SECONDS). Before ctest, so
# that ctest's summary closes the output.
if command -v clang++ >/dev/null 2>&1; then
  fuzz=${GD_FUZZ_BUILD_DIR:-$root/build-fuzz}
  CC=clang CXX=clang++ cmake -S "$root" -B "$fuzz" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGD_BUILD_GUI=OFF \
    -DGD_BUILD_BENCH=OFF -DGD_BUILD_FUZZ=ON -DGD_WERROR=OFF > "$fuzz.configure.log"
  cmake --build "$fuzz" --target fieldframe_fuzz -j "${GD_JOBS:-$(nproc)}"
  corpus=$(mktemp -d)
  cp "$root"/tests/feed/fuzz/corpus/* "$corpus"/
  echo "fuzz: fieldframe_fuzz for ${GD_FUZZ_SECONDS:-30} s under ASan/UBSan"
  rc=0
  "$fuzz/tests/feed/fuzz/fieldframe_fuzz" "$corpus" -max_total_time="${GD_FUZZ_SECONDS:-30}" -max_len=4096 \
    -rss_limit_mb=1024 -print_final_stats=1 > "$fuzz.log" 2>&1 || rc=$?
  grep -E "^(Done|stat::number_of_executed_units|stat::peak_rss_mb)" "$fuzz.log" || true
  if [[ $rc -ne 0 ]]; then
    tail -60 "$fuzz.log"
    echo "fuzz: fieldframe_fuzz failed (exit $rc); the crashing input is in $root (crash-*)"
    exit 1
  fi
  rm -rf "$corpus"
fi

export QT_QPA_PLATFORM=offscreen
cd "$build"
ctest --output-on-failure --timeout 300 -j "${GD_TEST_JOBS:-2}"
