/**
 * Every OpenSearch user the stack creates has a name of its own (issue 15 item 5): the OpenSearch MCP server's user
 * and role are `OpensearchUser` / `OpensearchRole` objects named after the user, so a name the logs side already
 * uses would overwrite Fluent Bit's writer (or Grafana's reader) with a read-only role and another password.
 * Reserved names follow opensearch-project/security 3.1 (config/internal_users.yml, static_config/static_roles.yml).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { synthesize } from '../../app/main.js';
import { TEST_OPENSEARCH_IMAGE } from '../support/mcp.js';
import { synthStack, writeTestCredentialsFile } from '../support/synth.js';

function synthError(config: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'obs-users-'));
  writeFileSync(join(dir, 'observability.yaml'), `charts:\n  delivery: flux\n${config}`);
  writeTestCredentialsFile(dir);
  try {
    synthesize('dist', {}, dir);
  } catch (error) {
    return (error as Error).message;
  }
  return 'no error';
}

const mcp = (username: string) => `mcp:\n  enabled: true\n  opensearch:\n    image: ${TEST_OPENSEARCH_IMAGE}\n    username: ${username}\n`;

describe('OpenSearch user names across the stack', () => {
  it("refuses the MCP server's user under the name of the logs' writer or reader, naming the key and line", () => {
    expect(synthError(mcp('logs-log-writer'))).toMatch(
      /  - mcp\.opensearch\.username: "logs-log-writer" is a user the stack already has on this OpenSearch \(admin, kibanaserver, logs-log-writer, logs-log-reader\): a second OpensearchUser and OpensearchRole of that name would overwrite its password and permissions; choose another name \(line 7, column 5\)/,
    );
    expect(synthError(`opensearch:\n  clusterName: team\n${mcp('team-log-reader')}`)).toMatch(/mcp\.opensearch\.username: "team-log-reader" is a user the stack already has/);
    expect(synthError(`opensearch:\n  credentials:\n    adminUsername: boss\n${mcp('boss')}`)).toMatch(/mcp\.opensearch\.username: "boss" is a user the stack already has/);
  });

  it("refuses the image's own users and the static roles as the MCP user", () => {
    expect(synthError(mcp('kibanaserver'))).toMatch(/mcp\.opensearch\.username: "kibanaserver" is reserved by OpenSearch \(the image's own users: admin, anomalyadmin, kibanaserver, kibanaro, logstash, readall, snapshotrestore; its static roles: /);
    expect(synthError(mcp('all_access'))).toMatch(/mcp\.opensearch\.username: "all_access" is not allowed: must be an object name/);
    expect(synthError(mcp('readall'))).toMatch(/mcp\.opensearch\.username: "readall" is reserved by OpenSearch/);
    expect(synthError(mcp('admin'))).toMatch(/mcp\.opensearch\.username: "admin" is the OpenSearch admin/);
    expect(synthError(mcp('mcp-reader'))).toBe('no error');
  });
});

describe('OpenSearchCluster (library props)', () => {
  it("refuses a reserved name for the log writer or reader, which are OpensearchUser and OpensearchRole objects too", () => {
    expect(() => synthStack({ openSearch: { users: { logWriterUsername: 'logstash' } } })).toThrow(/openSearch\.users\.logWriterUsername: "logstash" is reserved by OpenSearch/);
    expect(() => synthStack({ openSearch: { users: { logReaderUsername: 'kibana_user' } } })).toThrow(/"kibana_user" is not allowed: must be an object name/);
    expect(() => synthStack({ openSearch: { users: { logReaderUsername: 'readall-and-monitor' } } })).not.toThrow();
  });
});
