# shellcheck shell=bash
# Puts Node >= 22.17 and pnpm 10 first on PATH, installing them with npm into $PARLEY_TOOLS when
# the machine's own are missing or too old. Meant to be sourced (by .ci/run, or by hand:
# `source scripts/toolchain.sh`); safe to source again; prints nothing when nothing is needed.
# Works under `set -euo pipefail`.

PARLEY_TOOLS="${PARLEY_TOOLS:-${HOME:-/tmp}/.cache/parley-tools}"
PARLEY_NODE_VERSION="${PARLEY_NODE_VERSION:-22.23.3}"
PARLEY_NODE_MIN="22.17.0"
PARLEY_PNPM_VERSION="${PARLEY_PNPM_VERSION:-10.34.8}"
export PARLEY_TOOLS

# True when version $1 >= version $2 (both x.y.z, an optional leading v is ignored).
_parley_version_ge() {
  local a="${1#v}" b="${2#v}"
  [ "$(printf '%s\n%s\n' "$b" "$a" | sort -V | head -n 1)" = "$b" ]
}

# Puts directory $1 first on PATH (moving it there when it is already on PATH).
_parley_prepend_path() {
  local dir="$1" entry rest=""
  local -a entries=()
  IFS=: read -r -a entries <<<"${PATH:-}"
  for entry in "${entries[@]}"; do
    [ "$entry" = "$dir" ] || rest="${rest:+$rest:}$entry"
  done
  PATH="$dir${rest:+:$rest}"
  export PATH
}

_parley_node_ok() {
  local version
  version="$(node -v 2>/dev/null)" || return 1
  _parley_version_ge "$version" "$PARLEY_NODE_MIN"
}

_parley_pnpm_ok() {
  local version
  version="$(pnpm --version 2>/dev/null)" || return 1
  case "$version" in 10.*) return 0 ;; *) return 1 ;; esac
}

_parley_npm_install() {
  if ! command -v npm >/dev/null 2>&1; then
    echo "toolchain: npm is not on PATH; install Node.js ${PARLEY_NODE_MIN}+ (with npm) first" >&2
    return 1
  fi
  mkdir -p "$PARLEY_TOOLS"
  npm install --prefix "$PARLEY_TOOLS" --save-exact --no-audit --no-fund --loglevel=error "$@" </dev/null >&2
}

parley_toolchain() {
  local bin="$PARLEY_TOOLS/node_modules/.bin"

  # A toolchain installed by an earlier run: reuse it without asking npm.
  if [ -d "$bin" ]; then
    if ! _parley_node_ok && [ -x "$bin/node" ]; then _parley_prepend_path "$bin"; fi
    if ! _parley_pnpm_ok && [ -x "$bin/pnpm" ]; then _parley_prepend_path "$bin"; fi
  fi

  if ! _parley_node_ok; then
    echo "toolchain: node $(node -v 2>/dev/null || echo 'missing') is older than ${PARLEY_NODE_MIN}; installing node@${PARLEY_NODE_VERSION} into ${PARLEY_TOOLS}" >&2
    _parley_npm_install "node@${PARLEY_NODE_VERSION}" || return 1
    _parley_prepend_path "$bin"
    hash -r
    if ! _parley_node_ok; then
      echo "toolchain: node is still $(node -v 2>/dev/null || echo 'missing') after installing node@${PARLEY_NODE_VERSION}" >&2
      return 1
    fi
  fi

  if ! _parley_pnpm_ok; then
    echo "toolchain: pnpm $(pnpm --version 2>/dev/null || echo 'missing') is not 10.x; installing pnpm@${PARLEY_PNPM_VERSION} into ${PARLEY_TOOLS}" >&2
    _parley_npm_install "pnpm@${PARLEY_PNPM_VERSION}" || return 1
    _parley_prepend_path "$bin"
    hash -r
    if ! _parley_pnpm_ok; then
      echo "toolchain: pnpm is still $(pnpm --version 2>/dev/null || echo 'missing') after installing pnpm@${PARLEY_PNPM_VERSION}" >&2
      return 1
    fi
  fi
}

parley_toolchain
