/** Partner settings from a JSON file (`--config`), with messages that name the file and key. */
import { readFile } from 'node:fs/promises';
import { type PartnerSettings, parseSettings, SettingsError } from '../shared/domain/partner-settings.js';

export class ConfigFileError extends Error {}

export async function loadSettingsFile(path: string | undefined): Promise<PartnerSettings> {
  if (!path) return parseSettings({});
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new ConfigFileError(`cannot read the partner settings file ${path}.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ConfigFileError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  try {
    return parseSettings(json);
  } catch (error) {
    if (error instanceof SettingsError) throw new SettingsError(error.problems.map((p) => `${path}: ${p}`));
    throw error;
  }
}
