# Sourced by bin/up and bin/test: make .venv and install Sentra into it (again only when pyproject.toml changed).
# Set install_extra=test before sourcing to install the test dependencies too. (Not a positional
# argument: a sourced script sees its caller's arguments when given none.)
set -euo pipefail
extra="${install_extra:-}"
python="${PYTHON:-python3}"
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "Sentra needs Python 3.11 or newer as '$python' (set PYTHON=/path/to/python3.11 to choose another)." >&2
    exit 1
fi
if [ ! -x .venv/bin/python ]; then
    if ! "$python" -m venv .venv 2>/dev/null; then
        rm -rf .venv
        echo "Cannot create a virtual environment: install your distribution's venv package (Debian/Ubuntu: apt-get install python3-venv)." >&2
        exit 1
    fi
    .venv/bin/python -m pip install --quiet --upgrade pip
fi
spec="."
[ -n "$extra" ] && spec=".[$extra]"
stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)-${extra:-base}"
if [ ! -f "$stamp" ]; then
    echo "Installing Sentra ${extra:+with $extra dependencies }into .venv ..."
    .venv/bin/python -m pip install --quiet --editable "$spec"
    touch "$stamp"
fi
