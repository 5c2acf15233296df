import { afterEach, describe, expect, it } from 'vitest';
import { storeFromEnv } from '../../../functions/runtime/store.js';

// Found by the fault suite: a second dev stack started in the same process (a new dynalite on a
// new port) had its HTTP API answer 500 ECONNREFUSED, because the handlers kept the first stack's
// store. The store now follows the environment, as the execution starter already did.

const saved = { TABLE_NAME: process.env['TABLE_NAME'], DYNAMODB_ENDPOINT: process.env['DYNAMODB_ENDPOINT'] };

afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('storeFromEnv', () => {
  it('builds one store per table endpoint and reuses it', () => {
    Object.assign(process.env, { TABLE_NAME: 'changeflow', DYNAMODB_ENDPOINT: 'http://127.0.0.1:40001' });
    const first = storeFromEnv();
    expect(storeFromEnv()).toBe(first);
    process.env['DYNAMODB_ENDPOINT'] = 'http://127.0.0.1:40002';
    const second = storeFromEnv();
    expect(second).not.toBe(first);
    process.env['DYNAMODB_ENDPOINT'] = 'http://127.0.0.1:40001';
    expect(storeFromEnv()).toBe(first);
  });
});
