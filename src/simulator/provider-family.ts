/** The provider APIs the simulator plays. Azure OpenAI shares OpenAI's format but not its paths or auth. */
export type ProviderFamily = 'openai' | 'azure' | 'anthropic' | 'gemini' | 'bedrock';

export interface FamilyStyle {
  /** Header carrying the provider's request id, if it sends one. */
  requestIdHeader?: string;
  requestIdPrefix: string;
  /** How the provider's response ids start (Gemini's and Bedrock's carry none worth imitating). */
  responseIdPrefix: string;
  toolCallIdPrefix: string;
}

export const familyStyles: Record<ProviderFamily, FamilyStyle> = {
  openai: { requestIdHeader: 'x-request-id', requestIdPrefix: 'req_', responseIdPrefix: 'chatcmpl-', toolCallIdPrefix: 'call_' },
  azure: { requestIdHeader: 'apim-request-id', requestIdPrefix: '', responseIdPrefix: 'chatcmpl-', toolCallIdPrefix: 'call_' },
  anthropic: { requestIdHeader: 'request-id', requestIdPrefix: 'req_', responseIdPrefix: 'msg_', toolCallIdPrefix: 'toolu_' },
  gemini: { requestIdPrefix: '', responseIdPrefix: '', toolCallIdPrefix: 'call_' },
  bedrock: { requestIdHeader: 'x-amzn-requestid', requestIdPrefix: '', responseIdPrefix: '', toolCallIdPrefix: 'tooluse_' },
};
