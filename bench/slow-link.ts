import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A reverse proxy that adds a fixed round trip to every request before forwarding it: stands in
// for a distant ticketing system whose lab emulator has no latency option of its own. It counts
// what it forwarded, so device time = requests × latency.

export interface SlowLink {
  readonly url: string;
  readonly latencyMs: number;
  requests(): number;
  resetRequests(): void;
  close(): Promise<void>;
}

export async function startSlowLink(options: { target: string; latencyMs: number }): Promise<SlowLink> {
  const target = new URL(options.target);
  let requests = 0;
  const forward = (req: IncomingMessage, res: ServerResponse): void => {
    requests++;
    setTimeout(() => {
      const upstream = httpRequest(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', (err) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`slow link: ${err.message}`);
      });
      req.pipe(upstream);
    }, options.latencyMs);
  };
  const server = createServer(forward);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    latencyMs: options.latencyMs,
    requests: () => requests,
    resetRequests: () => {
      requests = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
