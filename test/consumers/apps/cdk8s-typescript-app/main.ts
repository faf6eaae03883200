// The app `cdk8s init typescript-app` generates (CommonJS, ts-node, jest), with the observability stack added.
import { App } from 'cdk8s';
import { ObservabilityChart, ObservabilityChartProps } from 'aiml-observability';

export const props: ObservabilityChartProps = {
  delivery: 'external',
  // Fixed passwords: nothing is written to the working directory, and every app synthesizes the same objects.
  credentials: { getOrCreate: (key: string) => `consumer-test/${key}` },
};

if (require.main === module) {
  const app = new App();
  new ObservabilityChart(app, 'observability', props);
  app.synth();
}
