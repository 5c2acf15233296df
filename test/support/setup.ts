// Same runtime as the CLI: aws-local-stepfunctions needs Promise.withResolvers on Node 20.
import '../../bin/polyfills.mjs';
