import { serveSfnApi } from './api-server.js';
import { LocalSfnRuntime, type LocalSfnOptions } from './runtime.js';

export interface StartLocalSfnOptions extends LocalSfnOptions {
  /** API port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
}

export interface LocalSfn {
  endpoint: string;
  runtime: LocalSfnRuntime;
  close(): Promise<void>;
}

/**
 * Starts the local Step Functions endpoint for the given machines. Refuses (throws) when a Task
 * has no local implementation or a handler module is missing — before any port is opened.
 */
export async function startLocalSfn(options: StartLocalSfnOptions): Promise<LocalSfn> {
  const runtime = new LocalSfnRuntime(options);
  const server = await serveSfnApi(runtime, options.port ?? 0);
  return {
    endpoint: server.endpoint,
    runtime,
    close: async () => {
      await runtime.close();
      await server.close();
    },
  };
}
