#!/usr/bin/env node
// The lab `cilium` executable (a cilium-cli v0.19 look-alike over the changeflow lab). TypeScript
// sources run through tsx so that no build step is needed.
import './polyfills.mjs';
import { register } from 'tsx/esm/api';

register();
await import('../local/lab/cilium-cli/main.ts');
