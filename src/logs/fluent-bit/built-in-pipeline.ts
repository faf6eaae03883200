/**
 * The pipeline FluentBitPipeline builds unless told otherwise: its inputs (container logs, kubelet and containerd
 * units, kernel messages), filters (Kubernetes metadata, a common shape for node logs) and OpenSearch output, and
 * how pieces of your own replace, remove or add to them.
 * @module
 */
import {
  type ClusterFilterSpec,
  ClusterFilterSpecFiltersNestOperation,
  type ClusterInputSpec,
  ClusterInputSpecSystemdDbSync,
  ClusterInputSpecSystemdReadFromTail,
  ClusterInputSpecSystemdStorageType,
  ClusterInputSpecSystemdStripUnderscores,
  ClusterInputSpecSystemdSystemdFilterType,
  ClusterInputSpecTailDbSync,
  ClusterInputSpecTailStorageType,
  type ClusterOutputSpec,
} from '../../../imports/fluentbit.fluent.io.js';
import type { OpenSearchTarget } from '../../core/opensearch-target.js';
import { propError } from '../../core/prop-error.js';
import { LOG_FIELDS, LOG_SOURCES, type LogSource } from '../log-fields.js';

/** Names of the built-in pipeline pieces: the keys FluentBitPipeline's `inputs`, `filters`, `outputs` and `parsers` replace or remove. */
export const BUILT_IN_PIPELINE = {
  inputs: ['containers', 'systemd', 'kernel'],
  filters: ['containers', 'systemd', 'kernel'],
  outputs: ['opensearch'],
  parsers: [] as string[],
} as const;

/**
 * Buffer of the kubernetes filter's API client (`Buffer_Size`): above the largest object the API server stores
 * (etcd's default request limit, 1.5 MiB), so no pod's metadata is cut off.
 */
export const KUBERNETES_FILTER_BUFFER_SIZE = '2M';

/** Ordinal of the built-in filters; give yours a higher one to run after the Kubernetes metadata is added. */
export const BUILT_IN_FILTER_ORDINAL = 10;

/** Tags of the built-in inputs: container logs `kube.*`, node logs `node.systemd` and `node.kernel`. */
export const LOG_TAGS = { containers: 'kube.*', systemd: 'node.systemd', kernel: 'node.kernel' } as const;

/** Matches every tag of the built-in inputs (use it as `matchRegex` of an extra output that wants all logs). */
export const LOG_TAG_REGEX = '^(kube|node)\\..*';

/** Pipeline pieces by name: a spec adds or replaces the piece of that name, `null` removes a built-in one. */
export type PipelinePieces<S> = Readonly<Record<string, S | null>>;

const PIECE = /^(?=.{1,20}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Built-in pieces merged with the user's: built-ins first in their order, then additions sorted by name. */
export function mergePieces<S>(kind: string, builtIn: Record<string, S>, user: PipelinePieces<S> | undefined): Array<[string, S]> {
  const pieces = new Map(Object.entries(builtIn));
  const added: string[] = [];
  for (const [name, spec] of Object.entries(user ?? {})) {
    if (!PIECE.test(name)) throw propError([kind, name], `not allowed as a name: use at most 20 lower-case letters, digits and '-'`);
    if (spec === null) {
      if (!pieces.has(name)) throw propError([kind, name], `null removes a built-in piece, but there is none of that name; built-in: ${Object.keys(builtIn).join(', ') || 'none'}`);
      pieces.delete(name);
    } else {
      if (!pieces.has(name)) added.push(name);
      pieces.set(name, spec);
    }
  }
  const order = [...Object.keys(builtIn), ...added.sort()];
  return order.filter((name) => pieces.has(name)).map((name) => [name, pieces.get(name)!]);
}

/** Where the built-in inputs read. */
export interface BuiltInInputOptions {
  /** Name of the pipeline (its own container logs are not read back). */
  readonly pipelineName: string;
  /** Namespace of the Fluent Bit pods. */
  readonly namespace: string;
  readonly containerLogPath?: string;
  readonly journalPath?: string;
  readonly systemdUnits?: readonly string[];
}

/** The built-in inputs: container logs (tail, CRI), the named systemd units and kernel messages from the journal. */
export function builtInInputs(props: BuiltInInputOptions): Record<string, ClusterInputSpec> {
  const journalPath = props.journalPath ?? '/var/log/journal';
  const units = props.systemdUnits ?? ['kubelet.service', 'containerd.service'];
  for (const unit of units) {
    if (!/^[A-Za-z0-9:_.@-]+\.(service|socket|scope|slice)$/.test(unit)) throw propError('systemdUnits', `${JSON.stringify(unit)} is not a systemd unit name such as kubelet.service`);
  }
  const journal = (tag: string, db: string, filters: string[], type: ClusterInputSpecSystemdSystemdFilterType) => ({
    systemd: {
      tag,
      path: journalPath,
      db: `/fluent-bit/tail/${db}.db`,
      dbSync: ClusterInputSpecSystemdDbSync.NORMAL,
      readFromTail: ClusterInputSpecSystemdReadFromTail.ON,
      stripUnderscores: ClusterInputSpecSystemdStripUnderscores.ON,
      systemdFilter: filters,
      systemdFilterType: type,
      storageType: ClusterInputSpecSystemdStorageType.FILESYSTEM,
    },
  });
  return {
    containers: {
      alias: 'containers',
      tail: {
        tag: LOG_TAGS.containers,
        path: props.containerLogPath ?? '/var/log/containers/*.log',
        // Not Fluent Bit's own output: its complaints about an unreachable OpenSearch would pile up in the buffer.
        excludePath: `/var/log/containers/${props.pipelineName}-*_${props.namespace}_*.log`,
        multilineParser: 'cri',
        db: '/fluent-bit/tail/containers.db',
        dbSync: ClusterInputSpecTailDbSync.NORMAL,
        memBufLimit: '50MB',
        skipLongLines: true,
        refreshIntervalSeconds: 10,
        storageType: ClusterInputSpecTailStorageType.FILESYSTEM,
      },
    },
    systemd: { alias: 'systemd', ...journal(LOG_TAGS.systemd, 'systemd', units.map((u) => `_SYSTEMD_UNIT=${u}`), ClusterInputSpecSystemdSystemdFilterType.OR) },
    kernel: { alias: 'kernel', ...journal(LOG_TAGS.kernel, 'kernel', ['_TRANSPORT=kernel'], ClusterInputSpecSystemdSystemdFilterType.AND) },
  };
}

/**
 * The built-in filters: Kubernetes metadata and the source on container logs, the common log fields on node logs,
 * and on every record the cluster it comes from (when `clusterName` is given).
 */
export function builtInFilters(clusterName?: string): Record<string, ClusterFilterSpec> {
  const cluster = clusterName === undefined ? [] : [{ set: { [LOG_FIELDS.cluster]: clusterName } }];
  const source = (s: LogSource) => ({ modify: { rules: [{ set: { [LOG_FIELDS.source]: s } }, ...cluster] } });
  // Node records: the journal's fields (underscores stripped) renamed to the common log fields, the host name
  // nested as kubernetes.host so one field filters by node in every record.
  const node = (s: LogSource, tag: string): ClusterFilterSpec => ({
    match: tag,
    ordinal: BUILT_IN_FILTER_ORDINAL,
    filters: [
      {
        modify: {
          rules: [
            { set: { [LOG_FIELDS.source]: s } },
            ...cluster,
            { rename: { MESSAGE: LOG_FIELDS.message } },
            { rename: { SYSTEMD_UNIT: LOG_FIELDS.systemdUnit } },
            { rename: { PRIORITY: LOG_FIELDS.priority } },
            { rename: { SYSLOG_IDENTIFIER: LOG_FIELDS.syslogIdentifier } },
            { rename: { HOSTNAME: 'host' } },
          ],
        },
      },
      { nest: { operation: ClusterFilterSpecFiltersNestOperation.NEST, wildcard: ['host'], nestUnder: 'kubernetes' } },
    ],
  });
  return {
    containers: {
      match: LOG_TAGS.containers,
      ordinal: BUILT_IN_FILTER_ORDINAL,
      filters: [
        {
          kubernetes: {
            kubeUrl: 'https://kubernetes.default.svc:443',
            kubeCaFile: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
            kubeTokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token',
            kubeTagPrefix: 'kube.var.log.containers.',
            labels: true,
            annotations: false,
            // JSON log lines stay a string in `log`: merged keys from every application would collide.
            mergeLog: false,
            keepLog: true,
            // Pods can opt out with the annotation fluentbit.io/exclude: "true".
            k8SLoggingExclude: true,
            // The pod's API object is read whole, managedFields included: Fluent Bit 5.1's default 32K
            // (plugins/filter_kubernetes/kubernetes.c, `buffer_size`) fails on large Ray/vLLM pod specs, and their
            // records ship without namespace and pod. The API server caps an object at etcd's 1.5 MiB request
            // limit, so this buffer holds any pod.
            bufferSize: KUBERNETES_FILTER_BUFFER_SIZE,
          },
        },
        source(LOG_SOURCES.container),
      ],
    },
    systemd: node(LOG_SOURCES.systemd, LOG_TAGS.systemd),
    kernel: node(LOG_SOURCES.kernel, LOG_TAGS.kernel),
  };
}

/** What the built-in OpenSearch output writes to, and with which credentials and limits. */
export interface BuiltInOutputOptions {
  readonly openSearch: OpenSearchTarget;
  /** Prefix of the data streams, `<prefix><source>`. */
  readonly dataStreamPrefix: string;
  /** Secret with the keys `username` and `password` of the log writer. */
  readonly credentialsSecret: string;
  readonly retryLimit: number | 'no_limits';
  readonly bufferLimit: string;
  readonly insecureSkipTlsVerify?: boolean;
}

/** The built-in output: one OpenSearch data stream per log source, TLS verified against the target's CA. */
export function builtInOutputs(props: BuiltInOutputOptions): Record<string, ClusterOutputSpec> {
  const target = props.openSearch;
  const secretRef = (key: string) => ({ valueFrom: { secretKeyRef: { name: props.credentialsSecret, key } } });
  return {
    opensearch: {
      alias: 'opensearch',
      matchRegex: LOG_TAG_REGEX,
      retryLimit: String(props.retryLimit),
      opensearch: {
        host: target.host,
        port: target.port,
        // One data stream per source (logs-container, logs-systemd, logs-kernel), under the target's pattern.
        index: `${props.dataStreamPrefix}$${LOG_FIELDS.source}`,
        writeOperation: 'create',
        // Idempotent retries: a rejected item (429) makes Fluent Bit resend the whole chunk; with an id hashed from
        // the record (out_opensearch/opensearch.c: cfl_hash_128bits over the packed record, timestamp included)
        // the items already stored come back as 409, which the output does not count as an error. Nanosecond
        // timestamps keep two identical lines of one container apart unless they share the nanosecond.
        generateId: true,
        timeKeyNanos: true,
        suppressTypeName: true,
        replaceDots: true,
        httpUser: secretRef('username'),
        httpPassword: secretRef('password'),
        tls: {
          verify: !(props.insecureSkipTlsVerify ?? false),
          vhost: target.host,
          ...(target.caSecret ? { caFile: '/fluent-bit/opensearch-ca/ca.crt' } : {}),
        },
        totalLimitSize: props.bufferLimit,
        bufferSize: '4M',
        traceError: true,
        workers: 2,
      },
    },
  };
}
