import type { ProviderConfig } from './provider-config-schema.ts';
import { createAnthropicProvider } from './anthropic-provider.ts';
import { createAzureOpenaiProvider } from './azure-openai-provider.ts';
import { createBedrockProvider } from './bedrock-provider.ts';
import { createGeminiProvider } from './gemini-provider.ts';
import { createOpenaiProvider } from './openai-provider.ts';
import type { Provider } from './provider.ts';

/** Builds the provider a config entry describes. No network traffic until the first call. */
export const createProvider = (name: string, config: ProviderConfig): Provider => {
  switch (config.type) {
    case 'openai':
    case 'openai-compatible':
      return createOpenaiProvider(name, config);
    case 'azure-openai':
      return createAzureOpenaiProvider(name, config);
    case 'anthropic':
      return createAnthropicProvider(name, config);
    case 'gemini':
      return createGeminiProvider(name, config);
    case 'bedrock':
      return createBedrockProvider(name, config);
  }
};
