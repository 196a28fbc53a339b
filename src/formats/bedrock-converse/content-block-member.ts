import { GatewayError } from '../../core/errors/index.ts';

/**
 * Bedrock's content blocks are Smithy unions: objects with exactly one member set. Returns the member
 * a block sets, among those the caller understands; a block that sets another member (`document`,
 * `video`, `guardContent`, ...) or several is an `invalid_request` naming the block.
 */
export const contentBlockMember = <Member extends string>(
  block: Readonly<Record<string, unknown>>,
  supported: readonly Member[],
  param: string,
): Member => {
  const present = Object.keys(block).filter((key) => block[key] !== undefined);
  if (present.length !== 1) {
    throw new GatewayError('invalid_request', `${param}: a content block must set exactly one member, not ${present.length}`, { param });
  }
  const [member] = present;
  const known = supported.find((candidate) => candidate === member);
  if (known === undefined) {
    throw new GatewayError('invalid_request', `${param}: ${String(member)} blocks are not supported here`, { param });
  }
  return known;
};
