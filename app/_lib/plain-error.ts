/**
 * A server error as a sentence. tRPC sends input validation failures as the JSON of zod's issues
 * ("[{"origin":"string","code":"custom",…}]"), which a user must never see: each issue becomes
 * "field: message". Any other message is shown as it is.
 */
export function plainError(message: string): string {
  const s = message.trim();
  if (!s.startsWith('[') && !s.startsWith('{')) return message;
  try {
    const parsed: unknown = JSON.parse(s);
    const issues = Array.isArray(parsed) ? parsed : [parsed];
    const lines = issues
      .filter(
        (i): i is { message: string; path?: unknown[] } =>
          typeof i === 'object' && i !== null && 'message' in i,
      )
      .map((i) => {
        const path = Array.isArray(i.path)
          ? i.path.filter((p) => typeof p === 'string' || typeof p === 'number')
          : [];
        const field = path.length > 0 ? `${path.join('.')}: ` : '';
        return `${field}${i.message}`;
      });
    return lines.length > 0 ? lines.join('; ') : message;
  } catch {
    return message;
  }
}
