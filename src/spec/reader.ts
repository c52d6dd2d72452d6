/**
 * Reads one object of a spec file field by field. Every accessor checks type,
 * range and units and throws an InputError naming the file and the dotted
 * field path; done() rejects keys nobody asked for (usually typos).
 */
import { InputError, describeValue } from "../errors.js";
import { DIMENSIONS, formatSI, parseQuantity, type Dimension } from "../units.js";

type Obj = Record<string, unknown>;

export interface NumberRule {
  min?: number; // inclusive
  max?: number; // inclusive
  above?: number; // exclusive lower bound
}

export class Reader {
  private readonly used = new Set<string>();

  constructor(
    readonly file: string,
    readonly obj: Obj,
    readonly path = "",
  ) {}

  static of(file: string, value: unknown, path = ""): Reader {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new InputError(file, path || undefined, `expected a mapping (key: value), got ${describeValue(value)}`);
    }
    return new Reader(file, value as Obj, path);
  }

  field(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  fail(key: string | undefined, problem: string): never {
    throw new InputError(this.file, key === undefined ? this.path || undefined : this.field(key), problem);
  }

  has(key: string): boolean {
    return this.raw(key, false) !== undefined;
  }

  /** The field's value (own keys only: nothing comes from a prototype). */
  raw(key: string, use = true): unknown {
    if (use) this.used.add(key);
    return Object.hasOwn(this.obj, key) ? this.obj[key] : undefined;
  }

  private need(key: string): unknown {
    const v = this.raw(key);
    if (v === undefined) this.fail(key, "is required");
    return v;
  }

  string(key: string, fallback?: string): string {
    const v = this.raw(key) ?? fallback;
    if (v === undefined) this.fail(key, "is required");
    if (typeof v !== "string") this.fail(key, `expected text, got ${describeValue(v)}`);
    return v;
  }

  choice<T extends string>(key: string, options: readonly T[], fallback?: T): T {
    const v = this.string(key, fallback);
    if (!options.includes(v as T)) this.fail(key, `must be one of ${options.join(", ")}; got ${JSON.stringify(v)}`);
    return v as T;
  }

  bool(key: string, fallback?: boolean): boolean {
    const v = this.raw(key) ?? fallback;
    if (typeof v !== "boolean") this.fail(key, v === undefined ? "is required" : `expected true or false, got ${describeValue(v)}`);
    return v;
  }

  number(key: string, rule: NumberRule = {}, fallback?: number): number {
    const v = this.raw(key) ?? fallback;
    if (v === undefined) this.fail(key, "is required");
    if (typeof v !== "number" || !Number.isFinite(v)) this.fail(key, `expected a finite number, got ${describeValue(v)}`);
    checkRange(this, key, v, rule);
    return v;
  }

  int(key: string, rule: NumberRule = {}, fallback?: number): number {
    const v = this.number(key, rule, fallback);
    if (!Number.isInteger(v)) this.fail(key, `expected a whole number, got ${v}`);
    return v;
  }

  /** A physical quantity written with units ("10 MHz"); returned in SI. */
  quantity(key: string, dim: Dimension, rule: NumberRule = {}, fallback?: string): number {
    const v = this.raw(key) ?? fallback;
    if (v === undefined) this.fail(key, `is required (a ${dim} with units, e.g. ${example(dim)})`);
    if (typeof v === "number") {
      if (v === 0) return checkRange(this, key, 0, rule);
      this.fail(key, `needs units: write it as text, e.g. ${example(dim)}; got the bare number ${v}`);
    }
    if (typeof v !== "string") this.fail(key, `expected a ${dim} with units, got ${describeValue(v)}`);
    const q = parseQuantity(v, dim);
    if (typeof q === "string") this.fail(key, q);
    return checkRange(this, key, q, rule, v, DIMENSIONS[dim]);
  }

  object(key: string, required = true): Reader | undefined {
    const v = this.raw(key);
    if (v === undefined) {
      if (required) this.fail(key, "is required");
      return undefined;
    }
    return Reader.of(this.file, v, this.field(key));
  }

  /** A non-empty list of mappings, each read by its own Reader (path key[i]). */
  list(key: string): Reader[] {
    const v = this.raw(key);
    if (!Array.isArray(v) || v.length === 0) this.fail(key, `expected a non-empty list, got ${describeValue(v)}`);
    return (v as unknown[]).map((item, i) => Reader.of(this.file, item, `${this.field(key)}[${i}]`));
  }

  /** Throw on any key that no accessor read. */
  done(): void {
    for (const k of Object.keys(this.obj)) {
      if (!this.used.has(k)) this.fail(k, "is not a known field here (check the spelling)");
    }
  }
}

/** A spec's `chain_strength`: auto, utc or a number above 0 (model energy units). */
export function readChainStrength(r: Reader): number | "utc" | "auto" {
  const v = r.raw("chain_strength");
  if (v === "auto" || v === "utc") return v;
  if (typeof v === "string") r.fail("chain_strength", `must be auto, utc or a number above 0, got ${JSON.stringify(v)}`);
  return r.number("chain_strength", { above: 0 });
}

function checkRange(r: Reader, key: string, v: number, rule: NumberRule, text?: string, unit?: string): number {
  const shown = text ?? String(v);
  // Bounds of a quantity are shown with its unit ("<= 1 F"), prefixed where it reads better ("<= 10 THz").
  const b = (x: number) => (unit && x !== 0 ? formatSI(x, unit) : String(x));
  // The sign first (a negative capacitance), then the physical range (1e308 F).
  if (rule.above !== undefined && !(v > rule.above)) r.fail(key, `must be > ${b(rule.above)}; got ${shown}`);
  if (rule.min !== undefined && v < rule.min) r.fail(key, `must be >= ${b(rule.min)}; got ${shown}`);
  if (rule.max !== undefined && v > rule.max) r.fail(key, `must be <= ${b(rule.max)}; got ${shown}`);
  return v;
}

function example(dim: Dimension): string {
  const ex: Record<Dimension, string> = {
    frequency: '"50 MHz"', time: '"2.7 ns"', energy: '"2 fJ"', power: '"1 nW"', capacitance: '"1 pF"',
    conductance: '"1 mS"', resistance: '"1 kohm"', voltage: '"0.8 V"', current: '"1 uA"', temperature: '"300 K"',
  };
  return ex[dim];
}
