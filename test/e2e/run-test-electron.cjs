// The standard @vscode/test-electron entry point, pointed at code-server through
// test/e2e/code-shim.sh instead of a downloaded Electron VS Code (no download is possible offline).
const path = require('path');
const { runTests } = require('@vscode/test-electron');

const root = path.resolve(__dirname, '..', '..');
runTests({
  vscodeExecutablePath: path.join(root, 'test/e2e/code-shim.sh'),
  extensionDevelopmentPath: root,
  extensionTestsPath: path.join(root, 'dist/test/integration/index.js'),
}).then(
  (code) => process.exit(code),
  (err) => {
    console.error(String(err));
    process.exit(1);
  },
);
