/** Rewrites docs/dashboards.md from the dashboard models: `npx tsx scripts/dashboards-doc.ts`. */
import { writeFileSync } from 'node:fs';
import { renderDashboardsDoc } from './dashboards-doc-render.js';
import { metricNames } from '../test/support/promql.js';

const file = new URL('../docs/dashboards.md', import.meta.url);
writeFileSync(file, renderDashboardsDoc((expr) => metricNames(expr, { grafana: true })));
console.log(`wrote ${file.pathname}`);
