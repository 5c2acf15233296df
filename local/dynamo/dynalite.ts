import dynalite from 'dynalite';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';

export interface LocalDynamo {
  /** http://127.0.0.1:PORT — what endpoints.json calls `dynamodb`. */
  readonly endpoint: string;
  close(): Promise<void>;
}

export interface LocalDynamoOptions {
  /** Persist the tables in this directory (LevelDB); in memory when absent. */
  readonly dataDir?: string;
  /** 0 (default) takes any free port. */
  readonly port?: number;
}

/** Starts dynalite in this process, bound to 127.0.0.1. */
export async function startDynalite(options: LocalDynamoOptions = {}): Promise<LocalDynamo> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  // Tables become ACTIVE at once: the real service's CREATING delay only slows tests down.
  const server = dynalite({ path: options.dataDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // SDK clients keep sockets alive without an idle limit of their own; Node's 5 s server default
  // closed idle ones just as a client sent on them (ECONNRESET, fatal to a one-attempt client).
  // Keep them as long as an AWS endpoint would (about a minute), below headersTimeout (60 s).
  server.keepAliveTimeout = 55_000;
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // SDK clients keep sockets alive; without this close() would wait for them to time out.
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
