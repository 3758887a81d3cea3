/**
 * Builds the Teams app package: appPackage/ → appPackage/build/appPackage.zip.
 *
 * Fills the `${{NAME}}` placeholders in manifest.json and the localisation
 * files (BOT_ID is required and must be a GUID), validates the result against
 * the official Teams schemas for the manifest's declared version (shipped in
 * @microsoft/app-manifest), checks the icons, and only then writes the zip.
 *
 * Usage: `npm run package` (tsx runs this file) with BOT_ID set in the
 * environment. A build tool: it lives next to what it packages, uses
 * devDependencies, is not compiled into dist/ and is not part of the bot, so
 * it reads the environment itself instead of through src/config.ts.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import JSZip from 'jszip';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const MANIFEST_FILE = 'manifest.json';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Zip entries get a fixed timestamp so the same input gives the same bytes. */
const ZIP_ENTRY_DATE = new Date(Date.UTC(2024, 0, 1));

/** The icon fields of the manifest and the size Teams requires for each. */
const ICON_SIZES = { color: 192, outline: 32, color32x32: 32 } as const;

/** This file's own folder: the tool sits beside the manifest it packages. */
export const DEFAULT_APP_PACKAGE_DIR = __dirname;

export class AppPackageError extends Error {
  readonly code = 'APP_PACKAGE_INVALID';
  constructor(readonly problems: readonly string[]) {
    super(`Cannot build the Teams app package:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'AppPackageError';
  }
}

export interface BuildAppPackageOptions {
  /** The bot's Microsoft App ID (a GUID); fills `${{BOT_ID}}`. */
  readonly botId: string | undefined;
  /** Values for any other `${{NAME}}` placeholders. */
  readonly variables?: Readonly<Record<string, string | undefined>>;
  /** The folder holding manifest.json, the icons and the localisation files. */
  readonly appPackageDir: string;
  /** Where to write the zip; its folder is created when missing. */
  readonly outFile: string;
}

export interface AppPackage {
  readonly outFile: string;
  /** File names in the zip, manifest.json first. */
  readonly entries: readonly string[];
  readonly manifestVersion: string;
}

/** The parts of a schema-valid manifest this tool reads. */
interface ManifestShape {
  readonly $schema?: string;
  readonly manifestVersion: string;
  readonly icons: Readonly<Partial<Record<keyof typeof ICON_SIZES, string>>>;
  readonly localizationInfo?: {
    readonly defaultLanguageFile?: string;
    readonly additionalLanguages?: readonly { readonly languageTag: string; readonly file: string }[];
  };
}

/** Builds, validates and writes the app package; throws AppPackageError and writes nothing when anything is wrong. */
export async function buildAppPackage(options: BuildAppPackageOptions): Promise<AppPackage> {
  const botId = checkBotId(options.botId);
  const values: Record<string, string | undefined> = { ...options.variables, BOT_ID: botId };
  const problems: string[] = [];

  const manifestText = fillPlaceholders(await readText(options.appPackageDir, MANIFEST_FILE), MANIFEST_FILE, values, problems);
  const manifestJson = parseJson(manifestText, MANIFEST_FILE, problems);
  if (manifestJson === undefined) throw new AppPackageError(problems);

  const manifestVersion = readManifestVersion(manifestJson);
  const schemas = await loadSchemas(manifestVersion);
  if (!schemas.validateManifest(manifestJson)) {
    problems.push(...formatSchemaErrors(MANIFEST_FILE, schemas.validateManifest.errors));
    throw new AppPackageError(problems);
  }
  const manifest = manifestJson as ManifestShape;
  checkSchemaUrl(manifest, problems);

  const files = new Map<string, Buffer | string>([[MANIFEST_FILE, manifestText]]);

  for (const [field, size] of Object.entries(ICON_SIZES) as [keyof typeof ICON_SIZES, number][]) {
    const fileName = manifest.icons[field];
    if (fileName === undefined || !checkFileName(fileName, `icons.${field}`, problems)) continue;
    const icon = await readFileOrReport(options.appPackageDir, fileName, problems);
    if (icon === undefined) continue;
    checkPngSize(icon, fileName, size, problems);
    files.set(fileName, icon);
  }

  for (const fileName of localisationFiles(manifest)) {
    if (!checkFileName(fileName, 'localizationInfo', problems)) continue;
    const raw = await readFileOrReport(options.appPackageDir, fileName, problems);
    if (raw === undefined) continue;
    const text = fillPlaceholders(raw.toString('utf8'), fileName, values, problems);
    const localisation = parseJson(text, fileName, problems);
    if (localisation === undefined) continue;
    if (!schemas.validateLocalization(localisation)) {
      problems.push(...formatSchemaErrors(fileName, schemas.validateLocalization.errors));
      continue;
    }
    for (const key of Object.keys(localisation as object)) {
      if (key === '$schema' || key === 'localizationKeys') continue;
      if (typeof resolveManifestPath(manifestJson, key) !== 'string') {
        problems.push(`${fileName}: "${key}" does not name a text in manifest.json`);
      }
    }
    files.set(fileName, text);
  }

  if (problems.length > 0) throw new AppPackageError(problems);

  const zip = new JSZip();
  for (const [name, content] of files) zip.file(name, content, { date: ZIP_ENTRY_DATE });
  const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
  await fs.mkdir(path.dirname(options.outFile), { recursive: true });
  const partial = `${options.outFile}.partial`;
  await fs.writeFile(partial, bytes);
  await fs.rename(partial, options.outFile);

  return { outFile: options.outFile, entries: [...files.keys()], manifestVersion };
}

/** The packaging options for an environment such as process.env (BOT_ID plus any other placeholder values). */
export function packagingOptionsFromEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  appPackageDir: string = DEFAULT_APP_PACKAGE_DIR,
): BuildAppPackageOptions {
  return {
    botId: env.BOT_ID,
    variables: env,
    appPackageDir,
    outFile: path.join(appPackageDir, 'build', 'appPackage.zip'),
  };
}

/** The official schema files for a manifest version, as shipped in @microsoft/app-manifest. */
export function officialSchemaPaths(manifestVersion: string): { manifest: string; localization: string } {
  const root = path.join(path.dirname(require.resolve('@microsoft/app-manifest/package.json')), 'build', 'json-schemas', 'teams');
  const folder = path.join(root, manifestVersion === 'devPreview' ? 'vDevPreview' : `v${manifestVersion}`);
  return {
    manifest: path.join(folder, 'MicrosoftTeams.schema.json'),
    localization: path.join(folder, 'MicrosoftTeams.Localization.schema.json'),
  };
}

/** The `$schema` URL Microsoft publishes for a manifest version. */
export function officialSchemaUrl(manifestVersion: string): string {
  return `https://developer.microsoft.com/en-us/json-schemas/teams/v${manifestVersion}/MicrosoftTeams.schema.json`;
}

function checkBotId(botId: string | undefined): string {
  const value = botId?.trim();
  if (!value) {
    throw new AppPackageError(["BOT_ID is not set: set it to the bot's Microsoft App ID (a GUID) before packaging"]);
  }
  if (!GUID.test(value)) {
    throw new AppPackageError([`BOT_ID must be the bot's Microsoft App ID (a GUID such as 00000000-0000-0000-0000-000000000000); got "${value}"`]);
  }
  return value;
}

function fillPlaceholders(text: string, fileName: string, values: Readonly<Record<string, string | undefined>>, problems: string[]): string {
  const missing = new Set<string>();
  const filled = text.replace(PLACEHOLDER, (placeholder, name: string) => {
    const value = values[name];
    if (value === undefined || value === '') {
      missing.add(name);
      return placeholder;
    }
    // Placeholders sit inside JSON strings: escape the value as JSON string content.
    return JSON.stringify(value).slice(1, -1);
  });
  for (const name of missing) problems.push(`${fileName} uses \${{${name}}} but ${name} is not set`);
  return filled;
}

function parseJson(text: string, fileName: string, problems: string[]): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    problems.push(`${fileName} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

function readManifestVersion(manifest: unknown): string {
  const version = (manifest as { manifestVersion?: unknown } | null)?.manifestVersion;
  if (typeof version !== 'string' || !/^(\d+\.\d+|devPreview)$/.test(version)) {
    throw new AppPackageError([`${MANIFEST_FILE} needs a manifestVersion such as "1.22"; got ${JSON.stringify(version)}`]);
  }
  return version;
}

async function loadSchemas(manifestVersion: string): Promise<{ validateManifest: ValidateFunction; validateLocalization: ValidateFunction }> {
  const paths = officialSchemaPaths(manifestVersion);
  const read = async (file: string): Promise<object> => {
    try {
      return JSON.parse(await fs.readFile(file, 'utf8')) as object;
    } catch {
      throw new AppPackageError([`@microsoft/app-manifest has no official schema for manifestVersion ${manifestVersion} (looked for ${file})`]);
    }
  };
  // The Teams schemas are draft-04 and not written for Ajv's strict mode; the
  // localisation schema's patterns are not valid with the regex u flag.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return {
    validateManifest: ajv.compile(await read(paths.manifest)),
    validateLocalization: ajv.compile(await read(paths.localization)),
  };
}

function formatSchemaErrors(fileName: string, errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => {
    const where = error.instancePath || '/';
    const extra = 'additionalProperty' in error.params ? ` (${String(error.params.additionalProperty)})` : '';
    return `${fileName} ${where} ${error.message ?? 'is invalid'}${extra}`;
  });
}

function checkSchemaUrl(manifest: ManifestShape, problems: string[]): void {
  const expected = officialSchemaUrl(manifest.manifestVersion);
  const accepted = [expected, expected.replace('/en-us/', '/')];
  if (manifest.$schema !== undefined && !accepted.includes(manifest.$schema)) {
    problems.push(`${MANIFEST_FILE} $schema should be ${expected} to match manifestVersion ${manifest.manifestVersion}`);
  }
}

function localisationFiles(manifest: ManifestShape): string[] {
  const info = manifest.localizationInfo;
  const files = [info?.defaultLanguageFile, ...(info?.additionalLanguages ?? []).map((language) => language.file)];
  return files.filter((file): file is string => file !== undefined);
}

/** Teams reads the package's files from the zip's root: plain file names only. */
function checkFileName(fileName: string, field: string, problems: string[]): boolean {
  if (fileName === MANIFEST_FILE || path.basename(fileName) !== fileName || fileName.startsWith('.')) {
    problems.push(`${field}: "${fileName}" must be the name of a file next to ${MANIFEST_FILE}`);
    return false;
  }
  return true;
}

async function readText(dir: string, fileName: string): Promise<string> {
  const problems: string[] = [];
  const bytes = await readFileOrReport(dir, fileName, problems);
  if (bytes === undefined) throw new AppPackageError(problems);
  return bytes.toString('utf8');
}

async function readFileOrReport(dir: string, fileName: string, problems: string[]): Promise<Buffer | undefined> {
  try {
    return await fs.readFile(path.join(dir, fileName));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'is missing' : `cannot be read (${String(error)})`;
    problems.push(`${path.join(dir, fileName)} ${reason}`);
    return undefined;
  }
}

function checkPngSize(bytes: Buffer, fileName: string, size: number, problems: string[]): void {
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE) || bytes.toString('ascii', 12, 16) !== 'IHDR') {
    problems.push(`${fileName} is not a PNG file`);
    return;
  }
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  if (width !== size || height !== size) {
    problems.push(`${fileName} is ${width}×${height} pixels; Teams requires ${size}×${size}`);
  }
}

/** Follows a localisation key such as `bots[0].commandLists[1].commands[2].title` into the manifest. */
function resolveManifestPath(manifest: unknown, key: string): unknown {
  let node: unknown = manifest;
  for (const part of key.match(/[^.[\]]+/g) ?? []) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

async function main(): Promise<void> {
  try {
    const result = await buildAppPackage(packagingOptionsFromEnvironment(process.env));
    process.stdout.write(`Wrote ${path.relative(process.cwd(), result.outFile)} (manifest v${result.manifestVersion}: ${result.entries.join(', ')})\n`);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}

if (require.main === module) void main();
