#!/usr/bin/env bash
# Trace Replay's tests inside a REAL VS Code: code-server 4.100.3 (= VS Code 1.100.3 server + web
# workbench, on Node 20) from npm, driven by Debian's chromium. No Electron VS Code can be downloaded
# offline, so this is VS Code's server + web workbench, not the Electron desktop app.
#
#   bash test/e2e/run-all.sh            (npm run test:vscode)
#   RUN_ALL_SKIP_BUILD=1 ...            skip `npm run build` (when the caller just built)
#
# Stages (each prints "N passed, M failed"):
#   host-tests                mocha suite (dist/test/integration/index.js) in code-server's extension host
#   host-tests-test-electron  the same suite through @vscode/test-electron's runTests + test/e2e/code-shim.sh
#   ui                        playwright-core + chromium: activity bar, command palette, tree rows
#   ui-langfuse               the same with a fake Langfuse: switch source, span tree, replay with a prompt version
#   webview                   the panels' renderer in Chromium (reports + stubbed webview API)
#   vsix                      packs the .vsix, installs it into code-server, smoke-tests it
#   webview                   the panels' renderer in chromium
#   vsix                      `npm run package` (reusing this build), the .vsix installed into code-server
#                             (no extensionDevelopmentPath) and smoke-tested in chromium
# Last line: "vscode: N passed, M failed"; exit 0 only when every stage passed.
# System packages (chromium, ripgrep, libkrb5-dev, build tools) are installed by .ci/run, not here.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
VT="$ROOT/.vscode-test"
CODE_SERVER_VERSION=4.100.3
CS_DIR="$VT/cs"
mkdir -p "$VT/tmp" "$VT/logs"
export SHOTS_DIR="${SHOTS_DIR:-$VT/shots}"
T0=$(date +%s)
stamp() { echo "[vscode-tests +$(( $(date +%s) - T0 ))s] $*"; }

# ---------------------------------------------------------------- tools this needs
missing=()
command -v node     >/dev/null || missing+=("node (Node 20)")
command -v npm      >/dev/null || missing+=("npm")
command -v chromium >/dev/null || [ -n "${CHROMIUM_BIN:-}" ] || missing+=("chromium (apt: chromium)")
if [ ! -x "$CS_DIR/node_modules/.bin/code-server" ]; then
  # only needed to build code-server's native modules the first time
  command -v rg     >/dev/null || missing+=("rg (apt: ripgrep; stands in for @vscode/ripgrep's GitHub download)")
  [ -e /usr/include/gssapi/gssapi.h ] || missing+=("gssapi.h (apt: libkrb5-dev; for VS Code's kerberos module)")
  for t in g++ make python3 pkg-config; do command -v "$t" >/dev/null || missing+=("$t (apt: $t)"); done
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "run-all.sh: missing tools: ${missing[*]}" >&2
  echo "run-all.sh: run 'bash .ci/run' (installs them with apt-get) or install them yourself." >&2
  echo "vscode: 0 passed, 1 failed"
  exit 1
fi
[ -d node_modules/playwright-core ] || { echo "run-all.sh: node_modules missing; run 'npm ci' first." >&2; echo "vscode: 0 passed, 1 failed"; exit 1; }

# ---------------------------------------------------------------- code-server (pinned, into .vscode-test/cs)
cs_version() {
  XDG_CONFIG_HOME="$VT/tmp/xdg" XDG_DATA_HOME="$VT/tmp/xdg" "$CS_DIR/node_modules/.bin/code-server" --version 2>/dev/null | tail -1 | awk '{print $1}'
}
if [ "$(cs_version || true)" != "$CODE_SERVER_VERSION" ]; then
  stamp "installing code-server $CODE_SERVER_VERSION into $CS_DIR (first time: ~2 min, builds native modules)"
  rm -rf "$CS_DIR"; mkdir -p "$CS_DIR"
  cp test/e2e/code-server/package.json test/e2e/code-server/package-lock.json "$CS_DIR/"
  # lib/vscode pins @vscode/ripgrep 1.15.11, whose postinstall downloads ripgrep from api.github.com
  # unless $TMPDIR/vscode-ripgrep-cache-<ver>/<asset> exists: seed it with Debian's rg 13.0.0.
  rgc="$VT/tmp/vscode-ripgrep-cache-1.15.11"; mkdir -p "$rgc"
  rgtmp="$(mktemp -d)"; cp "$(command -v rg)" "$rgtmp/rg"
  tar czf "$rgc/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$rgtmp" rg; rm -rf "$rgtmp"
  # code-server's postinstall runs `npm install` in lib/vscode: as root it needs unsafe-perm;
  # node-pty's postinstall runs `npx node-gyp`, which aborts without npm_config_yes when ~/.npmrc
  # says yes=false; argon2/kerberos prebuild downloads fail offline and build from source instead.
  ( cd "$CS_DIR" && \
    TMPDIR="$VT/tmp" npm_config_unsafe_perm=true npm_config_yes=true \
    XDG_CONFIG_HOME="$VT/tmp/xdg" XDG_DATA_HOME="$VT/tmp/xdg" \
    npm ci --no-audit --no-fund --foreground-scripts > "$VT/logs/code-server-install.log" 2>&1 ) \
    || { tail -40 "$VT/logs/code-server-install.log"; echo "code-server install FAILED (log: $VT/logs/code-server-install.log)" >&2; echo "vscode: 0 passed, 1 failed"; exit 1; }
fi
[ "$(cs_version)" = "$CODE_SERVER_VERSION" ] || { echo "code-server $CODE_SERVER_VERSION is not runnable" >&2; echo "vscode: 0 passed, 1 failed"; exit 1; }
export CODE_SERVER_BIN="$CS_DIR/node_modules/.bin/code-server"
stamp "code-server $(cs_version) ready"
[ "${RUN_ALL_INSTALL_ONLY:-}" = 1 ] && exit 0

# ---------------------------------------------------------------- build
if [ "${RUN_ALL_SKIP_BUILD:-}" != 1 ]; then
  stamp "npm run build"
  npm run -s build
fi
[ -f dist/extension.js ] && [ -f dist/test/integration/index.js ] \
  || { echo "run-all.sh: dist/extension.js or dist/test/integration/index.js missing after the build" >&2; echo "vscode: 0 passed, 1 failed"; exit 1; }

tests_pass=0; tests_fail=0; stages_failed=()
run_stage() { # name cmd...   (output also saved to .vscode-test/logs/<name>.log)
  local name=$1; shift
  local s; s=$(date +%s)
  stamp "stage $name"
  set +e; "$@" 2>&1 | tee "$VT/logs/$name.log"; local rc=${PIPESTATUS[0]}; set -e
  local line; line=$(grep -Eo '[0-9]+ passed, [0-9]+ failed' "$VT/logs/$name.log" | tail -1 || true)
  if [ -n "$line" ]; then
    tests_pass=$((tests_pass + ${line%% passed*})); local f=${line##*, }; tests_fail=$((tests_fail + ${f%% failed}))
  fi
  if [ "$rc" != 0 ]; then stages_failed+=("$name"); [ -z "$line" ] && tests_fail=$((tests_fail + 1)); fi
  stamp "stage $name: ${line:-"(no counts)"} (rc=$rc, $(( $(date +%s) - s ))s)"
}

run_stage host-tests node test/e2e/run-host-tests.mjs
run_stage host-tests-test-electron node test/e2e/run-test-electron.cjs
run_stage ui node test/e2e/ui.mjs
run_stage ui-langfuse node test/e2e/ui-langfuse.mjs
# The panels' renderer in Chromium: deltas, diffs, XSS-as-text, keyboard, first render of 1,000 spans.
run_stage webview node test/e2e/webview-render.mjs
# The packaged extension as a user installs it: what .vscodeignore keeps must be enough to run.
# Packed into a folder of this run (not dist/) so that two runs at once do not swap each other's file.
vsix_dir=$(mktemp -d "$VT/tmp/vsix-XXXXXX")
run_stage vsix bash -c 'node scripts/package.cjs --skip-build --out "$1" && node test/e2e/vsix-smoke.mjs "$1"' _ "$vsix_dir/trace-replay.vsix"
rm -rf "$vsix_dir"

stamp "done; screenshots in $SHOTS_DIR, logs in $VT/logs"
[ ${#stages_failed[@]} -gt 0 ] && echo "FAILED stages: ${stages_failed[*]}"
echo "vscode: $tests_pass passed, $tests_fail failed"
[ ${#stages_failed[@]} -eq 0 ] && [ "$tests_fail" -eq 0 ]
