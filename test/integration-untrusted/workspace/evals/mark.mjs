// Stands in for an MCP server of the untrusted workspace: it must never be started there. Started,
// it leaves the marker named by its argument in the workspace folder and exits.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { argv } from 'node:process';

writeFileSync(join(import.meta.dirname, '..', argv[2]), 'started\n');
