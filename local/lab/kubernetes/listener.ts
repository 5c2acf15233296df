import { createServer as createHttpServer, type RequestListener } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import type { LabTls } from './tls.js';

// One port, two protocols: a TLS ClientHello starts with byte 0x16, anything else is plain HTTP.
// kubectl and the kubeconfig use https://; tests and tools can reach /_lab/ (and the API, with
// the token) over http:// without trusting a certificate.
export interface DualListener {
  port: number;
  close(): Promise<void>;
}

export async function listenHttpAndHttps(handler: RequestListener, tls: LabTls, port = 0): Promise<DualListener> {
  const http = createHttpServer(handler);
  const https = createHttpsServer({ key: tls.key, cert: tls.cert }, handler);
  const sockets = new Set<Socket>();
  const net = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.once('data', (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      (first[0] === 0x16 ? https : http).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  });
  await new Promise<void>((resolve, reject) => {
    net.once('error', reject);
    net.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port: (net.address() as AddressInfo).port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => net.close(() => resolve()));
    },
  };
}
