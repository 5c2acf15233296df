import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { validateFile } from '../../../cli/commands/validate.js';
import { ExitCode } from '../../../cli/exit-codes.js';

// Every fixture runs through the same function `changeflow validate` calls; the integration test
// spawns the real CLI for a few of them.
const dir = join(import.meta.dirname, '../../fixtures/specs/invalid');

// [fixture, exact JSON path, fragment of the message]
const cases: ReadonlyArray<readonly [string, string, string]> = [
  ['api-version-v2.yaml', 'apiVersion', 'must be changeflow/v1'],
  ['kind-change-request.yaml', 'kind', 'must be ChangeSpec'],
  ['typo-cluster-asm.yaml', 'changes[0].clusterAsm', 'unknown field "clusterAsm"'],
  ['missing-target-cluster.yaml', 'target.cluster', 'required field is missing'],
  ['router-id-not-ipv4.yaml', 'changes[0].anchors[0].routerId', 'expected an IPv4 address'],
  ['block-host-bits.yaml', 'changes[0].blocks[0]', 'host bits set; the network is 10.0.10.0/24'],
  ['block-ipv6-prefix-too-long.yaml', 'changes[0].blocks[1]', '"fd00:10::/129" is not a network prefix'],
  ['cluster-asn-zero.yaml', 'changes[0].clusterAsn', 'AS numbers start at 1'],
  ['cluster-asn-over-4-bytes.yaml', 'changes[0].clusterAsn', 'end at 4294967295'],
  ['cluster-asn-equals-fabric.yaml', 'changes[0].clusterAsn', 'must differ from the fabric AS 65001'],
  ['vlan-zero.yaml', 'changes[0].vlan', 'VLAN ids run from 1 to 4094'],
  ['vlan-4095.yaml', 'changes[0].vlan', 'VLAN ids run from 1 to 4094'],
  ['no-anchors.yaml', 'changes[0].anchors', 'at least one anchor leaf'],
  ['seven-anchors.yaml', 'changes[0].anchors', 'at most 6 anchor leaves'],
  ['duplicate-node-id.yaml', 'changes[0].anchors[1].nodeId', 'leaf 101 is listed twice'],
  ['duplicate-router-id.yaml', 'changes[0].anchors[1].routerId', 'router id 1.1.1.101 is already used by anchors[0]'],
  ['anchor-outside-subnet.yaml', 'changes[0].anchors[1].address', 'must be inside the peering subnet 192.168.2.0/24'],
  ['anchor-broadcast-address.yaml', 'changes[0].anchors[1].address', 'broadcast address of 192.168.2.0/24'],
  ['floating-outside-subnet.yaml', 'changes[0].floatingIp', 'must be inside the peering subnet'],
  ['floating-equals-anchor.yaml', 'changes[0].anchors[0].address', 'already used by the floating IP'],
  ['egress-ip-with-prefix.yaml', 'changes[0].egressIp', 'no prefix length'],
  ['pool-blocks-overlap.yaml', 'changes[0].blocks[1]', 'overlaps 10.0.10.0/24 in changes[0].blocks[0]'],
  ['pools-overlap.yaml', 'changes[1].blocks[1]', 'overlaps 10.0.10.0/24 in changes[0].blocks[0]'],
  ['label-key-invalid.yaml', 'changes[0].serviceSelector["team name"]', 'label key "team name"'],
  ['label-value-invalid.yaml', 'changes[0].podSelector.app', 'label value "frontend-"'],
  ['cilium-key-unknown.yaml', 'changes[0].settings.bpf-lb-algorythm', 'not a cilium-config key changeflow may set'],
  ['cilium-ipam-refused.yaml', 'changes[0].settings.ipam', 'changing the IPAM mode of a live cluster is refused'],
  ['cilium-lb-mode-value.yaml', 'changes[0].settings.bpf-lb-mode', 'must be one of snat, dsr, hybrid; got "direct"'],
  ['cilium-state-absent.yaml', 'changes[0].state', 'ciliumConfig has no absent state'],
  ['password-literal.yaml', 'changes[0].password', 'password takes a reference, {secretRef: NAME} naming a secret in the agent config, never the password itself'],
  ['two-bgp-peerings.yaml', 'changes[2].type', 'only one bgpPeering change per spec'],
  ['duplicate-pool-names.yaml', 'changes[1].name', 'loadBalancerPool "pool-red" is already defined in changes[0]'],
  ['unknown-change-type.yaml', 'changes[1].type', 'type must be one of bgpPeering'],
  ['mode-dry-run.yaml', 'mode', 'mode must be apply or plan-only'],
  ['connectivity-timeout-too-small.yaml', 'verify.connectivityTest.timeoutSeconds', 'at least 60 s'],
  ['excluded-outside-destinations.yaml', 'changes[0].excludedCidrs[0]', 'inside one of the destination CIDRs'],
  ['interface-regex-invalid.yaml', 'changes[1].interfaces[0]', 'not a valid regular expression'],
  ['duplicate-yaml-key.yaml', 'changes[0].vlan', 'duplicate key "vlan": the later value would silently win; keep one (line 11)'],
  ['request-window-reversed.json', 'window.end', 'the window must end after it starts'],
  ['request-spec-bad-vlan.json', 'spec.changes[0].vlan', 'VLAN ids run from 1 to 4094'],
];

describe('changeflow validate on invalid specs', () => {
  it.each(cases)('refuses %s at %s', async (fixture, path, fragment) => {
    const file = join(dir, fixture);
    const { exitCode, output } = await validateFile(file);
    expect(exitCode).toBe(ExitCode.badInput);
    const lines = output.trimEnd().split('\n');
    expect(lines[0]).toBe(`invalid: ${file}`);
    const line = lines.find((l) => l.startsWith(`  ${path}: `));
    expect(line, output).toBeDefined();
    expect(line).toContain(fragment);
  });

  it('does not echo a password given as a value', async () => {
    for (const json of [false, true]) expect((await validateFile(join(dir, 'password-literal.yaml'), { json })).output).not.toContain('Hunter2');
  });

  it('reports every problem of a spec, not just the first', async () => {
    const { output } = await validateFile(join(dir, 'typo-cluster-asm.yaml'));
    expect(output).toContain('  changes[0].clusterAsn: required field is missing');
    expect(output).toContain('  changes[0].clusterAsm: unknown field');
  });

  it('gives the JSON path and message of each issue with --json', async () => {
    const { exitCode, output } = await validateFile(join(dir, 'pools-overlap.yaml'), { json: true });
    expect(exitCode).toBe(ExitCode.badInput);
    const body = JSON.parse(output) as { valid: boolean; issues: Array<{ path: string; message: string }> };
    expect(body.valid).toBe(false);
    expect(body.issues).toHaveLength(1);
    expect(body.issues[0]?.path).toBe('changes[1].blocks[1]');
  });

  it('exits 3 with a clear message when the file cannot be read', async () => {
    const missing = join(dir, 'no-such-spec.yaml');
    const { exitCode, output } = await validateFile(missing);
    expect(exitCode).toBe(ExitCode.badInput);
    expect(output).toContain(`cannot read ${missing}: no such file`);
    const asDir = await validateFile(dir);
    expect(asDir.exitCode).toBe(ExitCode.badInput);
    expect(asDir.output).toContain('it is a directory');
  });

  it('has at least 25 distinct invalid fixtures', () => {
    expect(new Set(cases.map(([f]) => f)).size).toBeGreaterThanOrEqual(25);
  });
});
