import type { IncomingHttpHeaders } from 'node:http';
import { faultHeader, isFaultName, type FaultName } from './fault-rule.ts';
import { latencyHeader, resolveLatency, type LatencySettings } from './latency-model.ts';
import { headerValue } from './send-response.ts';

export type RequestControls = { ok: true; latency: LatencySettings; fault?: FaultName } | { ok: false; message: string };

/** Reads the simulator's own request headers, `x-sim-latency` and `x-sim-fault`; a bad value is the caller's error. */
export const readRequestControls = (headers: IncomingHttpHeaders, defaults: LatencySettings): RequestControls => {
  let latency: LatencySettings;
  try {
    latency = resolveLatency(defaults, headerValue(headers, latencyHeader));
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : `${latencyHeader} is malformed` };
  }
  const fault = headerValue(headers, faultHeader)?.trim();
  if (fault === undefined || fault === '') return { ok: true, latency };
  if (!isFaultName(fault)) return { ok: false, message: `${faultHeader}: unknown fault "${fault}"` };
  return { ok: true, latency, fault };
};
