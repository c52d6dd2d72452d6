/**
 * YAML files as plain data only. The yaml package knows tags that build
 * ordered maps, sets, byte arrays and timestamps, and it reads unknown tags
 * (!!js/function) as plain text with a warning: either way a spec could say
 * something that is then silently dropped or misread. So: the core schema's
 * scalars, mappings and lists; any explicit tag beyond those, any parser
 * warning, a repeated key or a `__proto__` key is an error naming the line.
 */
import { parseDocument, visit, YAMLParseError, type Node } from "yaml";
import { InputError } from "../errors.js";
import { LIMITS, readCappedText } from "../io/read.js";
import { checkPlainData } from "../io/json.js";

const CORE = "tag:yaml.org,2002:";
const ALLOWED_TAGS = new Set(["str", "int", "float", "bool", "null", "map", "seq"].map((t) => CORE + t));

function where(text: string, node: { range?: [number, number, number] | null } | undefined): string {
  const at = node?.range?.[0];
  if (at === undefined) return "";
  const line = text.slice(0, at).split("\n").length;
  return ` at line ${line}`;
}

export function parseYamlText(text: string, file: string): unknown {
  let doc;
  try {
    doc = parseDocument(text, { uniqueKeys: true, strict: true, prettyErrors: true });
  } catch (e) {
    if (e instanceof RangeError) throw new InputError(file, undefined, "nests mappings or lists too deeply to read (thousands of levels); specs are a few levels deep");
    throw new InputError(file, undefined, `is not valid YAML (${(e as Error).message.split("\n")[0]})`);
  }
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem && /call stack/i.test(problem.message)) throw new InputError(file, undefined, "nests mappings or lists too deeply to read (thousands of levels); specs are a few levels deep");
  if (problem) {
    const at = problem.linePos ? ` at line ${problem.linePos[0].line}, column ${problem.linePos[0].col}` : "";
    const what = problem instanceof YAMLParseError ? "is not valid YAML" : "is not plain YAML data";
    throw new InputError(file, undefined, `${what}${at} (${problem.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")})`);
  }
  visit(doc, {
    Node(_key, node: Node) {
      if (node.tag && !ALLOWED_TAGS.has(node.tag)) {
        throw new InputError(file, undefined, `uses the tag ${node.tag.replace(CORE, "!!")}${where(text, node)}; specs are plain data (mappings, lists, text, numbers, true/false, null)`);
      }
    },
  });
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new InputError(file, undefined, `is not valid YAML (${(e as Error).message.split("\n")[0]})`);
  }
  checkPlainData(value, file);
  return value;
}

export function readYaml(path: string): unknown {
  return parseYamlText(readCappedText(path, LIMITS.spec), path);
}
