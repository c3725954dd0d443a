#!/usr/bin/env bash
# Installs what juesuan needs on Debian 12 (apt-get), skipping packages already present. The OCR
# models are Debian's tesseract-ocr-chi-sim / -eng / -osd packages below; nothing is downloaded
# from elsewhere (see README "OCR models" for why these models).
set -euo pipefail
PKGS=(build-essential cmake pkg-config libpoppler-cpp-dev libtesseract-dev libleptonica-dev
      tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-eng tesseract-ocr-osd
      libopencv-dev libtbb-dev nlohmann-json3-dev libgtest-dev poppler-utils qpdf python3
      python3-jsonschema python3-yaml
      libsqlite3-dev sqlite3  # --sqlite; the sqlite3 shell runs the README's example queries
      fonts-wqy-zenhei)  # the font only makes --debug-dir images show Chinese
. "$(dirname "$0")/lib/apt.sh"
apt_ensure setup "${PKGS[@]}"
