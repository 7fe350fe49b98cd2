// Immutable sets of integers as sorted, disjoint, non-adjacent intervals: ports (1–65535), IPv4 addresses (numbers,
// 0 … 2^32-1) and IPv6 addresses (bigints, 0 … 2^128-1). One implementation serves both number types.
//
// Exported API:
//   IntervalSet.empty<T>(), IntervalSet.of<T>(ranges), IntervalSet.range<T>(lo, hi)   (ranges are inclusive)
//   set.union(o), set.intersect(o), set.subtract(o): IntervalSet<T>        (both sets of the same number type)
//   set.isEmpty, set.equals(o), set.contains(x), set.covers(o), set.ranges(), set.min, set.key, set.format()
//
// Representation: a flat array of half-open boundaries [s0, e0, s1, e1, …], strictly increasing, so that x is in the
// set iff an odd number of boundaries are ≤ x. Union, intersection and difference are one merge of the two boundary
// lists (linear, no per-element work: a 65,535-port range costs two numbers), which is the port-interval approach
// Kubescape #3909 adopted in place of scanning every port. Sets are frozen; operations return shared instances when
// the answer is one of the operands.

export type IntervalNumber = number | bigint;
/** An inclusive range [lo, hi]. */
export type Interval<T extends IntervalNumber> = readonly [lo: T, hi: T];

type Op = (inA: boolean, inB: boolean) => boolean;
const UNION: Op = (a, b) => a || b;
const INTERSECT: Op = (a, b) => a && b;
const SUBTRACT: Op = (a, b) => a && !b;

function next<T extends IntervalNumber>(value: T): T {
  return (typeof value === 'bigint' ? value + 1n : (value as number) + 1) as T;
}

function previous<T extends IntervalNumber>(value: T): T {
  return (typeof value === 'bigint' ? value - 1n : (value as number) - 1) as T;
}

const EMPTY_BOUNDS: readonly never[] = Object.freeze([]);

export class IntervalSet<T extends IntervalNumber> {
  /** Half-open boundaries, strictly increasing, even length. */
  readonly #bounds: readonly T[];
  #key: string | undefined;

  private constructor(bounds: readonly T[]) {
    this.#bounds = bounds;
    Object.freeze(this);
  }

  // Created on first use: a static initializer that constructs its own class is compiled by tsc into a reference
  // to the class before it is assigned (the npm build broke on it).
  static #EMPTY: IntervalSet<never> | undefined;

  static empty<T extends IntervalNumber>(): IntervalSet<T> {
    return (IntervalSet.#EMPTY ??= new IntervalSet<never>(EMPTY_BOUNDS)) as IntervalSet<T>;
  }

  /** The set [lo, hi] (inclusive); empty when hi < lo. */
  static range<T extends IntervalNumber>(lo: T, hi: T): IntervalSet<T> {
    return hi < lo ? IntervalSet.empty() : new IntervalSet(Object.freeze([lo, next(hi)]));
  }

  /** The union of inclusive ranges, in any order, overlapping or not; ranges with hi < lo are ignored. */
  static of<T extends IntervalNumber>(ranges: Iterable<Interval<T>>): IntervalSet<T> {
    const sorted = [...ranges].filter(([lo, hi]) => lo <= hi).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const bounds: T[] = [];
    for (const [lo, hi] of sorted) {
      const end = next(hi);
      const last = bounds.length - 1;
      if (last > 0 && lo <= bounds[last]!) {
        if (end > bounds[last]!) bounds[last] = end;
      } else {
        bounds.push(lo, end);
      }
    }
    return bounds.length === 0 ? IntervalSet.empty() : new IntervalSet(Object.freeze(bounds));
  }

  get isEmpty(): boolean {
    return this.#bounds.length === 0;
  }

  /** The smallest member, undefined when empty. */
  get min(): T | undefined {
    return this.#bounds[0];
  }

  /** A string that is equal for equal sets (of the same number type): for maps and memo keys. */
  get key(): string {
    this.#key ??= this.#bounds.join(',');
    return this.#key;
  }

  /** The inclusive ranges, ascending. */
  ranges(): Interval<T>[] {
    const out: Interval<T>[] = [];
    for (let i = 0; i < this.#bounds.length; i += 2) out.push([this.#bounds[i]!, previous(this.#bounds[i + 1]!)]);
    return out;
  }

  contains(value: T): boolean {
    // Binary search for the number of boundaries ≤ value.
    const bounds = this.#bounds;
    let lo = 0;
    let hi = bounds.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (bounds[mid]! <= value) lo = mid + 1;
      else hi = mid;
    }
    return (lo & 1) === 1;
  }

  equals(other: IntervalSet<T>): boolean {
    if (this === other) return true;
    const a = this.#bounds;
    const b = other.#bounds;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  /** Whether every member of `other` is in this set. */
  covers(other: IntervalSet<T>): boolean {
    return other.subtract(this).isEmpty;
  }

  union(other: IntervalSet<T>): IntervalSet<T> {
    if (other.isEmpty || this === other) return this;
    if (this.isEmpty) return other;
    return this.#combine(other, UNION);
  }

  intersect(other: IntervalSet<T>): IntervalSet<T> {
    if (this.isEmpty || this === other) return this;
    if (other.isEmpty) return other;
    return this.#combine(other, INTERSECT);
  }

  subtract(other: IntervalSet<T>): IntervalSet<T> {
    if (this.isEmpty || other.isEmpty) return this;
    if (this === other) return IntervalSet.empty();
    return this.#combine(other, SUBTRACT);
  }

  /** `80,443,8000-8080` (numbers in decimal); `''` when empty. */
  format(): string {
    const parts: string[] = [];
    for (const [lo, hi] of this.ranges()) parts.push(lo === hi ? String(lo) : `${lo}-${hi}`);
    return parts.join(',');
  }

  toString(): string {
    return this.format();
  }

  /** One sweep over both boundary lists; a boundary is emitted wherever the combined membership changes. */
  #combine(other: IntervalSet<T>, op: Op): IntervalSet<T> {
    const a = this.#bounds;
    const b = other.#bounds;
    const out: T[] = [];
    let i = 0;
    let j = 0;
    let inA = false;
    let inB = false;
    let inOut = false;
    while (i < a.length || j < b.length) {
      const x = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i]! : b[j]!;
      if (i < a.length && a[i] === x) {
        inA = !inA;
        i++;
      }
      if (j < b.length && b[j] === x) {
        inB = !inB;
        j++;
      }
      const result = op(inA, inB);
      if (result !== inOut) {
        out.push(x);
        inOut = result;
      }
    }
    if (out.length === a.length && this.#sameBounds(out)) return this;
    if (out.length === b.length && other.#sameBounds(out)) return other;
    return out.length === 0 ? IntervalSet.empty() : new IntervalSet(Object.freeze(out));
  }

  #sameBounds(bounds: readonly T[]): boolean {
    for (let i = 0; i < bounds.length; i++) if (bounds[i] !== this.#bounds[i]) return false;
    return true;
  }
}
