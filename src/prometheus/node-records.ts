/**
 * Names of the node recording rules (node-rules.ts): node network and disk throughput without the devices that
 * count the same bytes twice. Naming follows kube-prometheus' `instance:<metric>:<op>` (labels of the node-exporter
 * target kept, `device` summed away).
 * @module
 */

/** Node recording rules; each keeps the node-exporter target's labels (instance, namespace, pod, ...) and sums devices. */
export const NODE_RECORDS = {
  /** Bytes per second received / transmitted on the node's physical interfaces ({@link NODE_VIRTUAL_INTERFACES_REGEX} excluded). */
  NETWORK_RECEIVE_BYTES_PHYSICAL_RATE5M: 'instance:node_network_receive_bytes_physical:rate5m',
  NETWORK_TRANSMIT_BYTES_PHYSICAL_RATE5M: 'instance:node_network_transmit_bytes_physical:rate5m',
  /** Bytes per second read from / written to the node's disks, without the md / dm devices layered on them. */
  DISK_READ_BYTES_PHYSICAL_RATE5M: 'instance:node_disk_read_bytes_physical:rate5m',
  DISK_WRITTEN_BYTES_PHYSICAL_RATE5M: 'instance:node_disk_written_bytes_physical:rate5m',
} as const;

/**
 * Interfaces (node-exporter `device`) that are not a node's own NICs: loopback, the host side of pod veths (VPC CNI
 * `eni*`, Calico `cali*`, Cilium `lxc*` / `cilium_*`, generic `veth*`), bridges and overlay tunnels (flannel, cni0,
 * docker0, virbr, vxlan, tunl, GKE's `gke*`, `br-*`). Their bytes are the pods' traffic, which also crosses a NIC:
 * summing them with the NICs counts pod traffic twice. node-exporter 1.x has no default netdev exclude
 * (collector/netdev_common.go), so the records exclude them.
 */
export const NODE_VIRTUAL_INTERFACES_REGEX = 'lo|veth.+|eni.+|cali.+|lxc.+|cilium.+|flannel.+|cni.+|docker.+|virbr.+|vxlan.+|tunl.+|gke.+|br-.+';

/**
 * Block devices layered on other disks: md software RAID (e.g. md127, the RAID-0 EKS builds over instance-store
 * NVMe) and device-mapper targets (dm-0: LVM, dm-crypt, Bottlerocket's dm-verity root). node-exporter's default
 * diskstats exclude drops partitions only (collector/diskstats_linux.go), so these are listed next to the disks
 * beneath them, whose counters already include their I/O.
 */
export const NODE_LAYERED_DISKS_REGEX = 'md.+|dm-.+';
