import pino, { type Logger } from 'pino';

/**
 * The process logger (pino, JSON lines on stdout). Header and credential fields are censored by path
 * as a second line of defence: code never logs request bodies or caller headers in the first place.
 */
export const createLogger = (level: string, destination?: pino.DestinationStream): Logger =>
  pino(
    {
      level,
      base: { service: 'bulwark', pid: process.pid },
      redact: {
        paths: ['headers.authorization', 'headers["x-api-key"]', 'headers["api-key"]', '*.apiKey', '*.secretAccessKey', 'key', 'secret', 'token'],
        censor: '[redacted]',
      },
    },
    destination,
  );

export type { Logger };
