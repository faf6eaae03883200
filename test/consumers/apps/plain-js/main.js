// A plain JavaScript (CommonJS) app: no compiler, no types.
const { App } = require('cdk8s');
const { ObservabilityChart } = require('aiml-observability');

const app = new App();
new ObservabilityChart(app, 'observability', {
  delivery: 'external',
  // Fixed passwords: nothing is written to the working directory, and every app synthesizes the same objects.
  credentials: { getOrCreate: (key) => `consumer-test/${key}` },
});
app.synth();
