import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Marks a folder as the demo's own, which makes it safe to wipe. */
export const demoMarkerFile = '.bulwark-demo';

/** The demo's folder cannot be used: it holds something else. */
export class DemoDirectoryError extends Error {
  override name = 'DemoDirectoryError';
}

/**
 * Empties the demo's data folder for a fresh run, creating it if needed. Only a folder the demo made
 * (it holds the marker file) or an empty one is wiped: pointing `--data` at a folder of your own by
 * mistake is refused rather than erased. Returns the absolute path.
 */
export const prepareDemoDirectory = (path: string): string => {
  const directory = resolve(path);
  if (existsSync(directory)) {
    if (!statSync(directory).isDirectory()) throw new DemoDirectoryError(`${directory} is not a folder`);
    const entries = readdirSync(directory);
    if (entries.length > 0 && !entries.includes(demoMarkerFile)) {
      throw new DemoDirectoryError(`${directory} is not empty and was not made by \`bulwark demo\` (no ${demoMarkerFile} file): refusing to wipe it; pass --data with a new or empty folder`);
    }
    for (const entry of entries) rmSync(join(directory, entry), { recursive: true, force: true });
  }
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, demoMarkerFile), 'This folder is wiped by every `bulwark demo` run.\n');
  return directory;
};
