#!/usr/bin/env node
// The package's command. npm puts the project's Node 24 (the `node` devDependency) first on PATH for
// `npx bulwark` and npm scripts, and Node 24 runs the TypeScript sources directly.
import { main } from '../src/cli/main.ts';

const code = await main(process.argv.slice(2));
if (code !== 0) process.exitCode = code;
