import { describe, expect, it } from 'vitest';
import { ConfigInvalid } from '../../../functions/runtime/config.js';
import { executionStarterFromEnv } from '../../../functions/runtime/start-execution.js';

// The webhook and POST /changes ask for the container's starter on every request: it must come
// from the variables it needs, validated once per value, and a wrong value must name the field.

const arn = (name: string) => `arn:aws:states:eu-west-1:123456789012:stateMachine:${name}`;

describe('executionStarterFromEnv', () => {
  it('returns the same starter for the same settings, whatever else the environment holds', () => {
    const first = executionStarterFromEnv({ STATE_MACHINE_ARN: arn('cf-a'), AWS_REGION: 'eu-west-1', UNRELATED: 'x' });
    expect(executionStarterFromEnv({ STATE_MACHINE_ARN: arn('cf-a'), AWS_REGION: 'eu-west-1', UNRELATED: 'y' })).toBe(first);
  });

  it('makes another starter when the state machine or the endpoint differs', () => {
    const a = executionStarterFromEnv({ STATE_MACHINE_ARN: arn('cf-b'), AWS_REGION: 'eu-west-1' });
    expect(executionStarterFromEnv({ STATE_MACHINE_ARN: arn('cf-c'), AWS_REGION: 'eu-west-1' })).not.toBe(a);
    expect(executionStarterFromEnv({ STATE_MACHINE_ARN: arn('cf-b'), AWS_REGION: 'eu-west-1', SFN_ENDPOINT: 'http://127.0.0.1:8083' })).not.toBe(a);
  });

  it('refuses a value that is not a state machine ARN, naming the variable, however often it is asked', () => {
    for (let i = 0; i < 2; i++) {
      expect(() => executionStarterFromEnv({ STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:1:activity:x' })).toThrow(ConfigInvalid);
      expect(() => executionStarterFromEnv({ STATE_MACHINE_ARN: 'nope' })).toThrow(/STATE_MACHINE_ARN: expected a state machine ARN/);
    }
  });
});
