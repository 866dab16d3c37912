# Sourced by bin/up, bin/test and .ci/run: the Debian packages Sentra needs beyond Python — Pango and a
# font for WeasyPrint's PDFs (all of Sentra), plus what the caller adds in $system_packages (Chromium
# for the browser tests, gettext for the translation check). Installs them when run as root or with
# password-less sudo; otherwise says which are missing.
set -euo pipefail
wanted="libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core ${system_packages:-}"
missing=""
for pkg in $wanted; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo"; else sudo="none"; fi
    if [ "$sudo" = none ]; then
        echo "NOTE: Debian packages missing:$missing — install them with: sudo apt-get install$missing" >&2
    else
        echo "Installing Debian packages:$missing ..."
        ($sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q $missing) >/dev/null
    fi
fi
