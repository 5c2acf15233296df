import { buildApp } from './app.js';

// Entry for the CDK CLI (cdk.json): build the app and let the CLI synthesise it.
buildApp().app.synth();
