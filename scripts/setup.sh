#!/usr/bin/env bash
# Installs what juesuan needs on Debian 12 (apt-get), skipping packages already present,
# and fetches the OCR model chosen by measurement (see README "OCR models").
set -euo pipefail
PKGS=(build-essential cmake pkg-config libpoppler-cpp-dev libtesseract-dev libleptonica-dev
      tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-eng tesseract-ocr-osd
      libopencv-dev libtbb-dev nlohmann-json3-dev libgtest-dev poppler-utils qpdf python3
      fonts-wqy-zenhei)  # the font only makes --debug-dir images show Chinese
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
