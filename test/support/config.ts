import { expect } from 'vitest';
import { ConfigFileError, parseConfig } from '../../src/config/load-config.js';

/** The problems `parseConfig` reports for `text`, as `<key path>: <message>` lines; empty when it is valid. */
export function configProblems(text: string): string[] {
  try {
    parseConfig(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigFileError);
    return (error as ConfigFileError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  return [];
}
