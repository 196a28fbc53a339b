/** undici's `request()` gives headers as a plain record; codecs read them as a WHATWG `Headers`. */
export const toFetchHeaders = (headers: Record<string, string | string[] | undefined>): Headers => {
  const result = new Headers();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) result.append(name, item);
    else result.append(name, value);
  }
  return result;
};
