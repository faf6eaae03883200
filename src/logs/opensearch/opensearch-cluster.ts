import { k8s } from 'cdk8s-plus-30';
import { Construct } from 'constructs';
import {
  OpenSearchCluster as OpenSearchClusterResource,
  OpenSearchClusterSpecBootstrapResourcesLimits as BootstrapLimit,
  OpenSearchClusterSpecBootstrapResourcesRequests as BootstrapRequest,
  OpenSearchClusterSpecDashboardsResourcesLimits as DashboardsLimit,
  OpenSearchClusterSpecDashboardsResourcesRequests as DashboardsRequest,
  OpenSearchClusterSpecInitHelperResourcesLimits as InitHelperLimit,
  OpenSearchClusterSpecInitHelperResourcesRequests as InitHelperRequest,
  OpenSearchClusterSpecNodePoolsResourcesLimits as NodeLimit,
  OpenSearchClusterSpecNodePoolsResourcesRequests as NodeRequest,
  OpenSearchClusterSpecSecurityConfigUpdateJobResourcesLimits as JobLimit,
  OpenSearchClusterSpecSecurityConfigUpdateJobResourcesRequests as JobRequest,
  OpensearchRole,
  OpensearchUser,
} from '../../../imports/opensearch.opster.io.js';
import { DEFAULT_NAMESPACE, type ChartComponentProps } from '../../core/component-props.js';
import { BCRYPT_COST, deterministicBcryptHash } from '../../core/bcrypt.js';
import { type CredentialStore, requireCredentialStore } from '../../core/credential-store.js';
import { UPSTREAM_CHARTS, type UpstreamChartRelease } from '../../core/upstream-chart.js';
import { LOG_BACKING_INDEX_PATTERN, LOG_INDEX_PATTERN, LOG_SOURCES, logDataStream } from '../log-fields.js';
import { LogStreamBootstrap } from './log-stream-bootstrap.js';
import { CertificateExpiryCheck } from './certificate-expiry-check.js';
import { type OpenSearchCertManagerProps, OpenSearchCertificates } from './opensearch-certificates.js';
import { LogIndexLifecycle } from './log-index-lifecycle.js';
import { OpenSearchSnapshots, type OpenSearchSnapshotsProps } from './opensearch-snapshots.js';
import { withinProp } from '../../core/prop-error.js';
import { checkOpenSearchClusterProps, DASHBOARDS_SERVER_USERNAME, memoryBytes, OPENSEARCH_CLUSTER_DEFAULTS } from './opensearch-cluster-checks.js';
import { ADMIN_BACKEND_ROLE, internalUsersYaml, rolesMappingYaml } from './opensearch-security.js';
import type { OpenSearchTarget } from '../../core/opensearch-target.js';
import { deepMerge, type JsonObject } from '../../core/deep-merge.js';
import type { NetworkPort } from '../../core/network-access.js';
import type { PodSecurityNeed } from '../../core/pod-security.js';

/**
 * The OpenSearch pods' ports: HTTP (REST) and transport (node to node), as the operator names the container ports
 * (opensearch-k8s-operator v2.8.0 pkg/builders/cluster.go); and the Dashboards port.
 */
export const OPENSEARCH_PORTS = {
  nodes: [{ name: 'http', port: 9200 }, { name: 'transport', port: 9300 }],
  dashboards: [{ name: 'http', port: 5601 }],
} as const satisfies Record<string, readonly NetworkPort[]>;

/** uid and gid of the OpenSearch and Dashboards images (the operator's init container chowns the data to 1000:1000). */
const OPENSEARCH_UID = 1000;

export {
  DASHBOARDS_SERVER_USERNAME,
  DEFAULT_OPENSEARCH_VERSION,
  OPENSEARCH_CLUSTER_DEFAULTS,
} from './opensearch-cluster-checks.js';

/**
 * Image the operator runs the nodes with: `docker.io/opensearchproject/opensearch:<version>`
 * (opensearch-k8s-operator 2.8.0 `pkg/helpers/reconcile-helpers.go`, ResolveImage). The log-stream Jobs use it too.
 */
export const OPENSEARCH_IMAGE_REPOSITORY = 'docker.io/opensearchproject/opensearch';

/** Keys of every credentials Secret (the operator's `adminCredentialsSecret` format, also basic-auth's). */
export const OPENSEARCH_CREDENTIALS_KEYS = { username: 'username', password: 'password' } as const;

/** Key of the security config Secret holding the internal users. */
export const INTERNAL_USERS_KEY = 'internal_users.yml';

/**
 * Key of the security config Secret holding the roles mapping ({@link rolesMappingYaml}). The operator's
 * securityconfig-update job applies each file present in the Secret, and only those (opensearch-k8s-operator 2.8.0
 * `pkg/reconcilers/securityconfig.go`, BuildCmdArg).
 */
export const ROLES_MAPPING_KEY = 'roles_mapping.yml';

/**
 * Cluster and index permissions of the log writer (Fluent Bit): bulk-create documents in the existing log data
 * streams, nothing else. It cannot create an index or a data stream: a bulk write to a missing `logs-container` is
 * authorised as `indices:admin/create` and, before the index template exists, would make a plain index that can never
 * become a data stream or roll over. The streams are created by the admin's bootstrap Job
 * ({@link LogStreamBootstrap}); until then the writes fail with 403 and Fluent Bit keeps them in its buffer.
 */
export const LOG_WRITER_PERMISSIONS = {
  cluster: ['indices:data/write/bulk'],
  index: ['index'],
} as const;

/** Cluster and index permissions of the log reader (Grafana): search, mappings, PPL; no writes, no cluster state. */
export const LOG_READER_PERMISSIONS = {
  cluster: ['cluster_composite_ops_ro', 'cluster:monitor/main', 'cluster:admin/opensearch/ppl'],
  index: ['read', 'indices:admin/mappings/get'],
} as const;

/** Users of the cluster. Passwords come from here or, when absent, from the credential store. */
export interface OpenSearchUsersProps {
  /**
   * Name of the admin user (backend role `admin`, so `all_access`); the operator uses it too.
   * @default {@link OPENSEARCH_CLUSTER_DEFAULTS}.adminUsername
   */
  readonly adminUsername?: string;
  /**
   * Admin password (at least 12 characters). Never a default.
   * @default generated once and kept in the credential store
   */
  readonly adminPassword?: string;
  /**
   * Password of the Dashboards server user `kibanaserver` (at least 12 characters).
   * @default generated once and kept in the credential store
   */
  readonly dashboardsPassword?: string;
  /**
   * Name of the least-privilege user Fluent Bit writes logs as (an OpensearchUser resource of that name).
   * @default "<clusterName>-log-writer"
   */
  readonly logWriterUsername?: string;
  /**
   * Name of the read-only user Grafana searches logs as (an OpensearchUser resource of that name).
   * @default "<clusterName>-log-reader"
   */
  readonly logReaderUsername?: string;
}

/** The data nodes: one pool of cluster-manager + data nodes. */
export interface OpenSearchNodesProps {
  /**
   * Number of nodes (cluster-manager and data); 3 keeps a quorum through the loss of one.
   * @default {@link OPENSEARCH_CLUSTER_DEFAULTS}.nodes
   */
  readonly replicas?: number;
  /**
   * Volume size of each node.
   * @default {@link OPENSEARCH_CLUSTER_DEFAULTS}.nodes
   */
  readonly diskSize?: string;
  /**
   * Storage class of the volumes.
   * @default the cluster's default storage class
   */
  readonly storageClass?: string;
  /**
   * CPU of each node (request = limit).
   * @default {@link OPENSEARCH_CLUSTER_DEFAULTS}.nodes
   */
  readonly cpu?: string;
  /**
   * Memory of each node (request = limit); the JVM heap is half of it (at least 512Mi).
   * @default {@link OPENSEARCH_CLUSTER_DEFAULTS}.nodes
   */
  readonly memory?: string;
}

/** OpenSearch Dashboards. */
export interface OpenSearchDashboardsProps {
  /** Deploy Dashboards. @default true */
  readonly enabled?: boolean;
  /** Replicas. @default 1 */
  readonly replicas?: number;
  /** CPU (request = limit). @default "500m" */
  readonly cpu?: string;
  /** Memory (request = limit). @default "1Gi" */
  readonly memory?: string;
}

/** Props of {@link OpenSearchCluster}. */
export interface OpenSearchClusterProps extends ChartComponentProps {
  /**
   * Name of the OpenSearchCluster resource, its Service (`<name>.<namespace>.svc`) and the prefix of everything the
   * operator creates for it.
   * @default {@link OPENSEARCH_CLUSTER_DEFAULTS}.clusterName
   */
  readonly clusterName?: string;
  /**
   * OpenSearch and Dashboards version.
   * @default {@link DEFAULT_OPENSEARCH_VERSION}
   */
  readonly version?: string;
  /**
   * Helm release name of the operator.
   * @default {@link OPENSEARCH_CLUSTER_DEFAULTS}.releaseName
   */
  readonly releaseName?: string;
  /** The node pool. @default 3 nodes, 30Gi, 2 CPU / 4Gi (heap 2g) */
  readonly nodes?: OpenSearchNodesProps;
  /** Dashboards. @default one replica, 500m / 1Gi */
  readonly dashboards?: OpenSearchDashboardsProps;
  /** Snapshots of the log data streams to an S3 bucket on a schedule. @default none */
  readonly snapshots?: OpenSearchSnapshotsProps;
  /** User names and passwords. @default admin "admin", generated passwords */
  readonly users?: OpenSearchUsersProps;
  /**
   * Keep every secret out of the synthesized output (GitOps): no Secret holding a password or hash is emitted, and
   * these Secrets, created by you in the cluster's namespace (External Secrets, SOPS, Vault...), are used instead:
   * - `<existingSecret>-admin-credentials`: keys `username`, `password` (the admin user);
   * - `<existingSecret>-dashboards-credentials`: keys `username` (`kibanaserver`), `password`;
   * - `<existingSecret>-security-config`: key `internal_users.yml` with both users' bcrypt hashes (other security
   *   plugin files optional);
   * - `<existingSecret>-log-writer-credentials` and `<existingSecret>-log-reader-credentials`: keys `username`
   *   (the log writer / reader user names) and `password`.
   * Cannot be combined with passwords in {@link users}.
   * @default none: the Secrets are emitted, named `<clusterName>-...`
   */
  readonly existingSecret?: string;
  /**
   * Days log records are kept before their index is deleted.
   * @default 7 ({@link LOG_INDEX_LIFECYCLE_DEFAULTS})
   */
  readonly retentionDays?: number;
  /**
   * Age at which a log data stream's write index is rolled over.
   * @default "1d"
   */
  readonly rolloverAge?: string;
  /**
   * TLS certificates from cert-manager (renewed) instead of the operator's (valid one year, never renewed; a
   * CronJob then checks their expiry).
   * @default operator-generated certificates
   */
  readonly certManager?: OpenSearchCertManagerProps;
  /**
   * Let the operator raise `vm.max_map_count` to 262144 on the nodes it runs on, through a privileged init
   * container: the stack's namespace then needs the `privileged` Pod Security level. Off, OpenSearch is told not
   * to memory-map its index files (`node.store.allow_mmap: false`, which also lifts its bootstrap check of
   * `vm.max_map_count`), so its pods run under `restricted`; searches read files through the page cache instead.
   * @default false
   */
  readonly setVmMaxMapCount?: boolean;
}

/**
 * The security plugin's setting that reloads changed certificate files (ConfigConstants
 * SECURITY_SSL_CERTIFICATES_HOT_RELOAD_ENABLED, present since security plugin 2.19.0.0).
 */
export const CERTIFICATES_HOT_RELOAD_SETTING = 'plugins.security.ssl.certificates_hot_reload.enabled';
const HOT_RELOAD_SINCE = '2.19.0';

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** Component name of the node pool: the StatefulSet is `<cluster>-nodes`. */
const NODE_POOL_COMPONENT = 'nodes';

/** JVM options with a fixed heap of half the container memory. */
function halfHeap(memory: string): string {
  const mebibytes = Math.floor(memoryBytes(memory) / 2 / 2 ** 20);
  return `-Xms${mebibytes}M -Xmx${mebibytes}M`;
}

function quantities<T>(from: (value: string) => T, cpu: string, memory: string): { [key: string]: T } {
  return { cpu: from(cpu), memory: from(memory) };
}

/**
 * Log storage: the opensearch-operator 2.8.0 chart (CRDs and operator, through the chart delivery) and an
 * `OpenSearchCluster` with Dashboards, TLS on transport and HTTP generated by the operator, persistent node
 * volumes, and no default credential anywhere.
 *
 * Users: the admin (for the operator and people), `kibanaserver` (Dashboards), and two least-privilege users managed
 * through the operator's OpensearchUser/OpensearchRole resources: a log writer (Fluent Bit: bulk-create into
 * `logs-*` only) and a log reader (Grafana: search only). Passwords come from props or the credential store; the
 * security config carries bcrypt hashes of the admin and Dashboards passwords (see {@link deterministicBcryptHash}
 * for why their salts are derived). With {@link OpenSearchClusterProps.existingSecret} nothing secret is emitted.
 *
 * Retention: an index template makes every `logs-*` index a data stream with the log mappings, and an ISM policy
 * rolls them over and deletes them after `retentionDays` ({@link LogIndexLifecycle}).
 *
 * The operator chart and the Secrets go to `setupScope`; the custom resources to this construct's chart.
 */
export class OpenSearchCluster extends Construct implements OpenSearchTarget {
  public readonly namespace: string;
  public readonly clusterName: string;
  public readonly host: string;
  public readonly port: number = OPENSEARCH_PORTS.nodes[0].port;
  public readonly url: string;
  public readonly caSecret: { readonly name: string; readonly key: string };
  public readonly logIndexPattern = LOG_INDEX_PATTERN;
  public readonly logBackingIndexPattern = LOG_BACKING_INDEX_PATTERN;
  public readonly podSelectorLabels: Readonly<Record<string, string>>;
  public readonly adminCredentialsSecret: { readonly name: string };
  /** OpenSearch and Dashboards version. */
  public readonly version: string;
  /** Name of the admin user. */
  public readonly adminUsername: string;
  /** Secret with the admin's `username` and `password` (the operator's `adminCredentialsSecret`). */
  public readonly adminCredentialsSecretName: string;
  /** Secret with the Dashboards server user's `username` and `password`. */
  public readonly dashboardsCredentialsSecretName: string;
  /** Secret with the security plugin's `internal_users.yml` (the operator's `securityConfigSecret`). */
  public readonly securityConfigSecretName: string;
  /** Name of the log writer user (Fluent Bit). */
  public readonly logWriterUsername: string;
  /** Secret with the log writer's `username` and `password`. */
  public readonly logWriterSecretName: string;
  /** Name of the log reader user (Grafana). */
  public readonly logReaderUsername: string;
  /** Secret with the log reader's `username` and `password`. */
  public readonly logReaderSecretName: string;
  /** Every user this cluster is given (and the roles named after them): admin, Dashboards server, log writer, log reader. */
  public get usernames(): readonly string[] {
    return [this.adminUsername, DASHBOARDS_SERVER_USERNAME, this.logWriterUsername, this.logReaderUsername];
  }
  /** Service of OpenSearch Dashboards (HTTPS, port {@link dashboardsPort}), when enabled. */
  public readonly dashboardsServiceName?: string;
  /** Port of the Dashboards Service. */
  public readonly dashboardsPort: number = OPENSEARCH_PORTS.dashboards[0].port;
  /** Index template and ISM policy of the log data streams. */
  public readonly lifecycle: LogIndexLifecycle;
  /** Scheduled snapshots to S3, when {@link OpenSearchClusterProps.snapshots} asks for them. */
  public readonly snapshots?: OpenSearchSnapshots;
  /** The Job that creates the log data streams once template and policy exist, and the CronJob that checks them. */
  public readonly logStreams: LogStreamBootstrap;
  /** The cert-manager Certificates, when {@link OpenSearchClusterProps.certManager} is enabled. */
  public readonly certificates?: OpenSearchCertificates;
  /** The CronJob that checks the operator-generated certificates' expiry, when cert-manager is not used. */
  public readonly certificateCheck?: CertificateExpiryCheck;
  /** Name of the StatefulSet of the node pool (the operator's `<cluster>-<component>`). */
  public readonly nodeStatefulSetName: string;
  /**
   * Regular expression matching the names of the nodes' data volume claims (`data-<statefulset>-<ordinal>`, the
   * StatefulSet's claim template `data`, opensearch-k8s-operator 2.8.0 `pkg/builders/cluster.go`).
   */
  public readonly dataVolumeClaimRegex: string;
  /** The operator chart release (values included), for inspection and tests. */
  public readonly release: UpstreamChartRelease;
  /** Labels of the OpenSearch Dashboards pods (opensearch-k8s-operator v2.8.0 pkg/builders/dashboards.go). */
  public readonly dashboardsPodLabels: Readonly<Record<string, string>>;
  /** Labels of the operator's pods (set through the chart's `podLabels`). */
  public readonly operatorPodLabels: Readonly<Record<string, string>> = { 'app.kubernetes.io/name': 'opensearch-operator' };
  /** Labels of the pods of the operator's security config update Job (Kubernetes' `job-name` label). */
  public readonly securityConfigJobPodLabels: Readonly<Record<string, string>>;
  /** What the OpenSearch pods need beyond `restricted`: the privileged sysctl init container, when asked for. */
  public readonly podSecurityNeeds: readonly PodSecurityNeed[];

  constructor(scope: Construct, id: string, props: OpenSearchClusterProps) {
    super(scope, id);
    checkOpenSearchClusterProps(props);
    this.namespace = props.namespace ?? DEFAULT_NAMESPACE;
    this.clusterName = props.clusterName ?? OPENSEARCH_CLUSTER_DEFAULTS.clusterName;
    this.version = props.version ?? OPENSEARCH_CLUSTER_DEFAULTS.version;

    // The operator's generated HTTP certificate names `<cluster>.<namespace>.svc` (not the Service name), so the
    // Service is named after the cluster and clients verify against that host.
    this.host = `${this.clusterName}.${this.namespace}.svc`;
    this.url = `https://${this.host}:${this.port}`;
    this.nodeStatefulSetName = `${this.clusterName}-${NODE_POOL_COMPONENT}`;
    this.dataVolumeClaimRegex = `data-${this.nodeStatefulSetName}-[0-9]+`;
    const dashboardsOn = props.dashboards?.enabled ?? true;
    if (dashboardsOn) this.dashboardsServiceName = `${this.clusterName}-dashboards`;
    const image = `${OPENSEARCH_IMAGE_REPOSITORY}:${this.version}`;
    const certManager = props.certManager?.enabled ? props.certManager : undefined;
    if (certManager) {
      // The operator's own DNS names for a generated HTTP certificate (opensearch-k8s-operator 2.8.0
      // pkg/reconcilers/tls.go handleHttp; pkg/reconcilers/dashboards.go for Dashboards).
      const dnsNames = (service: string) => [service, `${service}.${this.namespace}`, `${service}.${this.namespace}.svc`, `${service}.${this.namespace}.svc.cluster.local`];
      this.certificates = new OpenSearchCertificates(this, 'certificates', {
        namespace: this.namespace,
        clusterName: this.clusterName,
        httpDnsNames: [...new Set([...dnsNames(this.clusterName), `${this.clusterName}-discovery`])],
        ...(this.dashboardsServiceName ? { dashboardsDnsNames: dnsNames(this.dashboardsServiceName) } : {}),
        issuerName: certManager.issuerName!,
        issuerKind: certManager.issuerKind,
        duration: certManager.duration,
        renewBefore: certManager.renewBefore,
      });
      this.caSecret = { name: this.certificates.httpSecretName, key: 'ca.crt' };
    } else {
      this.caSecret = { name: `${this.clusterName}-ca`, key: 'ca.crt' };
      // The operator's Secrets (pkg/reconcilers/tls.go, dashboards.go): node certificates per pod in
      // <cluster>-transport-cert, the HTTP, admin and Dashboards certificates under tls.crt.
      const replicas = props.nodes?.replicas ?? OPENSEARCH_CLUSTER_DEFAULTS.nodes.replicas;
      this.certificateCheck = new CertificateExpiryCheck(this, 'certificate-check', {
        namespace: this.namespace,
        name: `${this.clusterName}-certificate-check`,
        image,
        secrets: [
          { name: `${this.clusterName}-http-cert`, certificateKeys: ['tls.crt'] },
          { name: `${this.clusterName}-transport-cert`, certificateKeys: Array.from({ length: replicas }, (_, i) => `${this.nodeStatefulSetName}-${i}.crt`) },
          { name: `${this.clusterName}-admin-cert`, certificateKeys: ['tls.crt'] },
          ...(dashboardsOn ? [{ name: `${this.clusterName}-dashboards-cert`, certificateKeys: ['tls.crt'] }] : []),
          { name: this.caSecret.name, certificateKeys: [this.caSecret.key] },
        ],
      });
    }
    this.podSelectorLabels = { 'opster.io/opensearch-cluster': this.clusterName };
    this.dashboardsPodLabels = { 'opensearch.cluster.dashboards': this.clusterName };
    this.securityConfigJobPodLabels = { 'job-name': `${this.clusterName}-securityconfig-update` };
    this.podSecurityNeeds = props.setVmMaxMapCount
      ? [
          {
            workload: `StatefulSet/${this.clusterName}-nodes`,
            namespace: this.namespace,
            level: 'privileged',
            reason: 'setVmMaxMapCount: the operator adds a privileged init container that runs sysctl -w vm.max_map_count=262144 (opensearch-k8s-operator v2.8.0 pkg/builders/cluster.go)',
          },
        ]
      : [];

    const users = props.users ?? {};
    this.adminUsername = users.adminUsername ?? OPENSEARCH_CLUSTER_DEFAULTS.adminUsername;
    this.logWriterUsername = users.logWriterUsername ?? `${this.clusterName}-log-writer`;
    this.logReaderUsername = users.logReaderUsername ?? `${this.clusterName}-log-reader`;

    const prefix = props.existingSecret ?? this.clusterName;
    this.adminCredentialsSecretName = `${prefix}-admin-credentials`;
    this.dashboardsCredentialsSecretName = `${prefix}-dashboards-credentials`;
    this.securityConfigSecretName = `${prefix}-security-config`;
    this.logWriterSecretName = `${prefix}-log-writer-credentials`;
    this.logReaderSecretName = `${prefix}-log-reader-credentials`;
    this.adminCredentialsSecret = { name: this.adminCredentialsSecretName };

    const setupScope = props.setupScope ?? this;
    if (props.existingSecret === undefined) {
      this.emitSecrets(setupScope, id, props, requireCredentialStore(props.credentials, 'OpenSearch passwords', [['existingSecret']]));
    }

    this.release = {
      chart: UPSTREAM_CHARTS['opensearch-operator'],
      releaseName: props.releaseName ?? OPENSEARCH_CLUSTER_DEFAULTS.releaseName,
      namespace: this.namespace,
      values: deepMerge(this.operatorValues(), props.values),
    };
    props.delivery.deliver(setupScope, `${id}-operator`, this.release);

    if (props.snapshots) {
      this.snapshots = withinProp('snapshots', () => new OpenSearchSnapshots(this, 'snapshots', { ...props.snapshots!, namespace: this.namespace, clusterName: this.clusterName }));
    }
    this.addCluster(props, dashboardsOn);
    this.addLogUsers();
    this.lifecycle = new LogIndexLifecycle(this, 'lifecycle', {
      namespace: this.namespace,
      clusterName: this.clusterName,
      retentionDays: props.retentionDays,
      rolloverAge: props.rolloverAge,
      replicas: Math.min(1, (props.nodes?.replicas ?? OPENSEARCH_CLUSTER_DEFAULTS.nodes.replicas) - 1),
    });
    this.logStreams = new LogStreamBootstrap(this, 'log-streams', {
      namespace: this.namespace,
      clusterName: this.clusterName,
      url: this.url,
      caSecret: this.caSecret,
      adminCredentialsSecret: this.adminCredentialsSecretName,
      image,
      templateName: this.lifecycle.templateName,
      policyId: this.lifecycle.policyId,
      dataStreams: Object.values(LOG_SOURCES).map(logDataStream),
      indexPattern: this.logIndexPattern,
    });
  }

  /** The Secrets holding passwords and hashes: credentials of the four users and the security config. */
  private emitSecrets(scope: Construct, id: string, props: OpenSearchClusterProps, store: CredentialStore): void {
    const users = props.users ?? {};
    const key = (name: string) => `${this.namespace}/${this.clusterName}/opensearch-${name}`;
    const adminPassword = users.adminPassword ?? store.getOrCreate(key('admin-password'));
    const dashboardsPassword = users.dashboardsPassword ?? store.getOrCreate(key('dashboards-password'));
    const seed = store.getOrCreate(key('bcrypt-salt-seed'));
    const context = (user: string) => `${this.namespace}/${this.clusterName}/${user}`;

    const credentials = (secretId: string, name: string, username: string, password: string) =>
      new k8s.KubeSecret(scope, `${id}-${secretId}`, {
        metadata: { name, namespace: this.namespace },
        type: 'kubernetes.io/basic-auth',
        stringData: { [OPENSEARCH_CREDENTIALS_KEYS.username]: username, [OPENSEARCH_CREDENTIALS_KEYS.password]: password },
      });
    credentials('admin-credentials', this.adminCredentialsSecretName, this.adminUsername, adminPassword);
    credentials('dashboards-credentials', this.dashboardsCredentialsSecretName, DASHBOARDS_SERVER_USERNAME, dashboardsPassword);
    credentials('log-writer-credentials', this.logWriterSecretName, this.logWriterUsername, store.getOrCreate(key('log-writer-password')));
    credentials('log-reader-credentials', this.logReaderSecretName, this.logReaderUsername, store.getOrCreate(key('log-reader-password')));

    new k8s.KubeSecret(scope, `${id}-security-config`, {
      metadata: { name: this.securityConfigSecretName, namespace: this.namespace },
      type: 'Opaque',
      stringData: {
        [INTERNAL_USERS_KEY]: internalUsersYaml([
          {
            username: this.adminUsername,
            hash: deterministicBcryptHash(adminPassword, context(this.adminUsername), seed, BCRYPT_COST, store),
            backendRoles: [ADMIN_BACKEND_ROLE],
            description: 'Administrator (managed by aiml-observability)',
          },
          {
            username: DASHBOARDS_SERVER_USERNAME,
            hash: deterministicBcryptHash(dashboardsPassword, context(DASHBOARDS_SERVER_USERNAME), seed, BCRYPT_COST, store),
            description: 'OpenSearch Dashboards server (managed by aiml-observability)',
          },
        ]),
        [ROLES_MAPPING_KEY]: rolesMappingYaml(DASHBOARDS_SERVER_USERNAME),
      },
    });
  }

  private operatorValues(): JsonObject {
    return {
      manager: {
        resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
        image: { pullPolicy: 'IfNotPresent' },
        // Least privilege: the operator watches only this namespace, through RoleBindings.
        watchNamespace: this.namespace,
        // No root init container chowning the data volume (helpers.SkipInitContainer, v2.8.0): the pods' fsGroup
        // gives the volume to the OpenSearch user, so they run under the restricted Pod Security level.
        extraEnv: [{ name: 'SKIP_INIT_CONTAINER', value: 'true' }],
      },
      podLabels: { ...this.operatorPodLabels },
      useRoleBindings: true,
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      // The proxy only guards the operator's own metrics (not scraped here), and its default image lives in the
      // retired gcr.io/kubebuilder registry.
      kubeRbacProxy: { enable: false },
    };
  }

  private addCluster(props: OpenSearchClusterProps, dashboardsOn: boolean): void {
    const defaults = OPENSEARCH_CLUSTER_DEFAULTS.nodes;
    const nodes = {
      replicas: props.nodes?.replicas ?? defaults.replicas,
      diskSize: props.nodes?.diskSize ?? defaults.diskSize,
      storageClass: props.nodes?.storageClass,
      cpu: props.nodes?.cpu ?? defaults.cpu,
      memory: props.nodes?.memory ?? defaults.memory,
    };
    const dashboards = props.dashboards ?? {};
    const certs = this.certificates;
    // Reload renewed node certificates from the mounted Secret files, without a restart (security plugin 2.19.0.0+).
    const hotReload = compareVersions(this.version, HOT_RELOAD_SINCE) >= 0;
    const containerSecurity = {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      runAsNonRoot: true,
      runAsUser: OPENSEARCH_UID,
      seccompProfile: { type: 'RuntimeDefault' },
    };
    const podSecurity = {
      runAsNonRoot: true,
      runAsUser: OPENSEARCH_UID,
      runAsGroup: OPENSEARCH_UID,
      fsGroup: OPENSEARCH_UID,
      seccompProfile: { type: 'RuntimeDefault' },
    };
    const setVmMaxMapCount = props.setVmMaxMapCount ?? false;
    const { additionalConfig: snapshotConfig, ...snapshotSettings } = this.snapshots?.clusterSettings ?? {};
    // Settings the operator passes as environment variables, which the image's entrypoint turns into settings:
    // without the sysctl, no mmap (and so no vm.max_map_count bootstrap check); the snapshots' S3 client; the
    // certificates' hot reload.
    const additionalConfig: Record<string, string> = {
      ...(setVmMaxMapCount ? {} : { 'node.store.allow_mmap': 'false' }),
      ...snapshotConfig,
      ...(hotReload ? { [CERTIFICATES_HOT_RELOAD_SETTING]: 'true' } : {}),
    };

    new OpenSearchClusterResource(this, 'cluster', {
      metadata: { name: this.clusterName, namespace: this.namespace },
      spec: {
        general: {
          serviceName: this.clusterName,
          version: this.version,
          httpPort: this.port,
          setVmMaxMapCount,
          drainDataNodes: true,
          securityContext: containerSecurity,
          podSecurityContext: podSecurity,
          ...snapshotSettings,
          ...(Object.keys(additionalConfig).length ? { additionalConfig } : {}),
        },
        initHelper: { resources: { requests: quantities(InitHelperRequest.fromString, '50m', '64Mi'), limits: quantities(InitHelperLimit.fromString, '200m', '128Mi') } },
        bootstrap: {
          jvm: halfHeap('2Gi'),
          resources: { requests: quantities(BootstrapRequest.fromString, '1', '2Gi'), limits: quantities(BootstrapLimit.fromString, '1', '2Gi') },
        },
        nodePools: [
          {
            component: NODE_POOL_COMPONENT,
            replicas: nodes.replicas,
            diskSize: nodes.diskSize,
            roles: ['cluster_manager', 'data'],
            jvm: halfHeap(nodes.memory),
            resources: {
              requests: quantities(NodeRequest.fromString, nodes.cpu, nodes.memory),
              limits: quantities(NodeLimit.fromString, nodes.cpu, nodes.memory),
            },
            persistence: { pvc: { accessModes: ['ReadWriteOnce'], ...(nodes.storageClass ? { storageClass: nodes.storageClass } : {}) } },
          },
        ],
        dashboards: {
          enable: dashboardsOn,
          version: this.version,
          replicas: dashboards.replicas ?? 1,
          opensearchCredentialsSecret: { name: this.dashboardsCredentialsSecretName },
          tls: certs ? { enable: true, generate: false, secret: { name: certs.dashboardsSecretName } } : { enable: true, generate: true },
          securityContext: containerSecurity,
          podSecurityContext: podSecurity,
          resources: {
            requests: quantities(DashboardsRequest.fromString, dashboards.cpu ?? '500m', dashboards.memory ?? '1Gi'),
            limits: quantities(DashboardsLimit.fromString, dashboards.cpu ?? '500m', dashboards.memory ?? '1Gi'),
          },
        },
        security: {
          config: {
            adminCredentialsSecret: { name: this.adminCredentialsSecretName },
            securityConfigSecret: { name: this.securityConfigSecretName },
            ...(certs ? { adminSecret: { name: certs.adminSecretName } } : {}),
            updateJob: { resources: { requests: quantities(JobRequest.fromString, '200m', '512Mi'), limits: quantities(JobLimit.fromString, '1', '1Gi') } },
          },
          tls: certs
            ? {
                // One transport certificate for every node (perNode false): its DN is the nodes' DN.
                transport: { generate: false, perNode: false, secret: { name: certs.transportSecretName }, nodesDn: [certs.transportDn], adminDn: [certs.adminDn] },
                http: { generate: false, secret: { name: certs.httpSecretName } },
              }
            : {
                transport: { generate: true, perNode: true },
                http: { generate: true },
              },
        },
      },
    });
  }

  /** The log writer and reader: OpensearchRole + OpensearchUser resources the operator applies through the REST API. */
  private addLogUsers(): void {
    const cluster = { name: this.clusterName };
    const patterns = [LOG_INDEX_PATTERN, LOG_BACKING_INDEX_PATTERN];
    const user = (id: string, username: string, secretName: string, permissions: { cluster: readonly string[]; index: readonly string[] }) => {
      new OpensearchRole(this, `${id}-role`, {
        metadata: { name: username, namespace: this.namespace },
        spec: {
          opensearchCluster: cluster,
          clusterPermissions: [...permissions.cluster],
          indexPermissions: [{ indexPatterns: patterns, allowedActions: [...permissions.index] }],
        },
      });
      new OpensearchUser(this, `${id}-user`, {
        metadata: { name: username, namespace: this.namespace },
        spec: {
          opensearchCluster: cluster,
          passwordFrom: { name: secretName, key: OPENSEARCH_CREDENTIALS_KEYS.password },
          opendistroSecurityRoles: [username],
        },
      });
    };
    user('log-writer', this.logWriterUsername, this.logWriterSecretName, LOG_WRITER_PERMISSIONS);
    user('log-reader', this.logReaderUsername, this.logReaderSecretName, LOG_READER_PERMISSIONS);
  }
}
