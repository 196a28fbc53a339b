import { channel, type Channel } from 'node:diagnostics_channel';
import type { GatewayEvent, GatewayEventType } from './gateway-event.ts';

type EventOf<Type extends GatewayEventType> = Extract<GatewayEvent, { type: Type }>;
type Listener = (event: GatewayEvent) => void;

/**
 * Where a gateway publishes its telemetry. Each gateway instance has its own sink, so two gateways in
 * one process (tests, a reload) never see each other's events; every event is also published on the
 * process-wide diagnostics channel `bulwark:<type>` for outside tools (APMs, ad-hoc debugging).
 *
 * Listeners run synchronously inside the publishing request, so they must return quickly: queue work,
 * never await I/O. A throwing listener is isolated: it cannot fail the request.
 */
export interface EventSink {
  publish(event: GatewayEvent): void;
  /** True when someone listens, so a publisher can skip building an event nobody reads. */
  hasSubscribers(type: GatewayEventType): boolean;
  subscribe<Type extends GatewayEventType>(type: Type, listener: (event: EventOf<Type>) => void): () => void;
}

const diagnosticChannels = new Map<GatewayEventType, Channel>();
const diagnosticChannel = (type: GatewayEventType): Channel => {
  let found = diagnosticChannels.get(type);
  if (found === undefined) {
    found = channel(`bulwark:${type}`);
    diagnosticChannels.set(type, found);
  }
  return found;
};

export const createEventSink = (onListenerError: (error: unknown) => void = () => {}): EventSink => {
  const listeners = new Map<GatewayEventType, Listener[]>();
  return {
    publish(event) {
      const forType = listeners.get(event.type);
      if (forType !== undefined) {
        for (const listener of forType) {
          try {
            listener(event);
          } catch (error) {
            onListenerError(error);
          }
        }
      }
      const outside = diagnosticChannel(event.type);
      if (outside.hasSubscribers) outside.publish(event);
    },
    hasSubscribers(type) {
      return (listeners.get(type)?.length ?? 0) > 0 || diagnosticChannel(type).hasSubscribers;
    },
    subscribe(type, listener) {
      const wrapped = listener as Listener;
      listeners.set(type, [...(listeners.get(type) ?? []), wrapped]);
      return () => {
        listeners.set(type, (listeners.get(type) ?? []).filter((candidate) => candidate !== wrapped));
      };
    },
  };
};
