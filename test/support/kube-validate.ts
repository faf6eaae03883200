/**
 * Strict schema validation of Kubernetes objects, in the test process: what `kubectl apply --validate=strict` checks
 * before anything reaches a cluster. Each object is checked against the Kubernetes 1.30 definitions (built-in kinds)
 * or the pinned operators' CRD schemas (custom kinds), both from `test/upstream/`, plus any CRD among the inputs.
 * "Strict": a field the schema does not declare is an error, unless Kubernetes preserves unknown fields there.
 *
 * Schemas are compiled (Ajv) on first use of a kind and kept for the life of the test worker.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';
import type { JsonObject } from '../../src/core/deep-merge.js';
import type { K8sObject } from './synth.js';
import { kubernetesDefinitions, upstreamCrds, type UpstreamCrd } from './upstream.js';

/** Result of the strict validator (unknown fields are errors, as with kubectl --validate=strict). */
export interface ValidationResult {
  readonly invalid: number;
  /**
   * One `ERROR <id>` block per invalid object, then `kube-validate: N objects, V valid, I invalid, U of unknown kind`
   * (an object of a kind without a schema is invalid, and counted among the U too).
   */
  readonly output: string;
}

type Schema = { [key: string]: unknown };

/**
 * The schema as the API server applies it with strict validation: objects that declare properties reject others
 * (unless `x-kubernetes-preserve-unknown-fields`), int-or-string accepts both, the other `x-kubernetes-*` markers and
 * formats are not checked.
 */
function strict(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strict);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema as Schema)) {
    const isNameMap = key === 'properties' || key === 'definitions' || key === 'patternProperties';
    out[key] = isNameMap ? Object.fromEntries(Object.entries(value as Schema).map(([name, sub]) => [name, strict(sub)])) : strict(value);
  }
  if (out['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    out.anyOf = [{ type: 'string' }, { type: 'integer' }];
  }
  if (out.properties && out.additionalProperties === undefined && out['x-kubernetes-preserve-unknown-fields'] !== true) {
    out.additionalProperties = false;
  }
  for (const key of Object.keys(out)) if (key.startsWith('x-kubernetes-') || key === 'format') delete out[key];
  return out;
}

/**
 * CRD patterns are Go RE2: an inline flag group at the start (`(?i)...` or `^(?i)...`) becomes a JavaScript flag. A
 * pattern JavaScript cannot compile is listed in {@link UNCHECKED_PATTERNS} and not checked, rather than failing every
 * object of its kind.
 */
function re2(pattern: string, flags = ''): RegExp {
  const inline = /^(\^?)\(\?([ims]+)\)/.exec(pattern);
  const jsFlags = inline ? [...new Set(flags + inline[2]!)].join('') : flags;
  try {
    return new RegExp(inline ? inline[1]! + pattern.slice(inline[0].length) : pattern, jsFlags);
  } catch {
    UNCHECKED_PATTERNS.add(pattern);
    return /(?:)/;
  }
}

/** Schema patterns that JavaScript's RegExp cannot compile, met so far in this worker (they are not checked). */
export const UNCHECKED_PATTERNS = new Set<string>();

const OBJECT_META = 'k8s#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/** Keywords whose value is a schema, a list of schemas, or a map of names to schemas. */
const SCHEMA_KEYWORDS = { one: ['items', 'additionalProperties', 'not'], list: ['allOf', 'anyOf', 'oneOf', 'items'], map: ['properties', 'patternProperties'] };

/** Subschemas at least this long (as JSON) are compiled once and referred to (see {@link StrictValidator.shareSubschemas}). */
const SHARED_SUBSCHEMA_MIN_LENGTH = 512;

interface Known {
  readonly source: string;
  readonly schema: Schema;
}

/** The validator of one test worker: the schemas of every known kind, compiled on first use. */
class StrictValidator {
  private readonly ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, code: { regExp: re2 as never } });
  private readonly known = new Map<string, Known>();
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly sharedIds = new Set<string>();

  constructor() {
    const definitions = kubernetesDefinitions();
    this.ajv.addSchema({ $id: 'k8s', definitions: strict(definitions) as Schema });
    for (const [name, definition] of Object.entries(definitions)) {
      for (const gvk of (definition['x-kubernetes-group-version-kind'] ?? []) as { group: string; version: string; kind: string }[]) {
        const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
        if (!this.known.has(`${apiVersion}/${gvk.kind}`)) this.known.set(`${apiVersion}/${gvk.kind}`, { source: 'kubernetes 1.30', schema: { $ref: `k8s#/definitions/${name}` } });
      }
    }
    for (const crd of upstreamCrds()) this.addCrd(crd, `CRD ${crd.metadata.name}`);
  }

  /** Adds (or replaces) the schemas of a CRD's versions. */
  addCrd(crd: UpstreamCrd, source: string): void {
    for (const version of crd.spec.versions) {
      const openApi = version.schema?.openAPIV3Schema;
      if (!openApi) continue;
      const schema = this.shareSubschemas(strict(openApi) as Schema) as Schema & { properties?: Schema };
      // metadata is checked against the real ObjectMeta, not the CRD's bare `type: object`.
      if (schema.properties) schema.properties = { ...schema.properties, metadata: { $ref: OBJECT_META }, apiVersion: { type: 'string' }, kind: { type: 'string' } };
      const key = `${crd.spec.group}/${version.name}/${crd.spec.names.kind}`;
      this.known.set(key, { source, schema });
      this.compiled.delete(key);
    }
  }

  /**
   * CRD schemas repeat large subschemas (KubeRay's RayJob and RayService each embed a RayClusterSpec, which embeds
   * a pod template per worker group): each distinct large subschema is added to Ajv once, under an id made from its
   * content, and referred to, so Ajv compiles it once instead of at every place and in every kind. Validation is the
   * same: a subschema is replaced by a reference to an identical one.
   */
  private shareSubschemas(schema: Schema, top = true): Schema {
    const out: Schema = { ...schema };
    const sub = (value: unknown) => (value !== null && typeof value === 'object' && !Array.isArray(value) ? this.shareSubschemas(value as Schema, false) : value);
    for (const key of SCHEMA_KEYWORDS.one) if (key in out) out[key] = sub(out[key]);
    for (const key of SCHEMA_KEYWORDS.list) if (Array.isArray(out[key])) out[key] = (out[key] as unknown[]).map(sub);
    for (const key of SCHEMA_KEYWORDS.map) {
      if (out[key]) out[key] = Object.fromEntries(Object.entries(out[key] as Schema).map(([name, value]) => [name, sub(value)]));
    }
    const text = JSON.stringify(out);
    if (top || text.length < SHARED_SUBSCHEMA_MIN_LENGTH) return out;
    const id = `urn:kube-validate:${createHash('sha256').update(text).digest('hex')}`;
    if (!this.sharedIds.has(id)) {
      this.ajv.addSchema({ ...out, $id: id });
      this.sharedIds.add(id);
    }
    return { $ref: id };
  }

  /** The schema's source and the object's errors (empty when valid), or undefined when no schema is known for its kind. */
  check(obj: K8sObject): { source: string; errors: string[] } | undefined {
    const key = `${obj.apiVersion}/${obj.kind}`;
    const known = this.known.get(key);
    if (!known) return undefined;
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(known.schema);
      this.compiled.set(key, validate);
    }
    const errors = validate(obj) ? [] : (validate.errors ?? []).slice(0, 20).map((e) => {
      const extra = (e.params as { additionalProperty?: string }).additionalProperty;
      return `${e.instancePath || '/'} ${e.message}${extra ? `: ${extra}` : ''}`;
    });
    return { source: known.source, errors };
  }
}

let shared: StrictValidator | undefined;

/** Validates objects as they would be applied; `where` names their origin in the output. */
function validate(inputs: readonly { obj: unknown; where: string }[]): ValidationResult {
  shared ??= new StrictValidator();
  // CRDs among the inputs (e.g. those a rendered chart ships) count for the objects beside them, in a validator of
  // their own so they do not leak into other tests.
  const crds = inputs.map((i) => i.obj as UpstreamCrd).filter((o) => o?.kind === 'CustomResourceDefinition' && o.apiVersion === 'apiextensions.k8s.io/v1');
  const validator = crds.length ? new StrictValidator() : shared;
  for (const crd of crds) validator.addCrd(crd, 'the inputs');

  const lines: string[] = [];
  let valid = 0, invalid = 0, unknownKind = 0;
  for (const { obj, where } of inputs) {
    const o = obj as K8sObject | null;
    const id = `${o?.apiVersion}/${o?.kind} ${o?.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o?.metadata?.name}`;
    const result =
      !o || typeof o !== 'object' || !o.apiVersion || !o.kind ? { source: 'no kind', errors: ['not a Kubernetes object (apiVersion and kind are required)'] }
      : !o.metadata?.name && !(o.metadata as { generateName?: string } | undefined)?.generateName ? { source: 'no name', errors: ['metadata.name is required'] }
      : validator.check(o);
    if (!result) unknownKind++;
    const { source, errors } = result ?? { source: 'no schema', errors: [`no schema known for ${o!.apiVersion} ${o!.kind} (add the kind to scripts/upstream-data.ts)`] };
    if (errors.length === 0) {
      valid++;
      continue;
    }
    invalid++;
    lines.push(`ERROR ${id} (${where}; ${source})`, ...errors.map((e) => `    ${e}`));
  }
  lines.push(`kube-validate: ${inputs.length} objects, ${valid} valid, ${invalid} invalid, ${unknownKind} of unknown kind`);
  return { invalid, output: lines.join('\n') };
}

/** Every YAML or JSON document under `path` (a file or a directory), in file-name order. */
function documents(path: string): { obj: unknown; where: string }[] {
  if (statSync(path).isDirectory()) return readdirSync(path).sort().flatMap((entry) => documents(join(path, entry)));
  if (!/\.(ya?ml|json)$/.test(path)) return [];
  const where = relative(process.cwd(), path);
  const text = readFileSync(path, 'utf8');
  const parsed: unknown[] = path.endsWith('.json')
    ? [JSON.parse(text)]
    : parseAllDocuments(text).map((doc) => {
      if (doc.errors.length) throw new Error(`${where}: YAML error: ${doc.errors[0]!.message}`);
      return doc.toJS({ maxAliasCount: -1 }) as unknown;
    });
  return parsed
    .filter((d) => d !== null && d !== undefined)
    .flatMap((d) => ((d as JsonObject).kind === 'List' && Array.isArray((d as JsonObject).items) ? ((d as JsonObject).items as unknown[]) : [d]))
    .map((obj) => ({ obj, where }));
}

/** Validates every object in the YAML/JSON files under `path` (a file or a directory), e.g. a synth's dist/. */
export function kubeValidatePath(path: string): ValidationResult {
  return validate(documents(path));
}

/** Validates objects as synthesized (a JSON round trip: what a YAML file of them would hold). */
export function kubeValidate(objects: readonly K8sObject[]): ValidationResult {
  return validate(objects.map((obj, i) => ({ obj: JSON.parse(JSON.stringify(obj)) as unknown, where: `object ${i + 1}` })));
}
