#!/usr/bin/env bash
# The two quick-start commands: `./tasks.sh run` sets up and opens the program, `./tasks.sh test`
# sets up and runs every check (lint, types, import contracts, tests). `./tasks.sh check` is the
# everyday quick version of test: the same checks and every test not marked slow (no builds, no
# installs, no real child processes), with fewer generated examples. All create .venv on first
# use and install the Debian/Ubuntu libraries the program needs when run as root (otherwise they
# print the exact install line). Set PYTHON to choose the interpreter (3.11 or newer).
set -euo pipefail
cd "$(dirname "$0")"

PYTHON=${PYTHON:-python3}
VENV=.venv

die() { printf 'error: %s\n' "$*" >&2; exit 2; }

check_python() {
    command -v "$PYTHON" >/dev/null 2>&1 || die "$PYTHON not found; install Python 3.11 or newer (Debian/Ubuntu: apt-get install python3 python3-venv)"
    "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
        || die "$("$PYTHON" --version 2>&1) is too old; safetycheck needs Python 3.11 or newer (set PYTHON=python3.11)"
}

# Installs the named Debian packages that are missing, as root; otherwise prints the command.
system_packages() {
    command -v dpkg-query >/dev/null 2>&1 || return 0   # not Debian/Ubuntu: nothing we can check
    local missing=()
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "Installing system packages: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        die "missing system packages; install them with: sudo apt-get install -y ${missing[*]}"
    fi
}

# What Qt needs to draw a window (xcb for a desktop session), fonts, and venv support.
RUNTIME_PACKAGES=(libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libfreetype6
    fonts-dejavu-core libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
    libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libx11-xcb1)
# What the tests need besides: PDF pages to PNG for looking at reports, a system font (to test
# the fontconfig fallback for characters no bundled font has), validators for the Linux desktop files, and a
# PostgreSQL
# server for the storage tests (started privately on loopback for the run, then stopped).
TEST_PACKAGES=(poppler-utils postgresql fonts-dejavu-extra desktop-file-utils appstream)

venv_packages() {
    if ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
        system_packages python3-venv
    fi
}

# Creates .venv and installs the project into it (once, and again when pyproject.toml changes).
# pip's output goes to a log; on failure its last lines are shown, with the log's name.
setup_venv() {
    local extras=$1 stamp="$VENV/.installed-$1" log="$VENV/install.log"
    if [ -x "$VENV/bin/python" ] && [ -f "$stamp" ] && [ ! pyproject.toml -nt "$stamp" ]; then
        return 0
    fi
    if compgen -G "$VENV/.installed-*" >/dev/null; then
        echo "Updating safetycheck's environment in $VENV — this takes about half a minute…"
    else
        echo "Setting up safetycheck — the first start takes about half a minute…"
    fi
    if [ ! -x "$VENV/bin/python" ]; then
        "$PYTHON" -m venv "$VENV" || die "could not create $VENV with $PYTHON"
    fi
    if ! { "$VENV/bin/python" -m pip install --progress-bar off --upgrade pip \
            && "$VENV/bin/python" -m pip install --progress-bar off -e ".$extras"; } >"$log" 2>&1
    then
        echo "error: installing safetycheck into $VENV failed; the whole log is $log. It ends:" >&2
        tail -n 25 "$log" | sed 's/^/    /' >&2
        exit 1
    fi
    touch "$stamp"
}

# Starts a throwaway PostgreSQL cluster on 127.0.0.1 for the tests, unless one is given in
# SAFETYCHECK_TEST_PG_URL. It is stopped and deleted when the script exits.
start_test_postgres() {
    [ -n "${SAFETYCHECK_TEST_PG_URL:-}" ] && return 0
    local bin
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
        echo "PostgreSQL is not installed: the PostgreSQL storage tests will not run" \
             "(sudo apt-get install -y postgresql)" >&2
        return 0
    fi
    PG_DIR=$(mktemp -d /tmp/safetycheck-pg.XXXXXX)
    local as=()
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres: "$PG_DIR"
        as=(runuser -u postgres --)
    fi
    local port
    port=$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "${as[@]}" "$bin/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 \
        || { echo "initdb failed; see $PG_DIR/initdb.log" >&2; return 0; }
    "${as[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_DIR -c fsync=off" start >/dev/null \
        || { echo "PostgreSQL did not start; see $PG_DIR/server.log" >&2; return 0; }
    PG_STOP=("${as[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -m fast stop)
    trap stop_test_postgres EXIT
    export SAFETYCHECK_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
    echo "PostgreSQL for the tests: 127.0.0.1:$port"
}

stop_test_postgres() {
    "${PG_STOP[@]}" >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
}

case "${1:-}" in
    run)
        shift
        check_python
        venv_packages
        system_packages "${RUNTIME_PACKAGES[@]}"
        setup_venv ""
        exec "$VENV/bin/safetycheck" "$@"
        ;;
    test | check)
        # test: everything, as CI runs it (.ci/run). check: the same without the tests marked
        # slow, and the property tests with fewer examples (tests/conftest.py has the profiles).
        command=$1
        shift
        check_python
        venv_packages
        system_packages "${RUNTIME_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
        setup_venv "[test]"
        export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
        start_test_postgres
        echo "== ruff"; "$VENV/bin/ruff" check .
        echo "== mypy"; "$VENV/bin/mypy" safetycheck ui tests
        echo "== import contracts"; "$VENV/bin/lint-imports"
        if [ "$command" = test ]; then
            export HYPOTHESIS_PROFILE=${HYPOTHESIS_PROFILE:-ci}
            # Two workers here too (each has a PostgreSQL database of its own: tests/support.py):
            # one worker took 13 of CI's 15 minutes.
            echo "== pytest"; "$VENV/bin/python" -m pytest -n 2 "$@"
        else
            export HYPOTHESIS_PROFILE=${HYPOTHESIS_PROFILE:-dev}
            # Two workers (pytest-xdist): this machine kind has two cores.
            echo "== pytest (not slow)"; "$VENV/bin/python" -m pytest -m "not slow" -n 2 "$@"
        fi
        ;;
    package)
        # A one-folder desktop build in dist/safetycheck, then its smoke test.
        shift
        check_python
        venv_packages
        system_packages "${RUNTIME_PACKAGES[@]}"
        setup_venv "[package]"
        "$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN \
            --distpath dist --workpath build/pyinstaller packaging/safetycheck.spec
        echo "== smoke test of dist/safetycheck"
        QT_QPA_PLATFORM=offscreen dist/safetycheck/safetycheck --db "sqlite:///$PWD/build/smoke.sqlite3" gui --smoke
        dist/safetycheck/safetycheck checklist -o build/smoke-checklist.pdf
        echo "built dist/safetycheck ($(du -sh dist/safetycheck | cut -f1)); checklist written to build/smoke-checklist.pdf"
        ;;
    *)
        echo "usage: ./tasks.sh run [program arguments] | ./tasks.sh test [pytest arguments]" \
             "| ./tasks.sh check [pytest arguments] | ./tasks.sh package" >&2
        exit 2
        ;;
esac
