/** Anything kept in arrival order with a unique, increasing ordinal. */
export interface Ordered {
  readonly ordinal: number;
}

/** Below this many dropped slots the array is not compacted: compaction is a copy, so it is batched. */
const COMPACT_MIN = 1024;

/**
 * An append-only list that drops from the front in O(1) amortized: dropped slots are skipped by an offset and
 * reclaimed in one copy once they make up half of the array. Items stay in ordinal order, so a position can also
 * be found by binary search, for the rare insertion in the middle.
 */
export class EntryDeque<T extends Ordered> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  /** The item at a position from the front (0 = oldest kept). */
  at(index: number): T | undefined {
    if (index < 0 || index >= this.length) return undefined;
    return this.items[this.head + index];
  }

  first(): T | undefined {
    return this.at(0);
  }

  last(): T | undefined {
    return this.at(this.length - 1);
  }

  push(item: T): void {
    this.items.push(item);
  }

  /** Removes and returns the oldest item. */
  shift(): T | undefined {
    if (this.length === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head += 1;
    if (this.head >= COMPACT_MIN && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** Position of the item with this ordinal, or -1; O(log n). */
  indexOfOrdinal(ordinal: number): number {
    const index = this.lowerBound(ordinal);
    return this.at(index)?.ordinal === ordinal ? index : -1;
  }

  /** Inserts an item at its ordinal's place (no-op if one with that ordinal is there). O(n) copy, meant to be rare. */
  insertInOrder(item: T): void {
    const index = this.lowerBound(item.ordinal);
    if (this.at(index)?.ordinal === item.ordinal) return;
    this.items.splice(this.head + index, 0, item);
  }

  /** A new deque with the items that pass, in one pass. */
  filter(keep: (item: T) => boolean): EntryDeque<T> {
    const result = new EntryDeque<T>();
    for (let index = this.head; index < this.items.length; index += 1) {
      const item = this.items[index]!;
      if (keep(item)) result.items.push(item);
    }
    return result;
  }

  /** The items, oldest first, as a new array. */
  toArray(): T[] {
    return this.items.slice(this.head) as T[];
  }

  /** First position whose ordinal is at least `ordinal`. */
  private lowerBound(ordinal: number): number {
    let low = 0;
    let high = this.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.items[this.head + middle]!.ordinal < ordinal) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
