import type { ProviderConfig } from './provider-config-schema.ts';
import { bedrockConverseFormat } from '../formats/bedrock-converse/index.ts';
import { parseBaseUrl } from './base-url.ts';
import { defineHttpProvider } from './define-http-provider.ts';
import { missingCredential, type Authenticate } from './http-authentication.ts';
import type { Provider } from './provider.ts';
import { sigV4Authentication } from './sigv4-authentication.ts';

export type BedrockProviderConfig = Extract<ProviderConfig, { type: 'bedrock' }>;

const authentication = (name: string, config: BedrockProviderConfig): Authenticate => {
  if (config.accessKeyId === undefined) return missingCredential(name, 'accessKeyId');
  if (config.secretAccessKey === undefined) return missingCredential(name, 'secretAccessKey');
  return sigV4Authentication({
    region: config.region,
    service: 'bedrock',
    accessKeyId: config.accessKeyId,
    secretAccessKey: config.secretAccessKey,
    ...(config.sessionToken === undefined ? {} : { sessionToken: config.sessionToken }),
  });
};

/**
 * Amazon Bedrock's Converse API (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html),
 * signed with SigV4. The target's model is a model id, inference profile id or ARN, percent-encoded
 * into the path as the AWS SDK does. `baseUrl` replaces the regional host (the simulator); Bedrock has
 * embedding models but no Converse embeddings API, so `embed` is unsupported.
 */
export const createBedrockProvider = (name: string, config: BedrockProviderConfig): Provider => {
  const { origin, basePath } = parseBaseUrl(config.baseUrl ?? `https://bedrock-runtime.${config.region}.amazonaws.com`);
  const modelPath = (model: string, operation: string): string => `${basePath}/model/${encodeURIComponent(model)}/${operation}`;
  return defineHttpProvider({
    name,
    type: config.type,
    format: bedrockConverseFormat,
    origin,
    endpoints: {
      chat: (model) => modelPath(model, 'converse'),
      stream: (model) => modelPath(model, 'converse-stream'),
    },
    authenticate: authentication(name, config),
    headers: config.headers,
    streamAccept: 'application/vnd.amazon.eventstream',
    connections: config.connections,
    connectTimeoutMs: config.connectTimeoutMs,
    secrets: [config.accessKeyId, config.secretAccessKey, config.sessionToken],
  });
};
