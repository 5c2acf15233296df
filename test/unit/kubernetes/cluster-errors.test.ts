import { ApiException } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { mapClusterError } from '../../../agent/cluster/api-errors.js';
import { ApplyConflict, ClusterRequestFailed, ClusterUnavailable, InvalidObject, NotFound } from '../../../agent/cluster/errors.js';
import { rolloutProgress } from '../../../agent/cluster/rollout.js';

const status = (code: number, reason: string, extra: Record<string, unknown> = {}) =>
  new ApiException(code, 'Unsuccessful HTTP Request', JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: `${reason} happened`, reason, code, ...extra }), {});

describe('mapping API server failures to named errors', () => {
  it.each([
    [status(404, 'NotFound'), NotFound],
    [status(422, 'Invalid'), InvalidObject],
    [status(415, 'UnsupportedMediaType'), InvalidObject],
    [status(503, 'ServiceUnavailable'), ClusterUnavailable],
    [status(409, 'AlreadyExists'), ClusterRequestFailed],
    [status(401, 'Unauthorized'), ClusterRequestFailed],
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), ClusterUnavailable],
    [new Error('Unrecognized API version and kind: cilium.io/v2 Foo'), InvalidObject],
  ])('maps %s', (err, type) => {
    expect(mapClusterError(err, 'apply x')).toBeInstanceOf(type);
  });

  it('keeps the managers and fields of an apply conflict', () => {
    const err = mapClusterError(
      status(409, 'Conflict', { details: { causes: [{ type: 'FieldManagerConflict', message: 'conflict with "helm" using v1', field: '.data.bpf-lb-mode' }] } }),
      'apply ConfigMap kube-system/cilium-config',
    );
    expect(err).toBeInstanceOf(ApplyConflict);
    expect((err as ApplyConflict).conflicts).toEqual([{ manager: '"helm" using v1', field: '.data.bpf-lb-mode' }]);
    expect(err.message).toContain('apply ConfigMap kube-system/cilium-config');
  });
});

describe('rollout progress (kubectl rollout status rules)', () => {
  const ds = (generation: number, status: Record<string, number>) => ({ kind: 'DaemonSet', metadata: { name: 'cilium', generation }, status });
  const deploy = (status: Record<string, unknown>) => ({ kind: 'Deployment', metadata: { name: 'cilium-operator', generation: 2 }, spec: { replicas: 2 }, status: { observedGeneration: 2, ...status } });

  it.each([
    ['an unobserved generation', ds(2, { observedGeneration: 1, desiredNumberScheduled: 5, updatedNumberScheduled: 5, numberAvailable: 5 }), false],
    ['pods not yet updated', ds(2, { observedGeneration: 2, desiredNumberScheduled: 5, updatedNumberScheduled: 3, numberAvailable: 5 }), false],
    ['updated pods not available', ds(2, { observedGeneration: 2, desiredNumberScheduled: 5, updatedNumberScheduled: 5, numberAvailable: 4 }), false],
    ['every pod updated and available', ds(2, { observedGeneration: 2, desiredNumberScheduled: 5, updatedNumberScheduled: 5, numberAvailable: 5 }), true],
    ['old replicas still terminating', deploy({ replicas: 3, updatedReplicas: 2, availableReplicas: 2 }), false],
    ['a finished deployment', deploy({ replicas: 2, updatedReplicas: 2, availableReplicas: 2 }), true],
  ])('decides whether the rollout is done for %s', (_what, obj, done) => {
    expect(rolloutProgress(obj).done).toBe(done);
  });

  it('reports a deployment past its progress deadline as failed', () => {
    const p = rolloutProgress(deploy({ conditions: [{ type: 'Progressing', reason: 'ProgressDeadlineExceeded' }] }));
    expect(p).toMatchObject({ done: false, failed: true });
  });
});
