/**
 * google.rpc.Code names as Gemini sends them in `error.status`, and the HTTP status each goes with
 * (https://ai.google.dev/gemini-api/docs/troubleshooting#error-codes, https://google.aip.dev/193).
 */
const statusNames: ReadonlyMap<number, string> = new Map([
  [400, 'INVALID_ARGUMENT'],
  [401, 'UNAUTHENTICATED'],
  [403, 'PERMISSION_DENIED'],
  [404, 'NOT_FOUND'],
  [409, 'ABORTED'],
  [429, 'RESOURCE_EXHAUSTED'],
  [499, 'CANCELLED'],
  [500, 'INTERNAL'],
  [501, 'UNIMPLEMENTED'],
  // A gateway's 502 and Anthropic's 529 mean what Google calls UNAVAILABLE: try again, maybe elsewhere.
  [502, 'UNAVAILABLE'],
  [503, 'UNAVAILABLE'],
  [504, 'DEADLINE_EXCEEDED'],
  [529, 'UNAVAILABLE'],
]);

export const geminiStatusName = (httpStatus: number): string =>
  statusNames.get(httpStatus) ?? (httpStatus >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT');
