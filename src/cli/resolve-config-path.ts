import { copyFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';

const examplePath = new URL('../../bulwark.example.yaml', import.meta.url);

/**
 * The config file to use: `--config`, else `BULWARK_CONFIG`, else `./bulwark.yaml`. On a fresh clone
 * the default file does not exist yet; it is created from the documented example, so `npm start`
 * works with no set-up.
 */
export const resolveConfigPath = (flag: string | undefined, log: (message: string) => void = console.error): string => {
  const explicit = flag ?? process.env['BULWARK_CONFIG'];
  if (explicit !== undefined) return resolve(explicit);
  const path = resolve('bulwark.yaml');
  if (!existsSync(path)) {
    copyFileSync(examplePath, path);
    log(`created ${path} from bulwark.example.yaml`);
  }
  return path;
};
