import type { RequestLogStore } from '../stores/contracts.ts';
import { generateHistory, type HistoryOptions } from './generate-history.ts';

export interface BackfillResult {
  requests: number;
  days: number;
  costUsd: number;
  elapsedMs: number;
}

/**
 * Writes synthesized history into the request log through the store's own `append`, in batches: the
 * daily roll-ups and quality aggregates are kept by the store's triggers, as for real traffic.
 */
export const backfillHistory = async (store: RequestLogStore, options: HistoryOptions & { batchSize?: number }): Promise<BackfillResult> => {
  const batchSize = options.batchSize ?? 5_000;
  const started = performance.now();
  let requests = 0;
  let costUsd = 0;
  let batch = [];
  for (const day of generateHistory(options)) {
    for (const record of day) {
      batch.push(record);
      costUsd += record.costUsd;
      if (batch.length >= batchSize) {
        await store.append(batch);
        requests += batch.length;
        batch = [];
      }
    }
  }
  if (batch.length > 0) await store.append(batch);
  requests += batch.length;
  return { requests, days: options.days, costUsd, elapsedMs: performance.now() - started };
};
