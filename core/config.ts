/**
 * Config files (YAML or JSON) validated against TypeBox schemas with ajv. One schema source serves
 * config files, API bodies and the OpenAPI document. Every problem is reported with the file, the
 * field path, its line, and what was expected; defaults from the schema are filled in.
 */
import { readFileSync, statSync } from 'node:fs';
import type * as AjvModule from 'ajv';
import type { Ajv, ErrorObject, Options, ValidateFunction } from 'ajv';
import type { Static, TSchema } from '@sinclair/typebox';
import type * as Yaml from 'yaml';
import type { LineCounter, Node, parseDocument } from 'yaml';
import { ConfigError, describeFsError, InputError, type FieldProblem } from './errors.ts';
import { jsonDepth } from './json-depth.ts';
import { onDemand } from './on-demand.ts';
import { cachedValidator } from './validator-cache.ts';

// ajv's compiler and the yaml parser are loaded on first use, not at import: a validator found in
// the cache (validator-cache.ts) needs neither, and a config passed as an object needs no parser.
// Together they were about a fifth of the simulator's import time (`leadtime simulate`, the bench).
const ajvModule = onDemand<typeof AjvModule>('ajv');
// ajv-formats is CommonJS: its plugin is module.exports (and .default)
const ajvFormats = onDemand<(a: Ajv) => Ajv>('ajv-formats');
const yaml = onDemand<typeof Yaml>('yaml');

// code.source: the compiled validators can be written as standalone code (validator-cache.ts)
const AJV_OPTIONS = {
  allErrors: true,
  useDefaults: true,
  strict: false,
  coerceTypes: false,
  code: { source: true },
} satisfies Options;
let ajvInstance: Ajv | null = null;
/** The ajv that compiles validators (with ajv-formats), made when the first one is compiled. */
function compiler(): Ajv {
  if (ajvInstance === null) {
    const { Ajv: AjvClass } = ajvModule();
    ajvInstance = ajvFormats()(new AjvClass(AJV_OPTIONS));
  }
  return ajvInstance;
}
const lazyAjv = { opts: AJV_OPTIONS, instance: compiler };
const compiled = new WeakMap<TSchema, ValidateFunction>();

function validatorFor(schema: TSchema): ValidateFunction {
  let v = compiled.get(schema);
  if (!v) {
    v = cachedValidator(lazyAjv, schema).validate;
    compiled.set(schema, v);
  }
  return v;
}

/** `/pools/engineers/size` -> `pools.engineers.size`, `/arrivals/0/poisson` -> `arrivals[0].poisson`. */
export function pointerToField(pointer: string): string {
  if (!pointer) return '';
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
}

function describeError(e: ErrorObject): { field: string; expected: string } {
  const base = e.instancePath;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return {
        field: pointerToField(`${base}/${String(p.missingProperty)}`),
        expected: 'a value (required field is missing)',
      };
    case 'additionalProperties':
      return {
        field: pointerToField(`${base}/${String(p.additionalProperty)}`),
        expected: `no such field (unknown key "${String(p.additionalProperty)}")`,
      };
    case 'type':
      return { field: pointerToField(base), expected: `type ${String(p.type)}` };
    case 'enum':
      return {
        field: pointerToField(base),
        expected: `one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'const':
      return { field: pointerToField(base), expected: JSON.stringify(p.allowedValue) };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { field: pointerToField(base), expected: `a number ${String(p.comparison)} ${String(p.limit)}` };
    case 'pattern':
      return { field: pointerToField(base), expected: `text matching ${String(p.pattern)}` };
    case 'minItems':
      return { field: pointerToField(base), expected: `at least ${String(p.limit)} item(s)` };
    case 'maxItems':
      return { field: pointerToField(base), expected: `at most ${String(p.limit)} item(s)` };
    case 'minLength':
      return { field: pointerToField(base), expected: `text of at least ${String(p.limit)} character(s)` };
    case 'minProperties': {
      // a described object (a distribution spec) says what it wants; a plain map wants entries
      const desc = (e.parentSchema as { description?: string } | undefined)?.description;
      return {
        field: pointerToField(base),
        expected: desc ?? `at least ${String(p.limit)} entr${p.limit === 1 ? 'y' : 'ies'}`,
      };
    }
    case 'maxProperties':
    case 'anyOf':
    case 'oneOf': {
      const desc = (e.parentSchema as { description?: string } | undefined)?.description;
      return { field: pointerToField(base), expected: desc ?? e.message ?? e.keyword };
    }
    default:
      return { field: pointerToField(base), expected: e.message ?? e.keyword };
  }
}

function valueAt(root: unknown, pointer: string): unknown {
  let cur: unknown = root;
  for (const part of pointer.split('/').slice(1)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** Turns ajv errors into field problems, dropping anyOf noise when a branch-specific error exists. */
export function problemsFrom(
  errors: ErrorObject[],
  root: unknown,
  lineOf?: (pointer: string) => number | undefined,
): FieldProblem[] {
  const seen = new Set<string>();
  const problems: FieldProblem[] = [];
  // A failed union (anyOf) also reports each branch's own complaint at the same path; the union's
  // description says what was expected in one line, so the branch errors are dropped.
  const unions = new Set(
    errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => e.instancePath),
  );
  for (const e of errors) {
    if (unions.has(e.instancePath) && e.keyword !== 'anyOf' && e.keyword !== 'oneOf') continue;
    const described = describeError(e);
    const { field } = described;
    let { expected } = described;
    if (
      (e.keyword === 'anyOf' || e.keyword === 'oneOf') &&
      !(e.parentSchema as { description?: string } | undefined)?.description
    ) {
      // no description: say what each branch wanted
      const branches = errors.filter(
        (b) => b.instancePath === e.instancePath && b !== e && b.keyword !== 'anyOf' && b.keyword !== 'oneOf',
      );
      expected = [...new Set(branches.map((b) => describeError(b).expected))].join(' or ') || expected;
    }
    const key = `${field}|${e.keyword}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // an unknown key is located at the key itself; a missing one at the object that lacks it
    const unknownKey = e.keyword === 'additionalProperties';
    const pointer = unknownKey ? `${e.instancePath}/${String(e.params.additionalProperty)}` : e.instancePath;
    const got = unknownKey || e.keyword === 'required' ? undefined : valueAt(root, e.instancePath);
    problems.push({
      field,
      expected,
      got: got !== null && typeof got === 'object' ? undefined : got,
      line: lineOf?.(pointer),
    });
  }
  return problems;
}

/** Validates a parsed value (an API body, a config object) and returns it typed, defaults applied. */
export function validate<T extends TSchema>(
  schema: T,
  value: unknown,
  source: string,
  lineOf?: (pointer: string) => number | undefined,
): Static<T> {
  const check = validatorFor(schema);
  if (!check(value)) throw new ConfigError(source, problemsFrom(check.errors ?? [], value, lineOf));
  return value as Static<T>;
}

/** Largest config text accepted, characters: configs are hand-written, so this is far above any real one. */
export const MAX_CONFIG_CHARS = 4 * 1024 * 1024;
/**
 * Most alias expansions a config may make. YAML aliases can reference collections that hold
 * aliases, so a few lines can expand exponentially ("billion laughs"); a hand-written config uses a
 * handful.
 */
export const MAX_CONFIG_ALIASES = 100;
/** Deepest nesting of collections accepted; deeper documents would overflow the stack while converting. */
export const MAX_CONFIG_DEPTH = 64;

/** Nesting depth of the document's collections, iteratively (a deep document must not overflow the stack here). */
function depthOf(root: unknown): number {
  const { isMap, isSeq } = yaml();
  let max = 0;
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth > max) max = depth;
    if (max > MAX_CONFIG_DEPTH) return max;
    for (const item of node.items as unknown[]) {
      if (isMap(node)) {
        const pair = item as { key: unknown; value: unknown };
        stack.push([pair.key, depth + 1], [pair.value, depth + 1]);
      } else stack.push([item, depth + 1]);
    }
  }
  return max;
}

/**
 * Parses YAML or JSON text (JSON is YAML) and keeps a way to find the line of any field. Size,
 * nesting and alias expansion are bounded, so a hostile file is an InputError naming it, never a
 * stack trace or an exhausted memory.
 */
export function parseConfigText(
  text: string,
  source: string,
): { value: unknown; lineOf: (pointer: string) => number | undefined } {
  if (text.length > MAX_CONFIG_CHARS)
    throw new InputError(
      `${source}: ${text.length} characters, over the ${MAX_CONFIG_CHARS}-character limit for a config file`,
    );
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // flow collections ([...] / {...}) nest without indentation; the parser recurses on them
  if (jsonDepth(text, MAX_CONFIG_DEPTH) > MAX_CONFIG_DEPTH)
    throw new InputError(`${source}: nested more than ${MAX_CONFIG_DEPTH} levels deep; not a config file`);
  const { LineCounter: Counter, parseDocument: parse, isMap, isSeq } = yaml();
  const counter: LineCounter = new Counter();
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parse(text, { lineCounter: counter, prettyErrors: true });
  } catch (err) {
    throw new InputError(`${source}: not valid YAML/JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const line = e.linePos?.[0]?.line;
    throw new InputError(
      `${source}${line ? `:${line}` : ''}: not valid YAML/JSON: ${e.message.split('\n')[0]}`,
    );
  }
  const lineOf = (pointer: string): number | undefined => {
    let node: unknown = doc.contents;
    for (const part of pointer.split('/').slice(1)) {
      if (isMap(node)) node = node.get(part, true);
      else if (isSeq(node)) node = node.get(Number(part), true);
      else return undefined;
    }
    const range = (node as Node | undefined)?.range;
    return range ? counter.linePos(range[0]).line : undefined;
  };
  if (depthOf(doc.contents) > MAX_CONFIG_DEPTH)
    throw new InputError(`${source}: nested more than ${MAX_CONFIG_DEPTH} levels deep; not a config file`);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_CONFIG_ALIASES });
  } catch (err) {
    // the yaml package throws ReferenceError for unresolved aliases and for alias counts over the limit
    const why = (err as Error).message.split('\n')[0];
    throw new InputError(
      `${source}: not a usable config: ${why} (aliases: at most ${MAX_CONFIG_ALIASES} expansions, each naming an anchor defined before it)`,
    );
  }
  return { value, lineOf };
}

/** Reads, parses and validates a YAML or JSON config file; errors name the file, field and line. */
export function loadConfigFile<T extends TSchema>(file: string, schema: T): Static<T> {
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > MAX_CONFIG_CHARS * 4)
      throw new InputError(`${file}: ${size} bytes, over the limit for a config file`);
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`${file}: cannot read config file: ${describeFsError(err)}`);
  }
  const { value, lineOf } = parseConfigText(text, file);
  return validate(schema, value ?? {}, file, lineOf);
}
