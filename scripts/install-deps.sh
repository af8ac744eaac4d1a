#!/usr/bin/env bash
# Installs every Debian 12 package GridDispatch needs to build, test, run and package.
# Idempotent: when everything is present it only asks dpkg and returns within a second.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config dpkg-dev
  # Qt 5.15 (the Qt Debian 12's QGIS is built on): widgets, SVG, charts, linguist tools
  qtbase5-dev libqt5svg5-dev libqt5charts5-dev qttools5-dev qttools5-dev-tools qttranslations5-l10n
  # QGIS 3.22 core + gui development files, and the provider plugins (postgres, spatialite…)
  libqgis-dev qgis-providers
  # store, feed, domain
  libsqlite3-dev sqlite3 libboost-dev libssl-dev nlohmann-json3-dev libgdal-dev libgeos-dev gdal-bin
  # tests, screenshots, Chinese text
  libgtest-dev googletest xvfb xauth fonts-noto-cjk
  # walking the console as an operator: a window manager, keyboard/mouse and clipboard, screenshots
  openbox xdotool xclip imagemagick
  # the center's shared store (issue 16): PostgreSQL 15 + PostGIS 3 through libpq; the tests
  # start throwaway clusters of their own with initdb/pg_ctl
  postgresql-15 postgresql-15-postgis-3 libpq-dev
  # accounts (issue 17): Argon2id password hashes, TOTP second factor, its enrolment QR code
  libargon2-dev liboath-dev libqrencode-dev
  # fuzzing (-DGD_BUILD_FUZZ=ON): clang with libFuzzer and the sanitizer runtimes
  clang libclang-rt-14-dev
)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "installed" ]] || missing+=("$package")
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${#missing[@]} missing packages: ${missing[*]}"
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
