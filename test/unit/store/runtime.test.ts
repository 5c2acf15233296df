import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../functions/runtime/config.js';
import { errorReply, parseHttpEvent, bodyText, replyForError } from '../../../functions/runtime/http.js';
import { InvalidInput } from '../../../shared/errors.js';
import { ChangeNotFound, TargetBusy } from '../../../shared/store/index.js';

describe('Lambda runtime config', () => {
  it('reads TABLE_NAME, an optional DYNAMODB_ENDPOINT and AWS_REGION', () => {
    expect(loadConfig({ TABLE_NAME: 'changeflow', AWS_REGION: 'eu-west-1' })).toEqual({ tableName: 'changeflow', region: 'eu-west-1', dynamodbEndpoint: undefined });
    expect(loadConfig({ TABLE_NAME: 'changeflow', DYNAMODB_ENDPOINT: 'http://127.0.0.1:4567' }).dynamodbEndpoint).toBe('http://127.0.0.1:4567');
  });

  it('refuses a missing table name or a malformed endpoint, naming the variable', () => {
    expect(() => loadConfig({})).toThrow(/TABLE_NAME/);
    expect(() => loadConfig({ TABLE_NAME: 'changeflow', DYNAMODB_ENDPOINT: 'not a url' })).toThrow(/DYNAMODB_ENDPOINT/);
  });
});

describe('HTTP replies', () => {
  it.each([
    [new InvalidInput('bad', [{ path: 'since', message: 'ISO 8601' }]), 400, { code: 'InvalidInput', message: 'bad', issues: [{ path: 'since', message: 'ISO 8601' }] }],
    [new ChangeNotFound('c9'), 404, { code: 'ChangeNotFound' }],
    [new TargetBusy('fabric#a', 'c1', '2026-11-03T10:00:00.000Z', false), 409, { code: 'TargetBusy' }],
    [new Error('db password is hunter2'), 500, { code: 'InternalError' }],
  ] as const)('maps %s to %i', (err, status, error) => {
    const reply = replyForError(err);
    expect(reply.statusCode).toBe(status);
    expect(JSON.parse(reply.body)).toEqual({ error: expect.objectContaining(error) });
    expect(reply.body).not.toContain('hunter2');
  });

  it('omits issues when there are none', () => {
    expect(JSON.parse(errorReply(415, 'UnsupportedMediaType', 'send JSON').body)).toEqual({ error: { code: 'UnsupportedMediaType', message: 'send JSON' } });
  });

  it('parses an HTTP API v2 event and decodes a base64 body', () => {
    const event = parseHttpEvent({
      rawPath: '/webhooks/jira',
      headers: { 'content-type': 'application/json' },
      body: Buffer.from('{"a":1}').toString('base64'),
      isBase64Encoded: true,
      requestContext: { http: { method: 'POST' } },
    });
    expect(bodyText(event)).toBe('{"a":1}');
    expect(() => parseHttpEvent({ rawPath: '/x' })).toThrow(InvalidInput);
  });
});
