import * as z from '../../shared/zod.js';
import { forgetSettings } from '../../functions/runtime/settings.js';
import { startApiServer } from './server.js';

// The HTTP API in a process of its own (started by api-process.ts): on AWS the handlers run in
// Lambda containers, never on the Step Functions engine's event loop, and locally they do not
// either — a burst of webhooks cannot stall the engine's timers and task tokens, nor the engine
// the webhooks. The parent speaks over the IPC channel; when it goes away, so does this process.

const Options = z.object({ port: z.int().check(z.gte(0), z.lte(65535)), maxBodyBytes: z.optional(z.int().check(z.positive())) });

export const ParentMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('env'), id: z.number(), env: z.record(z.string(), z.string()) }),
  z.object({ type: z.literal('cpu'), id: z.number() }),
]);

const send = (message: unknown) => process.send?.(message);

const options = Options.parse(JSON.parse(process.argv[2] ?? '{}'));
const server = await startApiServer({
  port: options.port,
  maxBodyBytes: options.maxBodyBytes,
  log: (line) => process.stderr.write(`${line}\n`),
});

process.on('message', (raw: unknown) => {
  const message = ParentMessage.parse(raw);
  if (message.type === 'env') {
    // As a Lambda's configuration: set before the next invocation, settings read anew.
    Object.assign(process.env, message.env);
    forgetSettings();
    send({ type: 'ack', id: message.id });
  } else {
    send({ type: 'cpu', id: message.id, usage: process.cpuUsage() });
  }
});
process.once('disconnect', () => {
  void server.close().finally(() => process.exit(0));
});
send({ type: 'listening', url: server.url });
