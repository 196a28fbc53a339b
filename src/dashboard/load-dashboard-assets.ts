import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative, sep } from 'node:path';
import { transformSync } from 'amaro';

/** One file of the dashboard as the server sends it. */
export interface DashboardAsset {
  contentType: string;
  body: Buffer;
  /** A strong validator (quoted, as the ETag header carries it) derived from the body. */
  etag: string;
}

/** URL path → asset: `/dashboard/` for the page, `/dashboard/assets/<path>` for everything else. */
export type DashboardAssets = ReadonlyMap<string, DashboardAsset>;

export const dashboardPagePath = '/dashboard/';
export const dashboardAssetPrefix = '/dashboard/assets/';
export const chartVendorPath = `${dashboardAssetPrefix}vendor/chart.umd.min.js`;

/**
 * The policy for every dashboard response. Scripts, styles and data come only from the gateway itself
 * (the page has no inline script or style attribute; charts size their canvas through the CSSOM, which
 * `style-src` does not restrict), and no other site may frame the page or receive its forms.
 */
export const dashboardContentSecurityPolicy =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

const clientDirectory = join(import.meta.dirname, 'client');

/** TypeScript is served as JavaScript, so `.ts` maps to the JavaScript type after stripping. */
const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ts': 'text/javascript; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

const listFiles = async (directory: string): Promise<string[]> => {
  const entries = await readdir(directory, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name)).toSorted();
};

const toAsset = (contentType: string, body: Buffer): DashboardAsset => ({
  contentType,
  body,
  etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
});

/**
 * Strips the types from a client module (positions are kept, so browser errors point at the right
 * line of the `.ts` file). `strip-only` refuses syntax that needs a transform (enums, namespaces),
 * which the project's `erasableSyntaxOnly` already rules out.
 */
const stripTypes = (source: string, file: string): string => {
  try {
    return transformSync(source, { mode: 'strip-only' }).code;
  } catch (error) {
    throw new Error(`dashboard: cannot strip types from ${file}`, { cause: error });
  }
};

/**
 * Chart.js's UMD build. Resolved through the package (from this module, not the working directory);
 * the trailing source-map comment is dropped because the map is not served.
 */
const readChartVendor = async (): Promise<Buffer> => {
  const entry = createRequire(import.meta.url).resolve('chart.js');
  const source = await readFile(join(dirname(entry), 'chart.umd.min.js'), 'utf8');
  return Buffer.from(source.replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, '\n'));
};

/**
 * Reads the dashboard's client files into memory once, at start-up: the page, its stylesheet, its
 * modules (types stripped) and the chart library. Tests (`*.test.ts`) are never served.
 */
export const loadDashboardAssets = async (): Promise<DashboardAssets> => {
  const assets = new Map<string, DashboardAsset>();
  for (const file of await listFiles(clientDirectory)) {
    const path = relative(clientDirectory, file).split(sep).join('/');
    const extension = extname(path);
    const contentType = contentTypes[extension];
    if (contentType === undefined || path.endsWith('.test.ts')) continue;
    const source = await readFile(file);
    const body = extension === '.ts' ? Buffer.from(stripTypes(source.toString('utf8'), path)) : source;
    assets.set(path === 'index.html' ? dashboardPagePath : `${dashboardAssetPrefix}${path}`, toAsset(contentType, body));
  }
  assets.set(chartVendorPath, toAsset(contentTypes['.js'] ?? 'text/javascript; charset=utf-8', await readChartVendor()));
  return assets;
};
