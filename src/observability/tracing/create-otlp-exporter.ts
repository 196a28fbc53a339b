import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';

export interface OtlpOptions {
  /** The OTLP/HTTP traces endpoint, path included (`http://collector:4318/v1/traces`). */
  endpoint: string;
  headers: Record<string, string>;
}

/** Exports spans as OTLP/HTTP with JSON bodies (`@opentelemetry/exporter-trace-otlp-http`), which collectors accept on :4318. */
export const createOtlpExporter = ({ endpoint, headers }: OtlpOptions): SpanExporter => new OTLPTraceExporter({ url: endpoint, headers });
