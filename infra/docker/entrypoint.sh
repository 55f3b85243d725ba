#!/bin/sh
# Runs the workspace package named by PARLEY_SERVICE (e.g. @parley/users) as this container's main
# process. `pnpm --filter $PARLEY_SERVICE start` would keep pnpm in between, and pnpm dies on
# SIGTERM without waiting for the service, which cuts its graceful shutdown short; so the package
# is found with `pnpm --filter` and its start command (tsx src/main.ts, with the services' Node
# flags) is exec'd directly.
set -eu
: "${PARLEY_SERVICE:?set PARLEY_SERVICE to a workspace package, e.g. @parley/router}"
dir="$(pnpm --filter "$PARLEY_SERVICE" exec pwd 2>/dev/null | tail -n 1)"
if [ ! -f "$dir/package.json" ]; then
  echo "entrypoint: no workspace package named $PARLEY_SERVICE" >&2
  exit 64
fi
cd "$dir"
# The flags are SERVICE_NODE_FLAGS (packages/common/src/runtime/service-node-flags.ts).
exec node --experimental-async-context-frame --import tsx "${PARLEY_ENTRY:-src/main.ts}" "$@"
