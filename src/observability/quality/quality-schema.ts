import { z } from 'zod';
import { Secret } from '../../core/secret.ts';

/**
 * Regression detection (docs/quality.md): every `intervalMinutes`, and once at start, each route's
 * mean quality score over the last `windowDays` is compared with the `windowDays` before; a drop of
 * `dropThreshold` or more, with at least `minSamples` scored requests in both windows, raises an alert
 * (log, dashboard, webhook). It resolves once the drop is under half the threshold. Takes effect on restart.
 */
const regressionSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    /** The drop that raises an alert, as a fraction of the previous window's score (0.1 = 10%). */
    dropThreshold: z.number().gt(0).max(1).default(0.1),
    windowDays: z.int().min(1).max(90).default(7),
    /** Scored requests each window needs before its mean is trusted. */
    minSamples: z.int().min(1).default(30),
    intervalMinutes: z.number().min(1).max(1440).default(15),
    /**
     * Receives each raised alert as a JSON POST. A credential: chat webhooks carry their token in the
     * URL, so it is wrapped (prints as `[redacted]`) and never logged; use `${ENV}`.
     */
    webhookUrl: z
      .url({ protocol: /^https?$/ })
      .optional()
      .transform((value) => (value === undefined ? undefined : new Secret(value))),
    /** Time allowed for one webhook delivery try. */
    webhookTimeoutMs: z.int().positive().max(60_000).default(5_000),
  })
  .prefault({});

/** The top-level `quality:` section of the config. */
export const qualitySchema = z.strictObject({ regression: regressionSchema }).prefault({});

export type QualityConfig = z.output<typeof qualitySchema>;
export type QualityRegressionSettings = QualityConfig['regression'];
