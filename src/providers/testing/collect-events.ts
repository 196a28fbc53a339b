import type { StreamEvent } from '../../core/model/index.ts';

/** Reads a stream to its end. */
export const collectEvents = async (events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> => {
  const result: StreamEvent[] = [];
  for await (const event of events) result.push(event);
  return result;
};
