/** A text field of a FormData ('' when missing or a file). */
export function formText(f: FormData, key: string): string {
  const v = f.get(key);
  return typeof v === 'string' ? v : '';
}
