import { describe, expect, it } from 'vitest';
import { managedFieldsOf, ownedLeafPaths, pathText, projectOwned, valueAt, type FieldsV1 } from '../../../shared/cilium/plan/managed-fields.js';
import { conflictingFields, isManagedByChangeflow } from '../../../shared/cilium/plan/field-owners.js';
import type { KubeObject } from '../../../shared/plan/index.js';

const clusterConfig: KubeObject = {
  apiVersion: 'cilium.io/v2',
  kind: 'CiliumBGPClusterConfig',
  metadata: {
    name: 'aci',
    labels: { team: 'net' },
    managedFields: [
      {
        manager: 'kubectl', operation: 'Apply', apiVersion: 'cilium.io/v2', fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:team': {} } },
          'f:spec': { 'f:bgpInstances': { 'k:{"name":"aci"}': { '.': {}, 'f:name': {}, 'f:localASN': {}, 'f:peers': { 'k:{"name":"leaf-101"}': { 'f:name': {}, 'f:peerASN': {} } } } } },
        },
      },
      { manager: 'cilium-operator', operation: 'Update', subresource: 'status', fieldsV1: { 'f:status': { 'f:conditions': {} } } },
      { manager: 'broken', operation: 'Update', fieldsV1: { 'f:spec': 'not a tree' } },
    ],
  },
  spec: { bgpInstances: [{ name: 'aci', localASN: 64512, localPort: 179, peers: [{ name: 'leaf-101', peerASN: 65001, peerAddress: '192.168.2.1' }] }] },
};

describe('managedFields', () => {
  it('skips an entry that does not parse instead of losing every entry', () => {
    expect(managedFieldsOf(clusterConfig).map((e) => e.manager)).toEqual(['kubectl', 'cilium-operator']);
  });

  it('lists owned leaves through keyed list items', () => {
    const fields = managedFieldsOf(clusterConfig)[0]?.fieldsV1 as FieldsV1;
    expect(ownedLeafPaths(fields).map(pathText)).toEqual([
      '.metadata.labels.team',
      '.spec.bgpInstances[name=aci].name',
      '.spec.bgpInstances[name=aci].localASN',
      '.spec.bgpInstances[name=aci].peers[name=leaf-101].name',
      '.spec.bgpInstances[name=aci].peers[name=leaf-101].peerASN',
    ]);
    expect(valueAt(clusterConfig, [{ field: 'spec' }, { field: 'bgpInstances' }, { key: { name: 'aci' } }, { field: 'localASN' }])).toBe(64512);
  });

  it('projects an object onto what one manager owns, leaving other managers\' and server fields out', () => {
    const fields = managedFieldsOf(clusterConfig)[0]?.fieldsV1 as FieldsV1;
    expect(projectOwned(clusterConfig, fields)).toEqual({
      metadata: { labels: { team: 'net' } },
      spec: { bgpInstances: [{ name: 'aci', localASN: 64512, peers: [{ name: 'leaf-101', peerASN: 65001 }] }] },
    });
  });

  it('reports a field another manager owns only when the manifest would change its value', () => {
    const desired: KubeObject = { ...clusterConfig, metadata: { name: 'aci' }, spec: { bgpInstances: [{ name: 'aci', localASN: 64513, peers: [{ name: 'leaf-101', peerASN: 65001 }] }] } };
    expect(conflictingFields(clusterConfig, desired)).toEqual([
      { manager: 'kubectl', operation: 'Apply', path: '.spec.bgpInstances[name=aci].localASN', current: 64512, desired: 64513 },
    ]);
  });

  it('knows changeflow\'s objects by label or by its field manager', () => {
    expect(isManagedByChangeflow(clusterConfig)).toBe(false);
    expect(isManagedByChangeflow({ ...clusterConfig, metadata: { name: 'x', labels: { 'app.kubernetes.io/managed-by': 'changeflow' } } })).toBe(true);
    expect(isManagedByChangeflow({ ...clusterConfig, metadata: { name: 'x', managedFields: [{ manager: 'changeflow', operation: 'Apply', fieldsV1: { 'f:spec': {} } }] } })).toBe(true);
  });
});
