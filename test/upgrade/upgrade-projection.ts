/**
 * What matters when `kubectl apply --server-side -f dist/` of a new version meets the objects of the previous one:
 * - an object the new output no longer has stays in the cluster (apply never deletes): a manual `kubectl delete`;
 * - a field the API server will not change on update (the "immutable" fields below, from the Kubernetes 1.30 API
 *   reference and its validation: apps/v1 selectors, StatefulSet volumeClaimTemplates / serviceName /
 *   podManagementPolicy, a Job's pod template, a Service's clusterIP, a PVC's spec but its storage request, an
 *   RBAC binding's roleRef, an immutable ConfigMap/Secret's data, a Secret's type) makes the apply fail: delete and
 *   re-create;
 * - a field a controller reads as "a different release" (a Flux HelmRelease's release name or namespaces, an Argo CD
 *   Application's destination): the controller uninstalls and installs again — data of the old release included.
 * Everything else converges by the apply itself. Secret values are digested, never kept.
 */
import { createHash } from 'node:crypto';

/** A synthesized Kubernetes object, loosely typed. */
export type ManifestObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; [key: string]: unknown };

/** An object as the upgrade check keeps it. */
export interface ObjectProjection {
  /** sha256 of the object (Secret values included only as their digest). */
  readonly digest: string;
  /** Canonical JSON of the fields an update cannot change, or that make a controller reinstall; absent when none. */
  readonly fixed?: string;
}

/** `<kind> <namespace>/<name>` (cluster-scoped: `<kind> <name>`): how docs/upgrading.md names an object. */
export function objectId(object: ManifestObject): string {
  const { namespace, name } = object.metadata;
  return `${object.kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

type Picker = (object: Record<string, any>) => unknown;

/** Per kind, the fields an in-place update cannot change (or that make a controller reinstall). */
const FIXED_FIELDS: Readonly<Record<string, Picker>> = {
  Deployment: (o) => ({ selector: o.spec?.selector }),
  DaemonSet: (o) => ({ selector: o.spec?.selector }),
  ReplicaSet: (o) => ({ selector: o.spec?.selector }),
  StatefulSet: (o) => ({
    selector: o.spec?.selector,
    serviceName: o.spec?.serviceName,
    podManagementPolicy: o.spec?.podManagementPolicy,
    volumeClaimTemplates: o.spec?.volumeClaimTemplates,
  }),
  Job: (o) => ({ selector: o.spec?.selector, template: o.spec?.template, completionMode: o.spec?.completionMode }),
  Service: (o) => ({ clusterIP: o.spec?.clusterIP, ipFamilies: o.spec?.ipFamilies }),
  PersistentVolumeClaim: (o) => ({ ...o.spec, resources: undefined }),
  RoleBinding: (o) => ({ roleRef: o.roleRef }),
  ClusterRoleBinding: (o) => ({ roleRef: o.roleRef }),
  ConfigMap: (o) => (o.immutable ? { data: o.data, binaryData: o.binaryData } : undefined),
  Secret: (o) => ({ type: o.type, data: o.immutable ? digestValues(o.data, o.stringData) : undefined }),
  CustomResourceDefinition: (o) => ({ scope: o.spec?.scope, group: o.spec?.group }),
  HelmRelease: (o) => ({ releaseName: o.spec?.releaseName, targetNamespace: o.spec?.targetNamespace, storageNamespace: o.spec?.storageNamespace }),
  Application: (o) => ({ destination: o.spec?.destination, releaseName: o.spec?.source?.helm?.releaseName }),
};

/** The projection of every object, by {@link objectId}. */
export function projectObjects(objects: readonly ManifestObject[]): Record<string, ObjectProjection> {
  const projected: Record<string, ObjectProjection> = {};
  for (const object of objects) {
    const id = objectId(object);
    if (projected[id]) throw new Error(`${id} appears twice in the output`);
    const redacted = object.kind === 'Secret' ? { ...object, data: digestValues(object.data, object.stringData), stringData: undefined } : object;
    const fixed = FIXED_FIELDS[object.kind]?.(object as Record<string, any>);
    projected[id] = { digest: sha256(canonical(redacted)), ...(fixed === undefined ? {} : { fixed: canonical(fixed) }) };
  }
  return projected;
}

/** What an upgrade from `before` to `after` changes, and which of the changes need a manual step. */
export interface UpgradeDiff {
  readonly added: string[];
  readonly changed: string[];
  /** Objects the new version no longer writes: apply leaves them behind. */
  readonly removed: string[];
  /** Objects whose fixed fields differ: the apply fails, or a controller reinstalls. */
  readonly fixedChanged: string[];
}

export function diffProjections(before: Record<string, ObjectProjection>, after: Record<string, ObjectProjection>): UpgradeDiff {
  const ids = (o: object) => Object.keys(o).sort();
  const common = ids(after).filter((id) => id in before);
  return {
    added: ids(after).filter((id) => !(id in before)),
    removed: ids(before).filter((id) => !(id in after)),
    changed: common.filter((id) => before[id]!.digest !== after[id]!.digest),
    fixedChanged: common.filter((id) => (before[id]!.fixed ?? null) !== (after[id]!.fixed ?? null)),
  };
}

function digestValues(...maps: unknown[]): Record<string, string> | undefined {
  const entries = maps.flatMap((m) => (m && typeof m === 'object' ? Object.entries(m as Record<string, unknown>) : []));
  if (entries.length === 0) return undefined;
  return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, `sha256:${sha256(String(v))}`]));
}

/** JSON with object keys sorted and undefined members dropped. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
