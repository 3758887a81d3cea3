import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import Ajv, { type AnySchema, type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import JSZip from 'jszip';
import { menuCommandsIn } from '../../src/bot/commands';
import type { ConversationKind } from '../../src/domain/conversations';
import { stringsFor } from '../../src/i18n';
import { AppPackageError, buildAppPackage, packagingOptionsFromEnvironment } from '../../appPackage/packageApp';

const APP_PACKAGE_DIR = path.resolve(__dirname, '..', '..', 'appPackage');
const SCHEMA_ROOT = path.join(path.dirname(require.resolve('@microsoft/app-manifest/package.json')), 'build', 'json-schemas', 'teams');
const BOT_ID = '0b3c1a3e-7d5f-4c2a-9a57-1f0e2d3c4b5a';

type Json = Record<string, unknown>;

interface Command {
  title: string;
  description: string;
}

interface Manifest extends Json {
  $schema: string;
  manifestVersion: string;
  id: string;
  icons: { color: string; outline: string };
  localizationInfo: {
    defaultLanguageTag: string;
    defaultLanguageFile?: string;
    additionalLanguages: { languageTag: string; file: string }[];
  };
  bots: { botId: string; scopes: string[]; commandLists: { scopes: string[]; commands: Command[] }[] }[];
}

/**
 * The commands the bot answers, per manifest scope, from the bot's own command
 * table and strings: the manifest's command menus list exactly these, so a
 * menu never offers what the bot does not do.
 */
const MANIFEST_SCOPES: Record<string, ConversationKind> = { personal: 'personal', team: 'channel', groupChat: 'groupChat' };
const COMMANDS: Record<string, { sv: string[]; en: string[] }> = Object.fromEntries(
  Object.entries(MANIFEST_SCOPES).map(([scope, kind]) => [
    scope,
    {
      sv: menuCommandsIn(kind).map((command) => stringsFor('sv').commands[command.id].usage),
      en: menuCommandsIn(kind).map((command) => stringsFor('en').commands[command.id].usage),
    },
  ]),
);

async function readJson<T = Json>(file: string): Promise<T> {
  return JSON.parse(await fs.readFile(file, 'utf8')) as T;
}

async function readManifest(): Promise<Manifest> {
  return readJson<Manifest>(path.join(APP_PACKAGE_DIR, 'manifest.json'));
}

/** Compiles an official schema with the Ajv flavour its own `$schema` asks for. */
function compileSchema(schema: AnySchema & { $schema?: string }): ValidateFunction {
  const draft = schema.$schema ?? '';
  // The Teams schemas are not written for Ajv's strict mode, and the localisation
  // schema's patterns are not valid under the regex u flag.
  const options = { allErrors: true, strict: false, unicodeRegExp: false };
  const ajv = draft.includes('draft-04') ? new AjvDraft04(options) : draft.includes('2020-12') ? new Ajv2020(options) : new Ajv(options);
  addFormats(ajv);
  return ajv.compile(schema);
}

async function officialSchema(manifestVersion: string, fileName: string): Promise<ValidateFunction> {
  return compileSchema(await readJson(path.join(SCHEMA_ROOT, `v${manifestVersion}`, fileName)));
}

function describeErrors(validate: ValidateFunction): string {
  return JSON.stringify(validate.errors, null, 2);
}

function fill(text: string, botId: string): string {
  return text.replace(/\$\{\{BOT_ID\}\}/g, botId);
}

/** Follows a localisation key such as `bots[0].commandLists[1].commands[2].title` into the manifest. */
function resolveKey(manifest: unknown, key: string): unknown {
  let node = manifest;
  for (const part of key.match(/[^.[\]]+/g) ?? []) {
    node = node !== null && typeof node === 'object' ? (node as Json)[part] : undefined;
  }
  return node;
}

interface DecodedPng {
  width: number;
  height: number;
  colorType: number;
  /** RGBA, 4 bytes per pixel. */
  pixels: Buffer;
}

/** A small decoder for 8-bit, non-interlaced greyscale/RGB(A) PNGs: enough to check the icons. */
function decodePng(bytes: Buffer): DecodedPng {
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let offset = 8;
  let header: Buffer | undefined;
  const data: Buffer[] = [];
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('ascii', offset + 4, offset + 8);
    const body = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') header = body;
    if (type === 'IDAT') data.push(body);
    offset += 12 + length;
  }
  if (!header) throw new Error('PNG without IHDR');
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  const [bitDepth, colorType, , , interlace] = [header[8], header[9], header[10], header[11], header[12]];
  const channelsByType: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };
  const channels = channelsByType[colorType ?? -1];
  if (bitDepth !== 8 || channels === undefined || interlace !== 0) {
    throw new Error(`unsupported PNG: bit depth ${bitDepth}, colour type ${colorType}, interlace ${interlace}`);
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const lines = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x] ?? 0;
      const left = x >= channels ? (lines[y * stride + x - channels] ?? 0) : 0;
      const up = y > 0 ? (lines[(y - 1) * stride + x] ?? 0) : 0;
      const upLeft = x >= channels && y > 0 ? (lines[(y - 1) * stride + x - channels] ?? 0) : 0;
      let predicted = 0;
      if (filter === 1) predicted = left;
      else if (filter === 2) predicted = up;
      else if (filter === 3) predicted = Math.floor((left + up) / 2);
      else if (filter === 4) {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        predicted = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      }
      lines[y * stride + x] = (value + predicted) & 0xff;
    }
  }
  const pixels = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const px = lines.subarray(i * channels, (i + 1) * channels);
    const [r, g, b, a] =
      channels === 1
        ? [px[0], px[0], px[0], 255]
        : channels === 2
          ? [px[0], px[0], px[0], px[1]]
          : channels === 3
            ? [px[0], px[1], px[2], 255]
            : [px[0], px[1], px[2], px[3]];
    pixels.set([r ?? 0, g ?? 0, b ?? 0, a ?? 0], i * 4);
  }
  return { width, height, colorType: colorType ?? -1, pixels };
}

async function copyAppPackage(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'malbild-apppackage-'));
  for (const entry of await fs.readdir(APP_PACKAGE_DIR, { withFileTypes: true })) {
    if (entry.isFile()) await fs.copyFile(path.join(APP_PACKAGE_DIR, entry.name), path.join(dir, entry.name));
  }
  return dir;
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

async function rejection(promise: Promise<unknown>): Promise<AppPackageError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(AppPackageError);
  return error as AppPackageError;
}

describe('Teams app manifest', () => {
  it('when the manifest is filled with a bot id then it validates against the official schema for its manifestVersion', async () => {
    const manifest = await readManifest();
    const filled: unknown = JSON.parse(fill(await fs.readFile(path.join(APP_PACKAGE_DIR, 'manifest.json'), 'utf8'), BOT_ID));
    const validate = await officialSchema(manifest.manifestVersion, 'MicrosoftTeams.schema.json');

    expect(validate(filled)).toBe(true);
    expect(describeErrors(validate)).toBe('null');
  });

  it('when reading the manifest then $schema is the official URL of a version with a default-language file (1.19 or later)', async () => {
    const manifest = await readManifest();
    const [major, minor] = manifest.manifestVersion.split('.').map(Number);

    expect(manifest.$schema).toBe(`https://developer.microsoft.com/en-us/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.schema.json`);
    expect(major).toBe(1);
    expect(minor).toBeGreaterThanOrEqual(19);
  });

  it('when reading the manifest then the app id and the bot id are the ${{BOT_ID}} placeholder for the packager', async () => {
    const manifest = await readManifest();

    expect(manifest.id).toBe('${{BOT_ID}}');
    expect(manifest.bots).toHaveLength(1);
    expect(manifest.bots[0]?.botId).toBe('${{BOT_ID}}');
    expect(manifest.bots[0]?.scopes).toEqual(['personal', 'team', 'groupChat']);
  });

  it.each(Object.entries(COMMANDS))('when listing the %s commands then they are the Swedish commands the bot answers, hjälp first', async (scope, { sv }) => {
    const manifest = await readManifest();
    const lists = manifest.bots[0]?.commandLists.filter((list) => list.scopes.includes(scope)) ?? [];

    expect(lists).toHaveLength(1);
    expect(lists[0]?.scopes).toEqual([scope]);
    expect(lists[0]?.commands.map((command) => command.title)).toEqual(sv);
    for (const command of lists[0]?.commands ?? []) expect(command.description.trim()).not.toBe('');
  });
});

describe('Teams app localisation', () => {
  it('when reading localizationInfo then Swedish is the default language with sv.json and English is in en.json', async () => {
    const manifest = await readManifest();

    expect(manifest.localizationInfo).toEqual({
      defaultLanguageTag: 'sv-se',
      defaultLanguageFile: 'sv.json',
      additionalLanguages: [{ languageTag: 'en-us', file: 'en.json' }],
    });
  });

  it.each(['sv.json', 'en.json'])(
    'when validating %s then it conforms to the official localisation schema and every key names a manifest text',
    async (fileName) => {
      const manifest = await readManifest();
      const localisation = await readJson(path.join(APP_PACKAGE_DIR, fileName));
      const validate = await officialSchema(manifest.manifestVersion, 'MicrosoftTeams.Localization.schema.json');

      expect(validate(localisation)).toBe(true);
      expect(describeErrors(validate)).toBe('null');
      expect(localisation.$schema).toBe(
        `https://developer.microsoft.com/en-us/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.Localization.schema.json`,
      );
      for (const key of Object.keys(localisation).filter((k) => k !== '$schema')) {
        expect([key, typeof resolveKey(manifest, key)]).toEqual([key, 'string']);
      }
    },
  );

  it('when comparing sv.json with manifest.json then the default-language file holds exactly the manifest texts', async () => {
    const manifest = await readManifest();
    const sv = await readJson(path.join(APP_PACKAGE_DIR, 'sv.json'));
    const texts = Object.fromEntries(
      Object.keys(sv)
        .filter((k) => k !== '$schema')
        .map((key) => [key, resolveKey(manifest, key)]),
    );
    const commandCount = manifest.bots[0]?.commandLists.reduce((sum, list) => sum + list.commands.length, 0) ?? 0;

    expect(texts).toEqual(Object.fromEntries(Object.entries(sv).filter(([k]) => k !== '$schema')));
    expect(Object.keys(texts)).toHaveLength(4 + 2 * commandCount);
  });

  it('when comparing en.json with sv.json then English translates every key, with different text', async () => {
    const sv = await readJson(path.join(APP_PACKAGE_DIR, 'sv.json'));
    const en = await readJson(path.join(APP_PACKAGE_DIR, 'en.json'));

    expect(Object.keys(en).sort()).toEqual(Object.keys(sv).sort());
    expect(en['description.full']).not.toEqual(sv['description.full']);
  });

  it.each(Object.entries(COMMANDS))(
    'when reading the English %s commands then they are the English commands the bot answers, help first',
    async (scope, { en: expected }) => {
      const manifest = await readManifest();
      const en = await readJson(path.join(APP_PACKAGE_DIR, 'en.json'));
      const listIndex = manifest.bots[0]?.commandLists.findIndex((list) => list.scopes.includes(scope)) ?? -1;
      const titles = expected.map((_, i) => en[`bots[0].commandLists[${listIndex}].commands[${i}].title`]);

      expect(listIndex).toBeGreaterThanOrEqual(0);
      expect(titles).toEqual(expected);
    },
  );
});

describe('Teams app icons', () => {
  it('when reading color.png then it is a 192×192 full-colour PNG', async () => {
    const png = decodePng(await fs.readFile(path.join(APP_PACKAGE_DIR, 'color.png')));

    expect([png.width, png.height]).toEqual([192, 192]);
    expect([2, 6]).toContain(png.colorType);
  });

  it('when reading outline.png then it is 32×32 with only white or fully transparent pixels', async () => {
    const png = decodePng(await fs.readFile(path.join(APP_PACKAGE_DIR, 'outline.png')));
    const offending: number[] = [];
    let visible = 0;
    let transparent = 0;
    for (let i = 0; i < png.width * png.height; i++) {
      const [r, g, b, a] = png.pixels.subarray(i * 4, i * 4 + 4);
      if (a === 0) transparent++;
      else if (r === 255 && g === 255 && b === 255) visible++;
      else offending.push(i);
    }

    expect([png.width, png.height]).toEqual([32, 32]);
    expect(png.colorType).toBe(6);
    expect(offending).toEqual([]);
    expect(visible).toBeGreaterThan(0);
    expect(transparent).toBeGreaterThan(0);
  });
});

describe('buildAppPackage', () => {
  let workDir: string;
  let outFile: string;

  beforeEach(async () => {
    workDir = await copyAppPackage();
    outFile = path.join(workDir, 'build', 'appPackage.zip');
  });

  afterEach(async () => {
    await fs.rm(workDir, { recursive: true, force: true });
  });

  it('when BOT_ID is a GUID then it writes a zip with the filled manifest, both icons and both localisation files', async () => {
    const result = await buildAppPackage({ botId: BOT_ID, appPackageDir: workDir, outFile });
    const zip = await JSZip.loadAsync(await fs.readFile(outFile));
    const manifestText = await zip.file('manifest.json')?.async('string');
    const manifest = JSON.parse(manifestText ?? '{}') as Manifest;

    expect(result.outFile).toBe(outFile);
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'en.json', 'manifest.json', 'outline.png', 'sv.json']);
    expect(manifestText).not.toContain('${{');
    expect(manifest.id).toBe(BOT_ID);
    expect(manifest.bots[0]?.botId).toBe(BOT_ID);
    expect(await zip.file('outline.png')?.async('nodebuffer')).toEqual(await fs.readFile(path.join(APP_PACKAGE_DIR, 'outline.png')));
  });

  it('when the environment holds BOT_ID then the options read it from the given environment', async () => {
    const options = packagingOptionsFromEnvironment({ BOT_ID }, workDir);
    await buildAppPackage(options);

    expect(options.botId).toBe(BOT_ID);
    expect(options.outFile).toBe(outFile);
    expect(await exists(outFile)).toBe(true);
  });

  it.each([
    ['missing', undefined, /BOT_ID is not set/],
    ['empty', '  ', /BOT_ID is not set/],
    ['not a GUID', 'my-bot', /BOT_ID must be the bot's Microsoft App ID \(a GUID[^)]*\); got "my-bot"/],
  ])('when BOT_ID is %s then it is refused with a clear message and no zip is written', async (_case, botId, message) => {
    const error = await rejection(buildAppPackage({ botId, appPackageDir: workDir, outFile }));

    expect(error.message).toMatch(message);
    expect(error.code).toBe('APP_PACKAGE_INVALID');
    expect(await exists(outFile)).toBe(false);
  });

  it('when the manifest breaks the official schema then no zip is written and the problem is named', async () => {
    const manifestFile = path.join(workDir, 'manifest.json');
    const manifest = await readJson(manifestFile);
    await fs.writeFile(manifestFile, JSON.stringify({ ...manifest, accentColor: 'blue' }));

    const error = await rejection(buildAppPackage({ botId: BOT_ID, appPackageDir: workDir, outFile }));

    expect(error.message).toContain('manifest.json /accentColor');
    expect(await exists(outFile)).toBe(false);
  });

  it('when the manifest uses a placeholder without a value then it is refused naming the placeholder', async () => {
    const manifestFile = path.join(workDir, 'manifest.json');
    const manifest = await readJson<Manifest>(manifestFile);
    await fs.writeFile(manifestFile, JSON.stringify({ ...manifest, developer: { ...(manifest.developer as Json), name: '${{DEVELOPER_NAME}}' } }));

    const error = await rejection(buildAppPackage({ botId: BOT_ID, appPackageDir: workDir, outFile }));
    await buildAppPackage({ botId: BOT_ID, variables: { DEVELOPER_NAME: 'Exempelkommunen' }, appPackageDir: workDir, outFile });
    const zip = await JSZip.loadAsync(await fs.readFile(outFile));

    expect(error.message).toContain('manifest.json uses ${{DEVELOPER_NAME}} but DEVELOPER_NAME is not set');
    expect(await zip.file('manifest.json')?.async('string')).toContain('"name":"Exempelkommunen"');
  });

  it('when an icon has the wrong size or a localisation file is invalid then every problem is reported and no zip is written', async () => {
    await fs.copyFile(path.join(workDir, 'outline.png'), path.join(workDir, 'color.png'));
    const en = await readJson(path.join(workDir, 'en.json'));
    await fs.writeFile(path.join(workDir, 'en.json'), JSON.stringify({ ...en, 'description.short': '' }));

    const error = await rejection(buildAppPackage({ botId: BOT_ID, appPackageDir: workDir, outFile }));

    expect(error.problems).toEqual(
      expect.arrayContaining(['color.png is 32×32 pixels; Teams requires 192×192', expect.stringMatching(/^en\.json \/description\.short /)]),
    );
    expect(await exists(outFile)).toBe(false);
  });
});
