import type { ConnectivityReport } from './connectivity-report.js';
import { parseConnectivityConsole } from './connectivity-console.js';
import { parseConnectivityJunit, summariseConnectivityJunit } from './connectivity-junit.js';

// Either result file of `cilium connectivity test`: the JUnit XML or the console log.

export function looksLikeJunit(text: string): boolean {
  const head = text.replace(/^\uFEFF/, '').trimStart();
  return head.startsWith('<?xml') || head.startsWith('<testsuites') || head.startsWith('<testsuite');
}

export function readConnectivityResult(text: string): ConnectivityReport {
  return looksLikeJunit(text) ? summariseConnectivityJunit(parseConnectivityJunit(text)) : parseConnectivityConsole(text);
}
