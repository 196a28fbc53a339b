/** A provider's base URL split the way the connection pool needs it: one origin, one path prefix. */
export interface BaseUrl {
  /** `https://api.openai.com` (with the port when it is not the scheme's default). */
  origin: string;
  /** `/v1`, or `''` for a bare host; never a trailing slash, so endpoints append `/chat/completions`. */
  basePath: string;
}

/** Splits a configured base URL. A query or fragment in it is dropped: endpoints own the query. */
export const parseBaseUrl = (value: string): BaseUrl => {
  const url = new URL(value);
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, '') };
};
