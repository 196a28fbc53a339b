/**
 * A FIFO whose operations at both ends are amortized O(1): taking or dropping from the front moves a
 * head index instead of shifting the array, which is compacted once most of it is behind the head.
 */
export class RecordQueue<Item> {
  #items: Item[] = [];
  #head = 0;

  get length(): number {
    return this.#items.length - this.#head;
  }

  push(item: Item): void {
    this.#items.push(item);
  }

  /** Removes and returns up to `count` items from the front. */
  takeFront(count: number): Item[] {
    const taken = this.#items.slice(this.#head, this.#head + count);
    this.#head += taken.length;
    this.#compact();
    return taken;
  }

  /** Puts items back at the front, in their order, ahead of everything queued. */
  putFront(items: readonly Item[]): void {
    if (items.length === 0) return;
    if (this.#head >= items.length) {
      this.#head -= items.length;
      items.forEach((item, index) => {
        this.#items[this.#head + index] = item;
      });
      return;
    }
    this.#items = [...items, ...this.#items.slice(this.#head)];
    this.#head = 0;
  }

  /** Discards up to `count` items from the front; returns how many were discarded. */
  dropFront(count: number): number {
    const dropped = Math.max(0, Math.min(count, this.length));
    this.#head += dropped;
    this.#compact();
    return dropped;
  }

  #compact(): void {
    if (this.length === 0) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head >= 1_024 && this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
  }
}
