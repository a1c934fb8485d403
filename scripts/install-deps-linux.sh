#!/usr/bin/env bash
# Installs the Debian/Ubuntu system packages Confab needs to build, run and test.
# Idempotent: does nothing when everything is already present.
set -euo pipefail

packages=(
  libwebkit2gtk-4.1-dev build-essential curl wget file libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev libgtk-3-dev pkg-config libdbus-1-dev
  xvfb xauth webkit2gtk-driver dbus dbus-x11 gnome-keyring libsecret-tools imagemagick
  chromium fonts-noto-color-emoji fonts-noto-cjk xdotool
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null; then
  echo "Missing system packages: ${missing[*]} (install them with your package manager)" >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "Installing system packages: ${missing[*]}"
$sudo apt-get update -qq
# The empty Post-Invoke keeps docker-clean hooks from deleting .deb files mid-install.
DEBIAN_FRONTEND=noninteractive $sudo apt-get -o 'DPkg::Post-Invoke::=' install -y -qq \
  --no-install-recommends "${missing[@]}"
