import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import type { ProviderFamily } from './provider-family.ts';

const eventStream = new EventStreamCodec(toUtf8, fromUtf8);

/** JSON cut off mid-object, as a buggy proxy or a provider incident might send it. */
const brokenJson = '{"broken": "this chunk ends mid-';

/**
 * A syntactically broken chunk in the family's stream framing: valid framing around JSON that does not
 * parse. For Bedrock that is a well-formed event-stream message (correct lengths and CRCs) whose
 * payload is broken JSON.
 */
export const malformedChunk = (family: ProviderFamily): string | Uint8Array => {
  switch (family) {
    case 'anthropic':
      return `event: content_block_delta\ndata: ${brokenJson}\n\n`;
    case 'bedrock':
      return eventStream.encode({
        headers: {
          ':event-type': { type: 'string', value: 'contentBlockDelta' },
          ':content-type': { type: 'string', value: 'application/json' },
          ':message-type': { type: 'string', value: 'event' },
        },
        body: fromUtf8(brokenJson),
      });
    default:
      return `data: ${brokenJson}\n\n`;
  }
};
