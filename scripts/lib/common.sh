# shellcheck shell=bash disable=SC2034
# Shared by scripts/run and scripts/test: locate Odoo 18.0, build the addons
# path, check PostgreSQL. Source it; it defines functions and a few variables.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ODOO_PYTHON="${ODOO_PYTHON:-python3}"
ST_HELPER="$REPO_ROOT/scripts/lib/odoo_db.py"
# odoo-bin sets TZ=UTC before anything else; `python3 -m odoo` does not.
export TZ=UTC

st_die() {
    local code="$1"
    shift
    printf '%s\n' "$@" >&2
    exit "$code"
}

# Sets ODOO_VERSION and ODOO_PKG_DIR, or exits 2 with a readable explanation.
st_find_odoo() {
    local out
    if ! command -v "$ODOO_PYTHON" >/dev/null 2>&1; then
        st_die 2 "error: $ODOO_PYTHON not found." \
            "Odoo 18.0 is not installed or not importable by $ODOO_PYTHON;" \
            "see README section 'Getting Odoo'."
    fi
    if ! out="$("$ODOO_PYTHON" -c '
import os, odoo.release
print(".".join(str(p) for p in odoo.release.version_info[:2]))
print(os.path.dirname(os.path.abspath(odoo.release.__file__)))
' 2>/dev/null)"; then
        st_die 2 "error: Odoo 18.0 is not installed or not importable by $ODOO_PYTHON" \
            "($(command -v "$ODOO_PYTHON") cannot 'import odoo')." \
            "Install Odoo 18.0 Community into that interpreter, or point ODOO_PYTHON at one" \
            "that has it; see README section 'Getting Odoo'."
    fi
    ODOO_VERSION="$(sed -n 1p <<<"$out")"
    ODOO_PKG_DIR="$(sed -n 2p <<<"$out")"
    if [[ "$ODOO_VERSION" != "18.0" ]]; then
        st_die 2 "error: found Odoo $ODOO_VERSION at $ODOO_PKG_DIR, but serial_tracking needs Odoo 18.0." \
            "Use an interpreter with Odoo 18.0 (ODOO_PYTHON=...); see README section 'Getting Odoo'."
    fi
}

# Sets ADDONS_PATH: Odoo's core addons + the repository root (which holds
# serial_tracking/). ODOO_ADDONS_PATH replaces the core part (e.g. to add OCA
# repositories); the repository root is appended when it is not in it.
st_addons_path() {
    local core
    if [[ -n "${ODOO_ADDONS_PATH:-}" ]]; then
        core="$ODOO_ADDONS_PATH"
    elif [[ -f "$ODOO_PKG_DIR/../addons/web/__manifest__.py" ]]; then
        # Source checkout / editable install: <checkout>/odoo and <checkout>/addons.
        core="$(cd "$ODOO_PKG_DIR/../addons" && pwd)"
    else
        # Debian package or wheel: core addons live in odoo/addons, which Odoo
        # always puts on its path by itself.
        core="$ODOO_PKG_DIR/addons"
    fi
    ADDONS_PATH="$core"
    local p found=0
    IFS=',' read -ra _parts <<<"$core"
    for p in "${_parts[@]}"; do
        if [[ -d "$p" && "$(cd "$p" && pwd)" == "$REPO_ROOT" ]]; then
            found=1
        fi
    done
    if [[ $found -eq 0 ]]; then
        ADDONS_PATH="$core,$REPO_ROOT"
    fi
}

# Runs Odoo's own command line with the interpreter that has Odoo 18.0.
st_odoo() {
    "$ODOO_PYTHON" -m odoo "$@"
}

# Helper around Odoo's config + psycopg2 (honours ~/.odoorc, --db_host, ...).
st_helper() {
    "$ODOO_PYTHON" "$ST_HELPER" "$@"
}

# Exits 3 with a readable explanation when PostgreSQL cannot be reached with
# the connection settings Odoo would use ("$@" = extra Odoo arguments).
st_check_postgres() {
    local rc=0
    st_helper check-postgres -- "$@" || rc=$?
    if [[ $rc -ne 0 ]]; then
        exit 3
    fi
}

# Sets ADDONS: the addons of this repository (folders with a __manifest__.py),
# comma-separated, core addon first; TEST_TAGS_ALL: Odoo --test-tags for all of them.
st_repo_addons() {
    local manifest names=()
    for manifest in "$REPO_ROOT"/*/__manifest__.py; do
        names+=("$(basename "$(dirname "$manifest")")")
    done
    ADDONS="$(IFS=,; echo "${names[*]}")"
    TEST_TAGS_ALL="$(printf '/%s,' "${names[@]}")"
    TEST_TAGS_ALL="${TEST_TAGS_ALL%,}"
}
