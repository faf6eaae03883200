import { writeFileSync } from 'fs';
import { Testing } from 'cdk8s';
import { ObservabilityChart } from 'aiml-observability';
import { props } from './main';

describe('observability stack', () => {
  test('synthesizes under jest', () => {
    const app = Testing.app();
    const chart = new ObservabilityChart(app, 'observability', props);
    const charts = [chart.setupChart, chart].map((c) => Testing.synth(c));
    expect(charts.every((objects) => objects.length > 0)).toBe(true);
    // The consumer test compares these with what the repository's own code synthesizes.
    if (process.env.CONSUMER_OBJECTS) writeFileSync(process.env.CONSUMER_OBJECTS, JSON.stringify(charts));
  });
});
