/**
 * Renders cards with Microsoft's `adaptivecards` renderer under Teams' light
 * host config in headless Chromium (Debian's, never a downloaded browser),
 * and reads from the DOM what a person would trip over: renderer warnings,
 * text cut off, buttons squeezed, text below WCAG AA contrast.
 *
 * teams-light-host-config.json and teams-light.css are the Adaptive Cards
 * designer's "Microsoft Teams - Light" host (npm adaptivecards-designer 2.4.4:
 * lib/hostConfigs/microsoft-teams-light.json and
 * src/containers/teams/teams-container-light.css, MIT), kept beside this file
 * because that package cannot be installed next to adaptivecards 3.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import type { AdaptiveCard } from '../../src/cards/render';

export const CHROMIUM = '/usr/bin/chromium';
export const WIDTHS = [600, 360] as const;

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

export interface RenderResult {
  problems: string[];
  png: Buffer;
  /** The rendered card's height in CSS pixels. */
  height: number;
}

const hostConfig: unknown = JSON.parse(readFileSync(join(__dirname, 'teams-light-host-config.json'), 'utf8'));
const teamsCss = readFileSync(join(__dirname, 'teams-light.css'), 'utf8');
const rendererScript = require.resolve('adaptivecards/dist/adaptivecards.min.js');
const inspectScript = join(__dirname, 'page', 'inspectCard.js');

type Inspect = (args: { card: unknown; hostConfig: unknown; width: number }) => string[];

export class CardRenderer {
  private constructor(
    private readonly browser: Browser,
    private readonly page: Page,
  ) {}

  static async start(): Promise<CardRenderer> {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    const page = await browser.newPage({ viewport: { width: 640, height: 800 }, deviceScaleFactor: 1 });
    // window.__name: tsx keeps function names with a helper that the page lacks.
    // Segoe UI is not on Linux; Liberation Sans (Debian's, with Arial's metrics) is the nearest in width.
    await page.setContent(
      '<!doctype html><html><head><meta charset="utf-8"><script>window.__name=(f)=>f</script><style>body{margin:0;padding:16px;background:#f5f5f5}' +
        "@font-face{font-family:'Segoe UI';src:local('Liberation Sans')}" +
        "@font-face{font-family:'Segoe UI';font-weight:bold;src:local('Liberation Sans Bold')}</style>" +
        `<style>${teamsCss}</style></head><body><div id="card" class="teams-card"></div></body></html>`,
    );
    await page.addScriptTag({ path: rendererScript });
    await page.addScriptTag({ path: inspectScript });
    return new CardRenderer(browser, page);
  }

  async render(card: AdaptiveCard, width: number): Promise<RenderResult> {
    await this.page.setViewportSize({ width: width + 32, height: 800 });
    const problems = await this.page.evaluate((args) => (globalThis as unknown as { inspectCard: Inspect }).inspectCard(args), { card, hostConfig, width });
    const element = this.page.locator('#card');
    const png = await element.screenshot();
    const height = (await element.boundingBox())?.height ?? 0;
    return { problems, png, height };
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}
