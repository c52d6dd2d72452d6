/**
 * A problem with something the user gave us (a file, a field, a flag). The CLI
 * prints it as one line -- "FILE: FIELD: what is wrong" -- and exits non-zero.
 * Anything that is not an InputError is a bug in thermosim.
 */
export class InputError extends Error {
  constructor(
    readonly where: string,
    readonly field: string | undefined,
    readonly problem: string,
  ) {
    super(field ? `${where}: ${field}: ${problem}` : `${where}: ${problem}`);
    this.name = "InputError";
  }
}

export function describeValue(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? v.slice(0, 40) + "..." : v);
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (v === null) return "null";
  if (typeof v === "object") return "an object";
  return String(v);
}
