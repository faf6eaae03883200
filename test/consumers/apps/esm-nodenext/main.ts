// An ES module app compiled with tsc (NodeNext, strict, exactOptionalPropertyTypes) and run with plain node.
import { App } from 'cdk8s';
import { type CredentialStore, ObservabilityChart, type ObservabilityChartProps } from 'aiml-observability';

// Fixed passwords: nothing is written to the working directory, and every app synthesizes the same objects.
const credentials: CredentialStore = { getOrCreate: (key) => `consumer-test/${key}` };
const props: ObservabilityChartProps = { delivery: 'external', credentials };

const app = new App();
new ObservabilityChart(app, 'observability', props);
app.synth();
