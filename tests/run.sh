#!/usr/bin/env bash
# The test command (README): install what the tests need (pip packages, Debian's chromium,
# LibreOffice Writer, poppler-utils and PostgreSQL), check lint and types, then run the
# whole suite with the network cut (only loopback), so nothing can quietly download a model or
# reach a server. The tests start their own servers (chroma run, streamlit run, a throw-away
# PostgreSQL cluster) on 127.0.0.1.
# Arguments go to pytest, e.g. `bash tests/run.sh -m "not model and not browser"`.
set -euo pipefail
cd "$(dirname "$0")/.."

python -m pip install -q -r requirements.txt -r tests/requirements.txt
python -m pip install -q --no-deps -e .   # the `rujukan` command

# Debian packages: chromium for the browser tests, LibreOffice Writer for the briefing pack's PDF,
# poppler-utils (pdftotext) to read the PDFs back, PostgreSQL's server binaries for the state stores.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing Debian's ${missing[*]} for the tests…"
    apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "The tests need Debian's ${missing[*]}: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi
export RUJUKAN_REQUIRE_BROWSER=1 RUJUKAN_REQUIRE_POSTGRES=1

bash tests/lint.sh

if [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
  exec unshare -n sh -c 'ip link set lo up && exec python -m pytest "$@"' sh "$@"
fi
echo "(cannot cut the network here; the tests' socket guard still refuses non-loopback connections)"
exec python -m pytest "$@"
