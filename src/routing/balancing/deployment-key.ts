/**
 * The name of a deployment (a provider and its model) in every per-deployment table: latency, limits,
 * circuit state. The provider is the configured name, so two accounts of one vendor stay apart.
 */
export const deploymentKey = (provider: string, model: string): string => `${provider}/${model}`;
