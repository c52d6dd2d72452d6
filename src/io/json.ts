/**
 * JSON as plain data, strictly. JSON.parse keeps the last of two equal keys
 * ({"n": 2, "n": 3} reads as n = 3) without a word; a model file that says two
 * things must be refused. After JSON.parse has checked the syntax, one pass
 * over the text finds keys repeated within an object and `__proto__` keys
 * (which some consumers turn into prototypes).
 *
 * Written by hand: the JSON libraries we know either do not report duplicate
 * keys or build a syntax tree per value, which a 100 MB model file (millions
 * of coupling triples) cannot afford; this scan is one loop over the text.
 */
import { InputError } from "../errors.js";

export function parseJsonStrict(text: string, file: string): unknown {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    // V8's message quotes the text ("root:x:0:0"... is not valid JSON): keep the position, not the file's bytes.
    const m = (e as Error).message.replace(/,?\s*"[^"]*"\.\.\. is not valid JSON/, "").replace(/ in JSON at position/, " at position");
    throw new InputError(file, undefined, `is not valid JSON (${m})`);
  }
  checkKeys(text, file);
  return doc;
}

interface Frame {
  keys?: Set<string>; // objects
  index: number; // arrays: the element being read
  key: string; // objects: the key being read
}

function pathOf(stack: Frame[]): string {
  let p = "";
  for (const f of stack) p += f.keys ? (p ? "." : "") + f.key : `[${f.index}]`;
  return p;
}

/** Reject repeated and `__proto__` keys; `text` is known to be valid JSON. */
function checkKeys(text: string, file: string): void {
  const stack: Frame[] = [];
  let expectKey = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const start = i;
      let escaped = false;
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) {
          escaped = true;
          i++;
        } else if (d === 0x22) break;
      }
      if (expectKey) {
        const raw = text.slice(start + 1, i);
        const key = escaped ? (JSON.parse(text.slice(start, i + 1)) as string) : raw;
        const top = stack[stack.length - 1];
        top.key = key;
        if (key === "__proto__") throw new InputError(file, pathOf(stack), "is not allowed as a key");
        if (top.keys!.has(key)) throw new InputError(file, pathOf(stack), "appears twice in the same object (JSON keys must be unique)");
        top.keys!.add(key);
        expectKey = false;
      }
    } else if (c === 0x7b /* { */) {
      stack.push({ keys: new Set(), index: 0, key: "" });
      expectKey = true;
    } else if (c === 0x5b /* [ */) {
      stack.push({ index: 0, key: "" });
      expectKey = false;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top.keys) expectKey = true;
      else top.index++;
    }
  }
}

/**
 * Check that a parsed document is plain data: objects with ordinary
 * prototypes, arrays, strings, numbers, booleans and null, and no `__proto__`
 * keys. (YAML can produce Maps, Sets, Dates and byte arrays; none of those
 * belong in a spec.)
 */
export function checkPlainData(v: unknown, file: string, path = "", above: Set<object> = new Set()): void {
  if (v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean") return;
  // A YAML alias can name a node that contains it: the document would be infinite.
  if (typeof v === "object" && above.has(v)) throw new InputError(file, path || undefined, "refers to a node that contains it (a YAML alias in a cycle): the document would be infinite");
  if (Array.isArray(v)) {
    above.add(v);
    v.forEach((x, k) => checkPlainData(x, file, `${path}[${k}]`, above));
    above.delete(v);
    return;
  }
  const proto = typeof v === "object" ? Object.getPrototypeOf(v) : undefined;
  if (typeof v !== "object" || (proto !== Object.prototype && proto !== null)) {
    const what = v instanceof Map ? "an ordered map (!!omap/!!pairs)" : v instanceof Set ? "a set (!!set)" : v instanceof Date ? "a timestamp" : `a ${typeof v === "object" ? v.constructor?.name ?? "non-plain object" : typeof v}`;
    throw new InputError(file, path || undefined, `is ${what}; only plain mappings, lists, text, numbers, true/false and null are allowed`);
  }
  above.add(v as object);
  for (const key of Object.keys(v as object)) {
    const p = path ? `${path}.${key}` : key;
    if (key === "__proto__") throw new InputError(file, p, "is not allowed as a key");
    checkPlainData((v as Record<string, unknown>)[key], file, p, above);
  }
  above.delete(v as object);
}
