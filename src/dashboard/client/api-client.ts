/** Thrown for a 401: the session is missing or expired, so the app shows the login view. */
export class UnauthorizedError extends Error {
  constructor() {
    super('Sign in to continue.');
    this.name = 'UnauthorizedError';
  }
}

/** Any other failed answer, carrying the server's OpenAI-style error message when it sent one. */
export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

/** Reads `{ error: { message } }` from a failed answer; a body that is not that shape yields the fallback. */
export const readErrorMessage = async (response: Response, fallback: string): Promise<string> => {
  try {
    const body: unknown = await response.json();
    if (typeof body === 'object' && body !== null && 'error' in body) {
      const error: unknown = body.error;
      if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string' && error.message !== '') {
        return error.message;
      }
    }
  } catch {
    // Not JSON (a proxy's HTML error page, an empty body): the fallback says enough.
  }
  return fallback;
};

/**
 * `GET /dashboard/api/<path>` with the session cookie. The caller's signal cancels a request that a
 * navigation made stale.
 */
export const getJson = async <T>(path: string, signal?: AbortSignal): Promise<T> => {
  const response = await fetch(`/dashboard/api/${path}`, {
    credentials: 'same-origin',
    headers: { accept: 'application/json' },
    ...(signal === undefined ? {} : { signal }),
  });
  if (response.status === 401) throw new UnauthorizedError();
  if (!response.ok) {
    throw new ApiError(response.status, await readErrorMessage(response, `The server answered ${response.status}.`));
  }
  return (await response.json()) as T;
};

/** Exchanges the admin token for a session cookie; resolves on 204, throws the server's message otherwise. */
export const logIn = async (token: string): Promise<void> => {
  const response = await fetch('/dashboard/login', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ token }),
  });
  if (response.ok) return;
  const fallback = response.status === 401 ? 'That token was not accepted.' : `Sign-in failed (${response.status}).`;
  throw new ApiError(response.status, await readErrorMessage(response, fallback));
};

export const logOut = async (): Promise<void> => {
  await fetch('/dashboard/logout', { method: 'POST', credentials: 'same-origin' });
};

/** True when the session cookie is valid; used before the first page and when the live stream fails. */
export const hasSession = async (): Promise<boolean> => {
  try {
    // 401 is the contract's answer without a session; `{ authenticated: false }` is accepted as well.
    const session = await getJson<{ authenticated?: unknown }>('session');
    return session.authenticated === true;
  } catch (error) {
    if (error instanceof UnauthorizedError) return false;
    throw error;
  }
};
