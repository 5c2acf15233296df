import { oper, type ClassEntry } from './entry.js';

// What the fabric reports about itself: pods and nodes, their firmware, BGP sessions, ARP
// adjacencies and capacity counters. All operational (read-only); the lab seeds them and keeps BGP and capacity
// in step with the configuration.

export const topologyClasses: ClassEntry[] = [
  oper('fabricTopology', 'topology', [], {}),
  oper('fabricPod', 'pod-{id}', ['fabricTopology'], { podType: 'physical' }),
  oper('fabricNode', 'node-{id}', ['fabricPod'], {
    adSt: 'on', address: '', fabricSt: 'active', model: '', name: '', nodeType: 'unspecified', role: 'leaf',
    serial: '', vendor: 'Cisco Systems, Inc', version: '',
  }),
  oper('topSystem', 'sys', ['fabricNode'], {
    address: '', fabricDomain: '', id: '', inbMgmtAddr: '0.0.0.0', name: '', oobMgmtAddr: '0.0.0.0', podId: '1',
    role: 'leaf', serial: '', state: 'in-service', version: '',
  }),
  oper('firmwareCtrlrFwStatusCont', 'ctrlrfwstatuscont', ['topSystem'], {}),
  oper('firmwareCtrlrRunning', 'ctrlrrunning', ['firmwareCtrlrFwStatusCont'], { type: 'controller', version: '' }),
  oper('firmwareFwStatusCont', 'fwstatuscont', ['topSystem'], {}),
  oper('firmwareRunning', 'running', ['firmwareFwStatusCont'], { peVer: '', type: 'switch', version: '' }),
  oper('bgpEntity', 'bgp', ['topSystem'], { adminSt: 'enabled', operSt: 'enabled' }),
  oper('bgpInst', 'inst', ['bgpEntity'], { adminSt: 'enabled', asn: '', operSt: 'enabled' }),
  oper('bgpDom', 'dom-{name}', ['bgpInst'], { operSt: 'up', rtrId: '' }),
  oper('bgpPeer', 'peer-[{addr}]', ['bgpDom'], { adminSt: 'enabled', asn: '', operSt: 'enabled', peerRole: 'external', type: 'ebgp' }),
  oper('bgpPeerEntry', 'ent-[{addr}]', ['bgpPeer'], {
    connAttempts: '0', connIf: '', flags: '', holdIntvl: '180', kaIntvl: '60', operSt: 'idle', prevOperSt: 'idle',
    rtrId: '0.0.0.0', type: 'ebgp',
  }),
  // ARP on the leaves: what the fabric knows of hosts behind an L3Out SVI (they are not fvCEp
  // endpoints there). adj-[eth1/24.62]-[192.168.254.1] on a sub-interface, adj-[vlan…]-[ip] on an
  // SVI; physIfId is the front-panel port the host answered on.
  oper('arpEntity', 'arp', ['topSystem'], { adminSt: 'enabled', operSt: 'enabled' }),
  oper('arpInst', 'inst', ['arpEntity'], { adminSt: 'enabled', operSt: 'enabled' }),
  oper('arpDom', 'dom-{name}', ['arpInst'], { encap: '', operSt: 'up' }),
  oper('arpDb', 'db-{type}', ['arpDom'], {}),
  oper('arpAdjEp', 'adj-[{ifId}]-[{ip}]', ['arpDb'], { mac: '', operSt: 'normal', physIfId: '', upTS: '' }),
  oper('eqptcapacityEntity', 'eqptcapacity', ['topSystem'], {}),
  oper('eqptcapacityPolUsage5min', 'CDeqptcapacityPolUsage5min', ['eqptcapacityEntity'], {
    cnt: '1', polUsageAvg: '0', polUsageCapAvg: '0', polUsageCapCum: '0', polUsageCum: '0', polUsage: '0', polUsageCap: '0',
    repIntvEnd: '', repIntvStart: '',
  }),
];
