#!/usr/bin/env node
// The changeflow command. TypeScript sources run through tsx so that no build step is needed.
import './polyfills.mjs';
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
