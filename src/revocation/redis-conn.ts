import { loadOptional } from './optional.js';

/*
 * The few node-redis v5 members the Redis store uses, typed structurally so that the optional
 * `redis` package is needed neither to load `jotjs/revocation` nor to read its types.
 */

type Listener = (...args: any[]) => void;
type MessageListener = (message: string, channel: string) => void;

interface NodeClient {
  readonly isOpen: boolean;
  readonly isReady: boolean;
  readonly isPubSubActive: boolean;
  connect(): Promise<unknown>;
  sendCommand(args: string[]): Promise<unknown>;
  duplicate(): NodeClient;
  subscribe(channel: string, listener: MessageListener): Promise<void>;
  unsubscribe(channel: string, listener: MessageListener): Promise<void>;
  on(event: string, fn: Listener): unknown;
  off(event: string, fn: Listener): unknown;
  close(): Promise<void>;
  destroy(): void;
}

interface ClusterClient {
  readonly isOpen: boolean;
  readonly masters: readonly unknown[];
  readonly pubSubNode: { address: string; client: NodeClient } | undefined;
  connect(): Promise<unknown>;
  nodeClient(node: unknown): Promise<NodeClient>;
  sendCommand(firstKey: string, isReadonly: boolean, args: string[]): Promise<unknown>;
  subscribe(channel: string, listener: MessageListener): Promise<void>;
  unsubscribe(channel: string, listener: MessageListener): Promise<void>;
  on(event: string, fn: Listener): unknown;
  off(event: string, fn: Listener): unknown;
  close(): Promise<void>;
  destroy(): void;
}

interface RedisModule {
  createClient(options: object): NodeClient;
  createCluster(options: object): ClusterClient;
}

/** The connection(s) to a standalone server or a cluster, behind one small interface. */
export interface Connection {
  /** Opens the data connection (if needed), without subscribing. */
  connect(): Promise<void>;
  /** Opens the data connection (if needed) and subscribes `listener` to `channel`. */
  open(channel: string, listener: MessageListener): Promise<void>;
  /** Sends a command, routed to the node owning `key` in a cluster. */
  exec(key: string, args: string[]): Promise<unknown>;
  /** One client per master, for SCAN. */
  masters(): Promise<NodeClient[]>;
  /** The connection that carries the subscription, when there is one. */
  subscriber(): NodeClient | undefined;
  /** `onTrouble` is called when the subscriber connection may have lost messages, `onReady` when it is back. */
  watch(onTrouble: () => void, onReady: () => void): void;
  close(channel: string, listener: MessageListener): Promise<void>;
}

/** Where a Redis store connects: a URL, cluster root nodes, or a node-redis v5 client or cluster. */
export type RedisTarget = { url: string } | { rootNodes: readonly string[] } | { client: object };

export interface ConnectOptions {
  connectTimeoutMs: number;
}

function isCluster(client: object): client is ClusterClient {
  return 'masters' in client && typeof (client as { nodeClient?: unknown }).nodeClient === 'function';
}

function clientDefaults(o: ConnectOptions): object {
  return {
    socket: { connectTimeout: o.connectTimeoutMs, reconnectStrategy: (n: number) => Math.min(50 * 2 ** n, 1000) },
    // Fail a command at once while disconnected instead of queueing it: revoke() must not hang.
    disableOfflineQueue: true,
  };
}

async function closeQuietly(c: { readonly isOpen: boolean; close(): Promise<void>; destroy(): void }): Promise<void> {
  const destroy = (): void => {
    if (c.isOpen) c.destroy();
  };
  const timer = setTimeout(destroy, 1000);
  try {
    if (c.isOpen) await c.close();
  } catch {
    destroy();
  } finally {
    clearTimeout(timer);
  }
}

/** Connects `c` unless it is open; concurrent callers share one attempt (a second connect() would throw). */
function connector(c: { readonly isOpen: boolean; connect(): Promise<unknown> }): () => Promise<void> {
  let connecting: Promise<void> | undefined;
  return () => {
    if (connecting !== undefined) return connecting;
    if (c.isOpen) return Promise.resolve();
    connecting = c.connect().then(
      () => {
        connecting = undefined;
      },
      (e: unknown) => {
        connecting = undefined;
        throw e;
      },
    );
    return connecting;
  };
}

/** Waits for `p` at most `ms`, ignoring its outcome: for best-effort cleanup. */
function settle(p: Promise<unknown>, ms: number): Promise<void> {
  let t: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => {
    t = setTimeout(resolve, ms);
  });
  const done = p.then(
    () => {},
    () => {},
  );
  return Promise.race([done, timeout]).finally(() => clearTimeout(t));
}

function standalone(main: NodeClient, owned: boolean): Connection {
  const sub = main.duplicate();
  const listeners: [string, Listener][] = [];
  const ignore = (): void => {};
  sub.on('error', ignore);
  if (owned) main.on('error', ignore);
  const connectMain = connector(main);
  return {
    connect: connectMain,
    async open(channel, listener) {
      await connectMain();
      if (!sub.isOpen) await sub.connect();
      await sub.subscribe(channel, listener);
    },
    exec: (_key, args) => main.sendCommand(args),
    masters: async () => [main],
    subscriber: () => (sub.isOpen ? sub : undefined),
    watch(onTrouble, onReady) {
      listeners.push(['error', onTrouble], ['reconnecting', onTrouble], ['end', onTrouble], ['ready', onReady]);
      for (const [event, fn] of listeners) sub.on(event, fn);
    },
    async close(channel, listener) {
      for (const [event, fn] of listeners) sub.off(event, fn);
      if (sub.isReady) await settle(sub.unsubscribe(channel, listener), 1000);
      if (sub.isOpen) sub.destroy();
      if (owned) await closeQuietly(main);
    },
  };
}

function cluster(c: ClusterClient, owned: boolean): Connection {
  const listeners: [string, Listener][] = [];
  const ignore = (): void => {};
  if (owned) c.on('error', ignore);
  const connectCluster = connector(c);
  return {
    connect: connectCluster,
    async open(channel, listener) {
      await connectCluster();
      await c.subscribe(channel, listener);
    },
    exec: (key, args) => c.sendCommand(key, false, args),
    masters: () => Promise.all(c.masters.map((m) => c.nodeClient(m))),
    subscriber: () => c.pubSubNode?.client,
    watch(onTrouble, onReady) {
      // Trouble on the node carrying the subscription (or when none is known) may have lost messages.
      const trouble = (_e: unknown, node?: { host: string; port: number }): void => {
        const address = c.pubSubNode?.address;
        if (address === undefined || node === undefined || `${node.host}:${node.port}` === address) onTrouble();
      };
      const nodeTrouble = (node: { host: string; port: number }): void => trouble(undefined, node);
      listeners.push(['node-error', trouble], ['node-reconnecting', nodeTrouble], ['node-disconnect', nodeTrouble]);
      listeners.push(['node-ready', onReady]);
      for (const [event, fn] of listeners) c.on(event, fn);
    },
    async close(channel, listener) {
      for (const [event, fn] of listeners) c.off(event, fn);
      await settle(c.unsubscribe(channel, listener), 1000);
      if (owned) await closeQuietly(c);
    },
  };
}

/** Builds the connection for a target; a client passed in is used as is and never closed by the store. */
export function connect(target: RedisTarget, options: ConnectOptions): Connection {
  if ('client' in target) {
    const client = target.client;
    return isCluster(client) ? cluster(client, false) : standalone(client as NodeClient, false);
  }
  const redis = loadOptional<RedisModule>('redis', 'redis@5');
  if ('rootNodes' in target) {
    const rootNodes = target.rootNodes.map((url) => ({ url }));
    return cluster(redis.createCluster({ rootNodes, defaults: clientDefaults(options) }), true);
  }
  return standalone(redis.createClient({ url: target.url, ...clientDefaults(options) }), true);
}
