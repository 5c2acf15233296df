import { App } from 'aws-cdk-lib';
import { buildApp } from './app.js';

// `npm run synth`: writes the CloudFormation template (and bundled functions) to cdk.out/.
const { app } = buildApp(new App({ outdir: 'cdk.out' }));
const assembly = app.synth();
for (const stack of assembly.stacks) console.log(`synthesised ${stack.stackName} → ${stack.templateFullPath}`);
