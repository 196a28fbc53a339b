/**
 * Why generation stopped, in one vocabulary. Codecs map their provider's reasons in and out and keep
 * the provider's own word in `rawFinishReason` where it is lost in translation.
 */
export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'error' | 'other';
