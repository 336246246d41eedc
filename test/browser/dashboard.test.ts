/**
 * The dashboard in a real browser: Debian's chromium (playwright-core) against a real listening
 * server started by api/server.ts startServer (port 0, a temp data dir, the bundled CollegeMsg
 * dataset analysed on first start). It opens the printed login URL, reads the top 10 with their
 * explanations, opens the community super-graph, one community, a member and its ego network,
 * starts a seeds job and follows it to the end over SSE, checking on the way that graphs are really
 * drawn (pixels in a screenshot of the canvas), that the session cookie is HttpOnly and
 * SameSite=Strict, that polling revalidates with 304s and that the cookie alone cannot write.
 * Screenshots of every view go to test-output/screenshots/.
 *
 * Needs /usr/bin/chromium (`.ci/run` installs it with apt-get); without it the suite is skipped
 * with a printed reason, never silently.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../api/server.js';
import { WEB_ROOT } from '../../api/routes/ui.js';
import { DEFAULT_DATASET } from '../../engine/cli/options.js';
import { tempDir } from '../api/helpers.js';
import { CHROMIUM, haveChromium, launch } from './chromium.js';
import { colourCount, decodePng, inkShare } from './png.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SHOTS = path.join(ROOT, 'test-output', 'screenshots');
const built = fs.existsSync(path.join(WEB_ROOT, 'index.html'));
const ready = haveChromium() && built;
if (!ready) {
  process.stdout.write(`\n[browser tests SKIPPED] ${!haveChromium() ? `no chromium at ${CHROMIUM} (apt-get install chromium; .ci/run does it)` : `the page is not built (${WEB_ROOT}): npm run build:web`}\n\n`);
}

async function waitJob(server: RunningServer, id: string): Promise<void> {
  const jobs = server.app.supernode.ctx.jobs;
  for (let i = 0; i < 600; i++) {
    const s = jobs.get(id).state;
    if (s === 'succeeded') return;
    if (s === 'failed' || s === 'cancelled') throw new Error(`bundled analysis ${s}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('bundled analysis did not finish in 60 s');
}

/** The graph box must hold a drawing: ink on at least 1% of it in at least 4 colours. */
async function expectDrawn(page: Page, selector: string, name: string): Promise<void> {
  await page.waitForSelector(`${selector}[data-drawn]`, { timeout: 20_000 });
  expect(await page.getAttribute(selector, 'data-drawn')).toMatch(/^\d+ nodes/);
  const img = decodePng(await page.locator(selector).screenshot({ path: path.join(SHOTS, `${name}-graph.png`) }));
  expect(inkShare(img)).toBeGreaterThan(0.01);
  expect(colourCount(img)).toBeGreaterThanOrEqual(4);
}

async function shot(page: Page, name: string): Promise<void> {
  await page.waitForSelector('#view[aria-busy="false"]');
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

describe.skipIf(!ready)('dashboard in headless chromium', () => {
  let server: RunningServer;
  let browser: { context: BrowserContext; close(): Promise<void> };
  let page: Page;
  const responses: { url: string; status: number }[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    server = await startServer({
      dataDir: tempDir('sn-browser-'), port: 0, threads: 2, logger: false, handleSignals: false,
      bundled: { name: DEFAULT_DATASET.name, file: DEFAULT_DATASET.file, columns: DEFAULT_DATASET.columns.split(','), directed: true },
    });
    const [b] = await Promise.all([launch(), server.bundledJob ? waitJob(server, server.bundledJob) : null]);
    browser = b;
    page = await browser.context.newPage();
    page.on('response', (r) => responses.push({ url: r.url(), status: r.status() }));
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('reads screenshots the way the graph checks need (decoder against a known colour)', async () => {
    const p = await browser.context.newPage();
    await p.setContent('<div id="x" style="width:40px;height:30px;background:rgb(200,40,10)"></div>');
    const img = decodePng(await p.locator('#x').screenshot());
    await p.close();
    expect([img.width, img.height]).toEqual([40, 30]);
    expect([...img.data.subarray(0, 3)]).toEqual([200, 40, 10]);
    expect(inkShare(img)).toBe(1);
  });

  it('without a session the page shows the key prompt', async () => {
    await page.goto(`${server.url}/?login=expired`);
    await page.waitForSelector('#login:not([hidden])');
    expect(await page.textContent('#login-reason')).toMatch(/already used or has expired/);
    expect(await page.isHidden('nav.tabs')).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, 'login.png') });
  });

  it('the login URL opens a session (HttpOnly, SameSite=Strict cookie) and shows the top 10 with explanations', async () => {
    expect(server.dashboardUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
    await page.goto(server.dashboardUrl);
    await page.waitForURL(/\/#\/d\/CollegeMsg\/top$/);
    expect(new URL(page.url()).search).toBe('');
    const cookie = (await browser.context.cookies()).find((c) => c.name === 'sn_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    await page.waitForSelector('#top-table tbody tr');
    const rows = await page.locator('#top-table tbody tr').evaluateAll((trs) => trs.slice(0, 10).map((tr) => {
      const td = tr.querySelectorAll('td');
      return { rank: Number(td[0]!.textContent), member: td[1]!.textContent, sentence: td[4]!.textContent ?? '', bars: tr.querySelectorAll('.cbar .bar > span').length };
    }));
    expect(rows.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // The same members, in the same order, as the API's own first page.
    const api = server.app.supernode.ctx.snapshots.get('CollegeMsg').members.slice(0, 10);
    expect(rows.map((r) => r.member)).toEqual(api.map((m) => m.id));
    for (const r of rows) {
      expect(r.sentence.length).toBeGreaterThan(20);
      expect(r.bars).toBe(4);
    }
    expect(rows[0]!.sentence).toBe(api[0]!.explanation.sentence);
    await shot(page, 'top');
  });

  it('is keyboard navigable: Tab walks skip link, dataset picker, log out, then the views, with a visible focus ring', async () => {
    // A fresh load, so the sequential focus starts at the top of the document.
    await page.goto(`${server.url}/#/d/CollegeMsg/top`);
    await page.reload();
    await page.waitForSelector('#top-table tbody tr');
    const walk: string[] = [];
    let ring = '';
    for (let i = 0; i < 9; i++) {
      await page.keyboard.press('Tab');
      // Page-side code as a string: this file is compiled without the DOM library.
      const f = await page.evaluate<{ what: string; outline: string }>(`(() => {
        const el = document.activeElement;
        return { what: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ':' + (el.textContent ?? '').trim().slice(0, 20), outline: getComputedStyle(el).outlineStyle };
      })()`);
      walk.push(f.what);
      if (i === 3) ring = f.outline;
    }
    expect(walk.slice(0, 8)).toEqual([
      'a:Skip to content', expect.stringMatching(/^select#dataset:/), 'button#logout:Log out', 'a:Top super-nodes', 'a:Communities',
      'a:Rising stars', 'a:Brokers', 'a:Seed planner',
    ]);
    expect(walk[8]).toMatch(/^a:/); // then into the view: its first link
    expect(ring).toBe('solid');
  });

  it('the token is single use and the key prompt is reached without a session', async () => {
    const r = await fetch(server.dashboardUrl, { redirect: 'manual' });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/?login=expired');
    const bad = await fetch(`${server.url}/?token=not-a-token`, { redirect: 'manual' });
    expect(bad.headers.get('location')).toBe('/?login=expired');
  });

  it('the community super-graph is drawn; a community opens with its own subgraph (keyboard)', async () => {
    await page.goto(`${server.url}/#/d/CollegeMsg/top`);
    await page.waitForSelector('#top-table');
    // Keyboard: focus the Communities tab and press Enter.
    await page.getByRole('link', { name: 'Communities' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('#communities-table tbody tr');
    await expectDrawn(page, '#supergraph', 'communities');
    const nodes = Number((await page.getAttribute('#supergraph', 'data-drawn'))!.split(' ')[0]);
    expect(nodes).toBe(server.app.supernode.ctx.snapshots.get('CollegeMsg').communities.length);
    await shot(page, 'communities');
    const first = page.locator('#communities-table tbody tr a').first();
    const cid = (await first.textContent())!.replace('#', '');
    await first.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/community/${cid}$`));
    await expectDrawn(page, '#community-graph', 'community');
    expect(await page.locator('#leaders li').count()).toBeGreaterThan(0);
    await shot(page, 'community');
  });

  it('a member profile shows measures, explanation, trajectory and its ego network', async () => {
    await page.goto(`${server.url}/#/d/CollegeMsg/top`);
    await page.locator('#top-table tbody tr a').first().click();
    await page.waitForURL(/\/member\//);
    await page.waitForSelector('#member-sentence');
    const top = server.app.supernode.ctx.snapshots.get('CollegeMsg').members[0]!;
    expect(await page.textContent('#member-sentence')).toBe(top.explanation.sentence);
    expect(await page.locator('#measures dt').count()).toBe(Object.keys(top.measures).length);
    expect(await page.locator('svg.chart path').count()).toBeGreaterThan(0);
    await expectDrawn(page, '#ego-graph', 'member');
    await shot(page, 'member');
  });

  it('rising stars and brokers list their members', async () => {
    await page.getByRole('link', { name: 'Rising stars' }).click();
    await page.waitForSelector('#rising-table tbody tr');
    await shot(page, 'rising');
    await page.getByRole('link', { name: 'Brokers' }).click();
    await page.waitForSelector('#brokers-table tbody tr');
    expect(await page.locator('#brokers-table tbody tr').count()).toBe(25);
    await shot(page, 'brokers');
  });

  it('the page revalidates with If-None-Match: a repeat view is answered 304', async () => {
    await page.getByRole('link', { name: 'Top super-nodes' }).click();
    await page.waitForSelector('#top-table tbody tr');
    expect(responses.filter((r) => r.status === 304 && r.url.includes('/supernodes?')).length).toBeGreaterThan(0);
  });

  it('the cookie alone cannot write: POST without the CSRF header is refused, GET is allowed', async () => {
    const c = (await browser.context.cookies()).find((x) => x.name === 'sn_session')!;
    const cookie = `sn_session=${c.value}`;
    const get = await fetch(`${server.url}/v1/datasets/CollegeMsg/supernodes?limit=1`, { headers: { cookie } });
    expect(get.status).toBe(200);
    const post = await fetch(`${server.url}/v1/datasets/CollegeMsg/seeds`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: '{"k":3}' });
    expect(post.status).toBe(403);
    expect(((await post.json()) as { message: string }).message).toMatch(/x-csrf-token/);
  });

  it('the seed planner needs write scope, starts a job, follows it over SSE and draws the seeds', async () => {
    await page.getByRole('link', { name: 'Seed planner' }).click();
    await page.waitForSelector('#seed-form');
    expect(await page.isDisabled('#seed-start')).toBe(true); // the login link gives read scope
    const adminKey = server.adminKey ?? fs.readFileSync(server.adminKeyFile!, 'utf8').trim();
    await page.fill('#upgrade-key', adminKey);
    await page.locator('#upgrade-form button').click();
    await page.waitForSelector('#seed-start:not([disabled])');
    expect(await page.textContent('#whoami')).toBe('write session');
    await page.fill('#seed-k', '5');
    await page.locator('#seed-start').click();
    await page.waitForSelector('#seed-status[data-state="succeeded"]', { timeout: 45_000 });
    expect(await page.locator('#seeds-table tbody tr').count()).toBe(5);
    expect(responses.some((r) => r.url.includes('/events') && r.status === 200)).toBe(true);
    await expectDrawn(page, '#seeds-graph', 'seeds');
    await shot(page, 'seeds');
  });

  it('`supernode start` prints a dashboard line whose link opens the page logged in', async () => {
    const free = net.createServer();
    await new Promise<void>((res) => free.listen(0, '127.0.0.1', res));
    const port = (free.address() as net.AddressInfo).port;
    await new Promise((res) => free.close(res));
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/helpers/run-cli.ts'), 'start', '--port', String(port), '--data', tempDir('sn-browser-cli-'), '--threads', '1'], { cwd: ROOT });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no dashboard line in: ${out}`)), 30_000);
        child.stdout!.on('data', (d) => {
          out += d;
          const m = /^ {2}dashboard: (\S+)/m.exec(out);
          if (m) { clearTimeout(timer); resolve(m[1]!); }
        });
        child.on('exit', (c) => reject(new Error(`start exited ${c}: ${out}`)));
      });
      expect(line).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/\\?token=[\\w-]{32}$`));
      const p = await browser.context.newPage();
      await p.goto(line);
      await p.waitForSelector('#view:not([hidden])');
      expect(await p.textContent('#whoami')).toBe('read session');
      await p.close();
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('no errors in the browser console', () => {
    // The key-prompt check's GET /v1/session is a 401 by design; anything else is a page bug.
    expect(consoleErrors.filter((e) => !/status of 401 \(Unauthorized\)/.test(e))).toEqual([]);
  });
});
