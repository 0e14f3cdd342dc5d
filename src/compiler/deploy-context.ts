/**
 * Everything a deploy needs besides the ImageConfig. The compiler reads only this object,
 * never the environment, the clock or the filesystem.
 */

export type IngressMode = 'traefik' | 'ports';

export interface TraefikSettings {
  /** Entrypoint every VM router sits on, e.g. "websecure". */
  entrypoint: string;
  /** ACME resolver name, e.g. "le"; unset when certificates are managed outside Traefik. */
  certResolver?: string;
  /** Forward-auth middleware put first on every VM router, e.g. "swiftor-auth@file". */
  forwardAuthMiddleware: string;
}

export interface PlatformSettings {
  /** Base domain: VMs are served at `<vm-id>.<domain>`. */
  domain: string;
  /** Absolute host path holding `<username>/` for every user. */
  storageRoot: string;
  /** Attachable overlay network shared by VMs and Traefik; optional for ingress `ports`. */
  network?: string;
  ingress: IngressMode;
  traefik: TraefikSettings;
  /** Negotiated Docker Engine API version, e.g. "1.45". */
  engineApiVersion: string;
  /** PUID/PGID/TZ given to linuxserver images unless the config sets them. */
  defaults: { puid: number; pgid: number; tz: string };
  /** Limits for every VM unless its catalog entry sets its own. */
  resources?: { cpus?: number; memoryBytes?: number; pids?: number };
  /** Catalog entries the operator trusts with absolute host paths. */
  trustedEntries: string[];
  /**
   * How VM storage reaches the node running the task: `bind` (storage root on this node, or a
   * shared filesystem mounted at the same path everywhere) or `nfs` (Docker's local volume
   * driver mounts the export itself on whichever node runs the task).
   */
  storage?: StorageMode;
}

export type StorageMode =
  | { kind: 'bind' }
  | {
      kind: 'nfs';
      /** NFS server address. */
      address: string;
      /** The server-side path that the control plane sees as `storageRoot`. */
      exportRoot: string;
      /** Mount options; `addr=` is added. Default `rw,nfsvers=4.1,hard`. */
      options?: string;
    };

export interface PortForward {
  /** Served at `<name>-<vm-id>.<domain>`. */
  name: string;
  port: number;
}

export interface DeployContext {
  username: string;
  vmId: string;
  /** Catalog entry name, e.g. "code-server". */
  entry: string;
  /** The user's VM password and its rotation counter (secret names change on rotation). */
  password: { value: string; version: number };
  distribution?: string;
  desktop?: string;
  portForwards?: PortForward[];
  platform: PlatformSettings;
}

/** Settings that work on a laptop; the server's configuration module overrides them. */
export const DEFAULT_PLATFORM: PlatformSettings = {
  domain: 'swiftor.localhost',
  storageRoot: '/var/lib/swiftor/storage',
  network: 'swiftor_edge',
  ingress: 'traefik',
  traefik: {
    entrypoint: 'websecure',
    certResolver: 'le',
    forwardAuthMiddleware: 'swiftor-auth@file',
  },
  engineApiVersion: '1.45',
  defaults: { puid: 1000, pgid: 1000, tz: 'Etc/UTC' },
  trustedEntries: [],
};

/** Stands in for the VM password when rendering without one. */
export const PASSWORD_PLACEHOLDER = '<vm-password>';
