import packageJson from '../../package.json' with { type: 'json' };

/** Sent upstream with every call, so providers (and their support) can tell Bulwark's traffic apart. */
export const userAgent = `bulwark/${packageJson.version}`;
