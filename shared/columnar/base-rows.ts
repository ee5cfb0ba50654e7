/**
 * The base row of each add-on (-1: none), 2 bytes a row instead of 4: a base is almost always a
 * few rows from its add-ons (a customer's rows come together), so each row keeps the distance to
 * its base while every distance fits 16 bits, and the row numbers themselves otherwise.
 */
export class BaseRows {
  private constructor(
    /** i − base, 0 for none (no row is its own base). */
    private readonly near: Int16Array | undefined,
    private readonly far: Int32Array | undefined,
  ) {}

  /** From `base[0…n)`, base rows or -1. */
  static from(base: Int32Array, n: number): BaseRows {
    for (let i = 0; i < n; i++) {
      const b = base[i]!;
      if (b !== -1 && (b === i || Math.abs(i - b) > 32_767)) return new BaseRows(undefined, base.slice(0, n));
    }
    const near = new Int16Array(n);
    for (let i = 0; i < n; i++) if (base[i] !== -1) near[i] = i - base[i]!;
    return new BaseRows(near, undefined);
  }

  get(i: number): number {
    if (this.far) return this.far[i]!;
    const d = this.near![i]!;
    return d === 0 ? -1 : i - d;
  }
}
