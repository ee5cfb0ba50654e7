/** A binary max-heap of unit ids ordered by `compare` (positive: a above b). */
export class UnitHeap {
  private items: number[] = [];

  constructor(private readonly compare: (a: number, b: number) => number) {}

  get size(): number {
    return this.items.length;
  }

  push(u: number): void {
    const items = this.items;
    let i = items.length;
    items.push(u);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.compare(items[parent]!, u) >= 0) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = u;
  }

  pop(): number {
    const items = this.items;
    const top = items[0]!;
    const last = items.pop()!;
    if (items.length > 0) {
      let i = 0;
      const n = items.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const child = r < n && this.compare(items[r]!, items[l]!) > 0 ? r : l;
        if (this.compare(items[child]!, last) <= 0) break;
        items[i] = items[child]!;
        i = child;
      }
      items[i] = last;
    }
    return top;
  }
}
