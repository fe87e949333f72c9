#!/bin/sh
# Stand-in for the VS Code executable, so the standard runner
#   require('@vscode/test-electron').runTests({ vscodeExecutablePath: '<repo>/test/e2e/code-shim.sh', ... })
# runs the suite in code-server's Node extension host instead of a downloaded Electron VS Code
# (which needs update.code.visualstudio.com). It receives --extensionDevelopmentPath=,
# --extensionTestsPath=, [folder], plus Electron-only flags (--no-sandbox, --disable-updates,
# --user-data-dir=...) that run-host-tests.mjs ignores.
here=$(cd "$(dirname "$0")" && pwd)
exec node "$here/run-host-tests.mjs" "$@"
