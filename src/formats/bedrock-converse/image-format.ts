import { GatewayError } from '../../core/errors/index.ts';

/** Bedrock names an image's encoding by format; the canonical model by media type. */
export type BedrockImageFormat = 'png' | 'jpeg' | 'gif' | 'webp';

export const mediaTypeOfImageFormat = (format: BedrockImageFormat): string => `image/${format}`;

const formatsByMediaType: Record<string, BedrockImageFormat> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

/** The Bedrock format of a media type; other types cannot be sent to Converse. */
export const imageFormatOfMediaType = (mediaType: string): BedrockImageFormat => {
  const format = formatsByMediaType[mediaType.toLowerCase()];
  if (format === undefined) {
    throw new GatewayError('unsupported_capability', `Bedrock Converse accepts png, jpeg, gif and webp images, not ${mediaType}`);
  }
  return format;
};
