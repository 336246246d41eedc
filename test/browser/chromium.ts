/**
 * Debian's chromium driven by playwright-core (which downloads no browser). The flags keep the
 * browser off the network it does not have (background networking, component updates, sync and
 * QUIC would otherwise try and be refused) and give headless WebGL a software rasteriser
 * (SwiftShader through ANGLE), which sigma needs to draw.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';

export const CHROMIUM = process.env['SUPERNODE_CHROMIUM'] ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
];

export function haveChromium(): boolean {
  return fs.existsSync(CHROMIUM);
}

/** A fresh profile directory per launch (removed by `close`). */
export async function launch(viewport = { width: 1280, height: 800 }): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'sn-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport, timeout: 30_000,
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A browser whose contexts are each a fresh profile (empty cache, no cookies): for load timings. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
}
