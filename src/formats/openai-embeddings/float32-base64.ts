/**
 * Vectors as OpenAI's `encoding_format: "base64"` sends them: the float32 values, little-endian, in
 * base64. About a quarter of the size of the JSON number array.
 */

export const encodeFloat32Base64 = (vector: readonly number[]): string => {
  const bytes = new DataView(new ArrayBuffer(vector.length * 4));
  vector.forEach((value, index) => bytes.setFloat32(index * 4, value, true));
  return Buffer.from(bytes.buffer).toString('base64');
};

/** Undefined when the text is not base64 of whole float32 values. */
export const decodeFloat32Base64 = (text: string): number[] | undefined => {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  const buffer = Buffer.from(text, 'base64');
  if (buffer.byteLength % 4 !== 0) return undefined;
  const bytes = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  return Array.from({ length: buffer.byteLength / 4 }, (_, index) => bytes.getFloat32(index * 4, true));
};
