// The Kubernetes lab's public surface (see README.md).
export { startKubernetesLab, type KubernetesLab, type KubernetesLabOptions } from './lab.js';
export { LabStore, UnknownKind, refOf, type ObjectRef } from './lab-store.js';
export { PeeringState, defaultPeeringState, type BgpPeerView, type PeeringStateProvider } from './bgp-operator.js';
export { Scenario, ScenarioName, scenario, type LabNode } from './scenario.js';
export type { Json, JsonObject } from './json.js';
