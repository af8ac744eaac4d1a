#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to the console on the demo district:
# installs what is missing, builds, creates the demo store and starts the console with
# simulated field terminals.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${GD_BUILD_DIR:-$root/build}

bash "$root/scripts/install-deps.sh"
bash "$root/scripts/build.sh"

console=("$build/src/apps/griddispatch/griddispatch" --demo "$@")
if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
  shot="$build/demo-screenshot.png"
  echo "demo: no display found; running the console under Xvfb and saving a screenshot to $shot"
  exec xvfb-run -a -s "-screen 0 1600x900x24" "${console[@]}" --screenshot "$shot"
fi
exec "${console[@]}"
