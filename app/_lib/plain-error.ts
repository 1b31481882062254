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

/** The catalogue key (dash.paramIssues.*) of a problem with one filter parameter. */
export type IssueKey =
  | 'period'
  | 'date'
  | 'fromAfterTo'
  | 'fromTo'
  | 'sourceTarget'
  | 'periodAndDates'
  | 'future'
  | 'region'
  | 'unknown'
  | 'other';

/**
 * What is wrong with a filter parameter, as a key of the page's own sentences: zod's texts
 * ("Invalid option: expected one of…") and the server's English never reach the user.
 */
export function issueKey(param: string, message: string): IssueKey {
  if (/after today|has not begun/.test(message)) return 'future';
  if (/must not be after/.test(message)) return 'fromAfterTo';
  if (/source and target go together/.test(message)) return 'sourceTarget';
  if (/go together/.test(message)) return 'fromTo';
  if (/either period or/.test(message)) return 'periodAndDates';
  if (/unrecognized key/i.test(message)) return 'unknown';
  if (param === 'period') return 'period';
  if (param === 'from' || param === 'to') return 'date';
  if (param === 'region' || param === 'province') return 'region';
  return 'other';
}

/**
 * The parameter problems in a server error: zod's issues (JSON) or the services' 'field: message'.
 * Null when the message is about something else.
 */
export function serverIssues(message: string): { param: string; message: string }[] | null {
  const plain = plainError(message);
  // zod's issues are joined with '; '; a service's one message may hold '; ' itself.
  const lines = plain === message ? [message.trim()] : plain.split('; ');
  // A procedure's input nests the filter (`filter.from`): the parameter is the last segment.
  const issues = lines.map((l) => /^(?:[\w]+\.)*(\w+): (.+)$/s.exec(l)).filter((m) => m !== null);
  if (issues.length === 0 || issues.length !== lines.length) return null;
  return issues.map((m) => ({ param: m[1] ?? '', message: m[2] ?? '' }));
}
