import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { demoMarkerFile, DemoDirectoryError, prepareDemoDirectory } from './prepare-demo-directory.ts';

const root = mkdtempSync(join(tmpdir(), 'bulwark-demo-directory-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('prepareDemoDirectory', () => {
  test('creates a missing folder, marked as the demo\'s', () => {
    const directory = prepareDemoDirectory(join(root, 'new', 'demo'));
    assert.deepEqual(readdirSync(directory), [demoMarkerFile]);
  });

  test('wipes a folder the demo made, nested folders included', () => {
    const directory = prepareDemoDirectory(join(root, 'again'));
    writeFileSync(join(directory, 'bulwark.db'), 'old');
    mkdirSync(join(directory, 'nested'));
    writeFileSync(join(directory, 'nested', 'file'), 'old');
    prepareDemoDirectory(directory);
    assert.deepEqual(readdirSync(directory), [demoMarkerFile]);
  });

  test('uses an empty folder', () => {
    const directory = join(root, 'empty');
    mkdirSync(directory);
    assert.deepEqual(readdirSync(prepareDemoDirectory(directory)), [demoMarkerFile]);
  });

  test('refuses to wipe a folder of someone else\'s, and leaves it as it was', () => {
    const directory = join(root, 'mine');
    mkdirSync(directory);
    writeFileSync(join(directory, 'thesis.tex'), 'precious');
    assert.throws(() => prepareDemoDirectory(directory), (error: unknown) => error instanceof DemoDirectoryError && /refusing to wipe/.test(error.message));
    assert.ok(existsSync(join(directory, 'thesis.tex')));
  });

  test('refuses a path that is a file', () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    assert.throws(() => prepareDemoDirectory(file), DemoDirectoryError);
  });
});
