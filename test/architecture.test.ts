import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const sourceRoot = resolve(import.meta.dirname, '../src');

/**
 * Which top-level folders of src/ each folder may import from (itself always allowed). This is the
 * dependency rule of docs/architecture.md: core ← formats ← providers ← {resilience, stages, …} ←
 * gateway ← server ← app ← cli. The framework (fastify) stays in server/.
 */
const allowed: Record<string, readonly string[]> = {
  core: [],
  formats: ['core'],
  config: ['core', 'formats', 'cost', 'providers', 'routing', 'resilience', 'stages', 'stores', 'observability'],
  cost: ['core'],
  stores: ['core'],
  providers: ['core', 'formats'],
  simulator: ['core', 'formats'],
  routing: ['core', 'providers'],
  resilience: ['core', 'providers', 'routing', 'stores'],
  observability: ['core', 'stores'],
  stages: ['core', 'stores'],
  gateway: ['core', 'formats', 'config', 'cost', 'providers', 'routing', 'resilience', 'observability', 'stages', 'stores'],
  dashboard: ['core', 'cost', 'observability', 'stores'],
  server: ['core', 'formats', 'config', 'dashboard', 'gateway', 'routing', 'stages', 'stores'],
  app: ['core', 'config', 'cost', 'dashboard', 'gateway', 'observability', 'server', 'stores'],
  demo: ['core', 'config', 'cost', 'app', 'observability', 'simulator', 'stores'],
  cli: ['core', 'config', 'app', 'demo', 'observability', 'server', 'simulator', 'stores'],
};

const sourceFiles = (directory: string): string[] =>
  readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === '__fixtures__' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });

const importPattern = /^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/gm;

test('every module imports only from the layers beneath it', () => {
  const violations: string[] = [];
  for (const file of sourceFiles(sourceRoot)) {
    const layer = relative(sourceRoot, file).split('/')[0] ?? '';
    const permitted = allowed[layer];
    if (permitted === undefined) {
      violations.push(`${relative(sourceRoot, file)}: folder "${layer}" has no rule in test/architecture.test.ts`);
      continue;
    }
    for (const match of readFileSync(file, 'utf8').matchAll(importPattern)) {
      const specifier = match[1] ?? match[2] ?? match[3] ?? '';
      if (specifier === 'fastify' && layer !== 'server') violations.push(`${relative(sourceRoot, file)} imports fastify outside server/`);
      if (!specifier.startsWith('.')) continue;
      const target = relative(sourceRoot, resolve(dirname(file), specifier)).split('/')[0] ?? '';
      if (target === '..') continue; // package.json and other files outside src/
      if (target !== layer && !permitted.includes(target)) violations.push(`${relative(sourceRoot, file)} → ${specifier} (${layer} may not import ${target})`);
    }
  }
  assert.deepEqual(violations, []);
});
