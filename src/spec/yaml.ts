/** YAML files as plain data (no custom tags, duplicate keys rejected). */
import { parse, YAMLParseError } from "yaml";
import { InputError } from "../errors.js";
import { readText } from "../models/load.js";

export function readYaml(path: string): unknown {
  const text = readText(path);
  try {
    return parse(text, { uniqueKeys: true, strict: true, maxAliasCount: 100 });
  } catch (e) {
    if (e instanceof YAMLParseError) {
      const at = e.linePos ? ` at line ${e.linePos[0].line}, column ${e.linePos[0].col}` : "";
      throw new InputError(path, undefined, `is not valid YAML${at} (${e.message.split("\n")[0]})`);
    }
    throw new InputError(path, undefined, `is not valid YAML (${(e as Error).message.split("\n")[0]})`);
  }
}
