/** Future actions keyed by the active block they happen in. */
export class Schedule<T> {
  private readonly at = new Map<number, T[]>();

  add(k: number, item: T): void {
    const list = this.at.get(k);
    if (list) list.push(item);
    else this.at.set(k, [item]);
  }

  /** Removes and returns the actions due in block k. */
  take(k: number): T[] {
    const list = this.at.get(k) ?? [];
    this.at.delete(k);
    return list;
  }
}

/** The first active block (a multiple of `window`) at or after k. */
export function snapToWindow(k: number, window: number): number {
  return Math.max(window, Math.ceil(k / window) * window);
}
