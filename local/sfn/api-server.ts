import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SerializationException, SfnApiError, UnknownOperationException } from './api-errors.js';
import { callOperation } from './api-operations.js';
import type { LocalSfnRuntime } from './runtime.js';

// The AWS JSON 1.0 protocol as Step Functions speaks it: POST /, `X-Amz-Target:
// AWSStepFunctions.<Operation>`, JSON in and out, errors as `{__type, message}`. Signatures are
// not checked: any SigV4 credentials work locally.

const contentType = 'application/x-amz-json-1.0';
const targetPrefix = 'AWSStepFunctions.';
const maxBodyBytes = 2 * 1024 * 1024;

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) throw new SerializationException(`request body is larger than ${maxBodyBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SerializationException(`request body is not JSON (${(error as Error).message})`);
  }
}

function send(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(status, { 'content-type': contentType, 'x-amzn-requestid': randomUUID(), ...extra });
  res.end(JSON.stringify(body));
}

async function handle(runtime: LocalSfnRuntime, req: IncomingMessage, res: ServerResponse): Promise<void> {
  // A long-polling worker that hangs up must not be handed a task nobody will receive.
  const hangUp = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) hangUp.abort();
  });
  try {
    const target = String(req.headers['x-amz-target'] ?? '');
    if (req.method !== 'POST' || !target.startsWith(targetPrefix)) {
      throw new UnknownOperationException(`expected POST / with X-Amz-Target: ${targetPrefix}<Operation>, got ${req.method} ${req.url} target "${target}"`);
    }
    const body = await readJsonBody(req);
    send(res, 200, await callOperation(runtime, target.slice(targetPrefix.length), body, hangUp.signal));
  } catch (error) {
    if (error instanceof SfnApiError) {
      send(res, error.httpStatus, { __type: error.name, message: error.message }, { 'x-amzn-errortype': error.name });
      return;
    }
    runtime.log(`sfn: internal error: ${(error as Error).stack ?? String(error)}`);
    send(res, 500, { __type: 'ServiceException', message: `local Step Functions failed: ${(error as Error).message}` });
  }
}

export interface SfnApiServer {
  endpoint: string;
  close(): Promise<void>;
}

export async function serveSfnApi(runtime: LocalSfnRuntime, port = 0): Promise<SfnApiServer> {
  const server = createServer((req, res) => void handle(runtime, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  // As dynalite.ts: idle SDK sockets stay open about a minute, as on AWS, not Node's 5 s, which
  // closed them just as a client sent on them (ECONNRESET).
  server.keepAliveTimeout = 55_000;
  const { port: bound } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${bound}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
