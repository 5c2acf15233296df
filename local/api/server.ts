import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as z from '../../shared/zod.js';
import { apiHandlers, type ApiHandler } from '../../cdk/handler-modules.js';
import { forgetSettings } from '../../functions/runtime/settings.js';
import { localCaller, toHttpApiEvent } from './http-event.js';
import { matchRoute } from './routes.js';

// The HTTP API of docs/architecture.md §3.2 on one machine: each request becomes the API Gateway v2 event
// and runs the same handler module the CDK stack deploys for its route (cdk/api-routes.ts).

export interface ApiServerOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Set into process.env before each handler runs: handlers read their configuration there, as on Lambda. */
  env?: Readonly<Record<string, string>>;
  /** Bodies above this never reach a handler (API Gateway's 10 MB payload limit). */
  maxBodyBytes?: number;
  log?: (line: string) => void;
}

export interface ApiServer {
  url: string;
  close(): Promise<void>;
}

type Handler = (event: unknown, context: object) => Promise<unknown>;

// What a Lambda behind an HTTP API may return (payload v2): a full response, or any JSON value.
const LambdaHttpResult = z.object({
  statusCode: z.int().check(z.gte(100), z.lte(599)),
  headers: z.optional(z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]))),
  body: z.optional(z.string()),
  isBase64Encoded: z.optional(z.boolean()),
});

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const gatewayLimitBytes = 10 * 1024 * 1024;
const handlerTimeoutMs = 30_000;

export async function startApiServer(options: ApiServerOptions = {}): Promise<ApiServer> {
  const env = options.env ?? {};
  const maxBodyBytes = options.maxBodyBytes ?? gatewayLimitBytes;
  const log = options.log ?? (() => undefined);
  const handlers = new Map<ApiHandler, Promise<Handler>>();
  Object.assign(process.env, env);
  forgetSettings();

  const loadHandler = (name: ApiHandler): Promise<Handler> => {
    let loaded = handlers.get(name);
    if (!loaded) {
      loaded = import(pathToFileURL(resolve(repoRoot, apiHandlers[name])).href).then((mod: Record<string, unknown>) => {
        if (typeof mod['handler'] !== 'function') throw new Error(`${apiHandlers[name]} has no "handler" export; export the middy handler as "handler"`);
        return mod['handler'] as Handler;
      });
      handlers.set(name, loaded);
    }
    return loaded;
  };

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const rawPath = url.split('?')[0] ?? '/';
    const body = await readLimited(req, maxBodyBytes);
    if (body === undefined) return send(res, 413, errorBody('PayloadTooLarge', `expected a body of at most ${maxBodyBytes} bytes; send less`));
    const match = matchRoute(method, rawPath);
    if (match.kind === 'health') return send(res, 200, JSON.stringify({ status: 'ok' }));
    if (match.kind === 'none') {
      const allowed = match.allowed.length > 0 ? `; ${rawPath} takes ${match.allowed.join(', ')}` : '';
      return send(res, 404, errorBody('NotFound', `no route ${method} ${rawPath}${allowed}`));
    }
    const caller = match.route.auth === 'iam' ? localCaller(req.headers, userInfo().username) : undefined;
    if (caller && !caller.ok) return send(res, 401, errorBody('Unauthorized', caller.message));
    const event = toHttpApiEvent(
      { method, url, headers: req.headers, body, sourceIp: req.socket.remoteAddress ?? '127.0.0.1' },
      { routeKey: match.routeKey, pathParameters: match.pathParameters, caller: caller?.caller },
      new Date(),
    );
    Object.assign(process.env, env);
    const handler = await loadHandler(match.route.handler);
    const result = await handler(event, lambdaContext(match.route.handler));
    const reply = LambdaHttpResult.safeParse(result);
    if (!reply.success) return send(res, 200, JSON.stringify(result ?? null));
    const headers = Object.fromEntries(Object.entries(reply.data.headers ?? {}).map(([k, v]) => [k, String(v)]));
    const payload = reply.data.isBase64Encoded ? Buffer.from(reply.data.body ?? '', 'base64') : reply.data.body ?? '';
    send(res, reply.data.statusCode, payload, headers);
  }

  const server = createServer((req, res) => {
    serve(req, res).catch((err: unknown) => {
      log(`api: ${req.method} ${req.url} failed: ${(err as Error).stack ?? String(err)}`);
      // API Gateway answers 500 when the integration throws; so do we, in the §3.2 error shape.
      if (!res.headersSent) send(res, 500, errorBody('InternalError', 'the handler failed; see the server log'));
      else res.destroy();
    });
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolveClose, reject) => {
        server.close((err) => (err ? reject(err) : resolveClose()));
        server.closeAllConnections();
      }),
  };
}

/** The body, or undefined when it exceeds the limit (the rest is drained so the reply can be read). */
async function readLimited(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size <= limit) chunks.push(buf);
  }
  return size > limit ? undefined : Buffer.concat(chunks);
}

function lambdaContext(name: ApiHandler): object {
  const deadline = Date.now() + handlerTimeoutMs;
  const requestId = randomUUID();
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: `changeflow-api-${name}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:changeflow-api-${name}`,
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/changeflow-api-${name}`,
    logStreamName: `local/[$LATEST]${requestId.replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

function errorBody(code: string, message: string): string {
  return JSON.stringify({ error: { code, message } });
}

function send(res: ServerResponse, status: number, body: string | Buffer, headers: Record<string, string> = {}): void {
  const hasType = Object.keys(headers).some((h) => h.toLowerCase() === 'content-type');
  res.writeHead(status, { ...(hasType ? {} : { 'content-type': 'application/json; charset=utf-8' }), ...headers, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
