/** What must exist on the engine's node before a compiled service can start. */

/** A host folder a deploy needs: created first (`create`), or required to exist already. */
export interface RequiredDirectory {
  path: string;
  create: boolean;
  /** The user's storage area this path must stay inside; unset for trusted absolute paths. */
  within?: string;
  owner: { uid: number; gid: number };
  /** The config field that asked for it, for error messages. */
  field: string;
}

/** A Swarm secret that must exist before the service is created. */
export interface RequiredSecret {
  name: string;
  /** The secret's content; contains the VM password, so never log it. */
  data: string;
  /** The environment variable it feeds, for messages. */
  envName: string;
}
