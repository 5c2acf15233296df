import { aaaClasses } from './aaa.js';
import { bgpClasses } from './bgp.js';
import type { ClassEntry } from './entry.js';
import { infraClasses } from './infra.js';
import { l3outClasses } from './l3out.js';
import { routeControlClasses } from './route-control.js';
import { tenantClasses } from './tenant.js';
import { topologyClasses } from './topology.js';

// The APIC class catalogue as data, one table per class (README.md in this folder).
export const classCatalog: ReadonlyArray<ClassEntry> = [
  ...tenantClasses, ...l3outClasses, ...bgpClasses, ...routeControlClasses, ...infraClasses, ...topologyClasses, ...aaaClasses,
];
