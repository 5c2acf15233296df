import { GetActivityTaskCommand } from '@aws-sdk/client-sfn';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivityClient } from '../../../agent/activity-client.js';

// The agent's Step Functions client over the wire: a long poll needs a socket timeout above the
// 60 s GetActivityTask holds a request (issue 8: ≥ 65 s), and dummy keys are for loopback only.

let server: Server;
let endpoint: string;
const authorizations: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    authorizations.push(req.headers.authorization ?? '');
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      res.end('{}'); // no task this time
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('createActivityClient', () => {
  it('polls with a socket timeout of at least 65 s, signing with dummy keys on a loopback endpoint', async () => {
    const client = createActivityClient({ region: 'us-east-1', endpoint }, {});
    try {
      const out = await client.send(new GetActivityTaskCommand({ activityArn: 'arn:aws:states:us-east-1:000000000000:activity:a', workerName: 'w' }));
      expect(out.taskToken).toBeUndefined();
      const handler = client.config.requestHandler as { httpHandlerConfigs(): { requestTimeout?: number } };
      expect(handler.httpHandlerConfigs().requestTimeout).toBeGreaterThanOrEqual(65_000);
      expect(authorizations.at(-1)).toMatch(/Credential=local\//);
    } finally {
      client.destroy();
    }
  });

  it('uses the real credential chain for an AWS (VPC) endpoint', async () => {
    const saved = { id: process.env['AWS_ACCESS_KEY_ID'], secret: process.env['AWS_SECRET_ACCESS_KEY'] };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIABASTIONROLE', AWS_SECRET_ACCESS_KEY: 'secret' });
    const client = createActivityClient({ region: 'eu-west-1', endpoint: 'https://vpce-0abc.states.eu-west-1.vpce.amazonaws.com' }, {});
    try {
      const credentials = await client.config.credentials();
      expect(credentials.accessKeyId).toBe('AKIABASTIONROLE');
    } finally {
      client.destroy();
      for (const [key, value] of [['AWS_ACCESS_KEY_ID', saved.id], ['AWS_SECRET_ACCESS_KEY', saved.secret]] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});
