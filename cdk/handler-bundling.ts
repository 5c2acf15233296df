// How every Lambda handler is bundled, as plain data: HandlerFunction hands it to NodejsFunction
// (the local esbuild, no Docker) and the bundle-size benchmark and test hand it to esbuild's API,
// so the sizes they report are those of what is deployed. No aws-cdk-lib here: cheap to import.
export const handlerBundling = {
  format: 'esm',
  /** Must match the Lambda runtime in handler-function.ts (nodejs24.x). */
  target: 'node24',
  minify: true,
  sourceMap: false,
  mainFields: ['module', 'main'],
  // The Node.js runtime ships AWS SDK v3; bundling it again would only add weight.
  externalModules: ['@aws-sdk/*'],
  // Some dependencies still call require(); ESM output has none unless we make one.
  banner: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
} as const;

/**
 * Issues 7 and 18: every Lambda bundle, Powertools Logger and Metrics included, stays within 300 KB
 * (300 000 bytes, decimal as the issues say it) minified. test/unit/cdk/bundle-size.test.ts holds it.
 */
export const bundleBudgetBytes = 300_000;
