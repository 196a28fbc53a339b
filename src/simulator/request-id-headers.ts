import { randomUUID } from 'node:crypto';
import { familyStyles, type ProviderFamily } from './provider-family.ts';
import type { SimulatorContext } from './simulator-context.ts';

/**
 * The provider's request-id header, which real answers (errors included) carry: `req_…` at OpenAI and
 * Anthropic, a UUID at Azure and AWS.
 */
export const requestIdHeaders = (family: ProviderFamily, context: SimulatorContext): Record<string, string> => {
  const style = familyStyles[family];
  if (style.requestIdHeader === undefined) return {};
  const id = style.requestIdPrefix === '' ? randomUUID() : `${style.requestIdPrefix}sim${context.nextSequence().toString(36).padStart(8, '0')}`;
  return { [style.requestIdHeader]: id };
};
