#!/usr/bin/env bash
# Creates (once) a Python virtual environment with the reference implementations Plenum is
# compared against, and prints its python. Tests find it through PLENUM_REF_PYTHON.
#   pabulib-checker 1.0.8  the Pabulib format checker (the writer's output must pass it)
# Usage: export PLENUM_REF_PYTHON=$(scripts/reference-python.sh)
set -euo pipefail
venv=${PLENUM_REF_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/plenum-reference-venv}
if [[ ! -x $venv/bin/python ]] || ! "$venv/bin/python" -c 'import pabulib' 2>/dev/null; then
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check pabulib-checker==1.0.8 >&2
fi
echo "$venv/bin/python"
