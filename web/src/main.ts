/**
 * The dashboard shell: session check (or the key prompt), the dataset picker, hash routing
 * (`#/d/<dataset>/<view>/<arg>`, so every view is a link and the back button works), and a poll
 * that revalidates the latest snapshot with If-None-Match every POLL_MS: a 304 costs nothing, a
 * 200 naming a newer snapshot offers to show it.
 */
import { ApiError, get, getWithMeta, handleUnauthorized, send, setCsrf, stats } from './api.js';
import { h } from './dom.js';
import { killAll } from './graph.js';
import { communitiesView, communityView } from './views/communities.js';
import { base, type ViewCtx } from './views/context.js';
import { memberView } from './views/member.js';
import { brokersView, risingView, topView } from './views/rankings.js';
import { seedsView } from './views/seeds.js';

const POLL_MS = 15_000;
interface SessionView { via: 'session' | 'key'; scope: string; expires?: string; csrf?: string }
interface DatasetInfo { id: string; nodes: number; edges: number; snapshot: number | null }

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const view = $('view'), login = $('login'), picker = $<HTMLSelectElement>('dataset'), banner = $('banner');
let session: SessionView | null = null;
let datasets: DatasetInfo[] = [];
let shownSnapshot: number | null = null;
let poll: number | undefined;
let renderSeq = 0;

function showLogin(reason?: string): void {
  killAll();
  session = null;
  setCsrf(null);
  window.clearInterval(poll);
  view.hidden = true;
  document.querySelector('nav.tabs')!.setAttribute('hidden', '');
  $('picker-label').hidden = true;
  $('logout').hidden = true;
  $('whoami').textContent = '';
  login.hidden = false;
  if (reason) $('login-reason').textContent = reason;
  $('login-key').focus();
}

handleUnauthorized(() => {
  if (session !== null) showLogin('Your session ended: log in again.');
});

async function openSession(key: string): Promise<void> {
  session = await send<SessionView>('POST', '/v1/session', { key });
  setCsrf(session.csrf ?? null);
  updateWho();
}

function updateWho(): void {
  $('whoami').textContent = session ? `${session.scope} session` : '';
  $('logout').hidden = session === null;
}

$('login-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const input = $<HTMLInputElement>('login-key');
  $('login-error').textContent = '';
  openSession(input.value.trim()).then(() => {
    input.value = '';
    void boot();
  }, (err: Error) => { $('login-error').textContent = err.message; });
});

$('logout').addEventListener('click', () => {
  void send('DELETE', '/v1/session').finally(() => showLogin('Logged out.'));
});

function parseRoute(): { dataset: string | null; name: string; arg: string } {
  const parts = location.hash.replace(/^#\/?/, '').split('/').map((p) => decodeURIComponent(p));
  if (parts[0] === 'd' && parts[1]) return { dataset: parts[1], name: parts[2] || 'top', arg: parts.slice(3).join('/') };
  return { dataset: null, name: parts[0] || 'top', arg: parts.slice(1).join('/') };
}

function ctxFor(dataset: string): ViewCtx {
  return {
    dataset, root: view,
    link: (p) => `#/d/${encodeURIComponent(dataset)}/${p}`,
    scope: () => session?.scope ?? 'read',
    upgrade: openSession,
  };
}

async function render(): Promise<void> {
  const seq = ++renderSeq;
  const r = parseRoute();
  const dataset = r.dataset ?? picker.value ?? datasets[0]?.id;
  if (!dataset) {
    view.replaceChildren(h('h1', {}, 'No datasets yet'), h('p', {}, 'Upload edges with POST /v1/datasets/{id}/edges or `supernode store`.'));
    view.setAttribute('aria-busy', 'false');
    return;
  }
  if (r.dataset === null) {
    location.replace(`#/d/${encodeURIComponent(dataset)}/${r.name}${r.arg ? `/${r.arg}` : ''}`);
    return;
  }
  picker.value = dataset;
  const ctx = ctxFor(dataset);
  for (const a of document.querySelectorAll<HTMLAnchorElement>('nav.tabs a')) {
    const v = a.dataset['view']!;
    a.href = ctx.link(v);
    const current = v === r.name || (v === 'communities' && r.name === 'community');
    if (current) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  killAll();
  view.setAttribute('aria-busy', 'true');
  view.dataset['view'] = r.name;
  view.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  const offset = Number.parseInt(r.arg, 10) || 0;
  try {
    const info = datasets.find((d) => d.id === dataset);
    if (info !== undefined && info.snapshot === null) {
      view.replaceChildren(h('h1', {}, dataset), h('p', {}, 'No analysis yet: start one with POST /v1/datasets/{id}/jobs. This page checks again shortly.'));
    } else if (r.name === 'top') await topView(ctx, offset);
    else if (r.name === 'communities') await communitiesView(ctx);
    else if (r.name === 'community') await communityView(ctx, Number(r.arg));
    else if (r.name === 'member') await memberView(ctx, r.arg);
    else if (r.name === 'rising') await risingView(ctx, offset);
    else if (r.name === 'brokers') await brokersView(ctx, offset);
    else if (r.name === 'seeds') await seedsView(ctx);
    else view.replaceChildren(h('h1', {}, 'Not found'), h('p', {}, h('a', { href: ctx.link('top') }, 'Top super-nodes')));
  } catch (e) {
    if (seq !== renderSeq) return;
    if (e instanceof ApiError && e.status === 401) return;
    view.replaceChildren(h('h1', {}, 'Could not load this view'), h('p', { class: 'error', role: 'alert' }, e instanceof ApiError ? `${e.code}: ${e.message}` : String(e)));
  } finally {
    if (seq === renderSeq) {
      view.setAttribute('aria-busy', 'false');
      // When the view finished (graphs drawn), for load timings (bench/dashboard.bench.ts).
      performance.mark(`view-ready:${r.name}`);
    }
  }
}

/** Revalidates the dataset's latest snapshot (ETag); a newer one gets a banner. */
async function check(): Promise<void> {
  const ds = picker.value;
  if (!ds || session === null) return;
  try {
    const r = await getWithMeta<{ snapshot: number }>(`${base(ds)}/supernodes?limit=1`);
    const snap = r.body.snapshot;
    // When and how the shown snapshot was made (GET .../snapshots, revalidated like the rest).
    const list = await get<{ items: { id: number; created?: string; latest?: boolean; request?: { window?: string } }[] }>(`${base(ds)}/snapshots`).catch(() => null);
    const meta = list?.items.find((i) => i.id === snap);
    const made = meta?.created ? ` · ${meta.created.slice(0, 16).replace('T', ' ')} UTC${meta.request?.window ? ` · last ${meta.request.window}` : ''}` : '';
    const info = $('snapshot-info');
    info.textContent = `snapshot ${snap}${made} · ${stats.notModified}/${stats.requests} reads 304`;
    info.title = `snapshot ${snap}; ${stats.notModified} of ${stats.requests} reads were revalidated unchanged (304) with If-None-Match`;
    if (shownSnapshot === null) shownSnapshot = snap;
    else if (snap !== shownSnapshot) {
      banner.replaceChildren(`Snapshot ${snap} of ${ds} is ready (showing ${shownSnapshot}). `,
        h('button', { type: 'button', onclick: () => { shownSnapshot = snap; banner.hidden = true; void render(); } }, 'Show it'));
      banner.hidden = false;
    }
  } catch { /* no snapshot yet, or offline for a moment: the next poll retries */ }
}

async function boot(): Promise<void> {
  try {
    session = await get<SessionView>('/v1/session');
  } catch {
    const expired = new URLSearchParams(location.search).get('login') === 'expired';
    showLogin(expired ? 'That login link was already used or has expired. Type an API key, or restart the server for a new link.' : undefined);
    return;
  }
  if (location.search) history.replaceState(null, '', `/${location.hash}`);
  setCsrf(session.csrf ?? null);
  updateWho();
  login.hidden = true;
  view.hidden = false;
  document.querySelector('nav.tabs')!.removeAttribute('hidden');
  $('picker-label').hidden = false;
  datasets = (await get<{ items: DatasetInfo[] }>('/v1/datasets')).items;
  picker.replaceChildren(...datasets.map((d) => h('option', { value: d.id }, `${d.id} (${d.nodes.toLocaleString('en-US')} members)`)));
  const r = parseRoute();
  if (r.dataset !== null && datasets.some((d) => d.id === r.dataset)) picker.value = r.dataset;
  await render();
  await check();
  window.clearInterval(poll);
  poll = window.setInterval(() => void check(), POLL_MS);
}

picker.addEventListener('change', () => {
  shownSnapshot = null;
  location.hash = `#/d/${encodeURIComponent(picker.value)}/${parseRoute().name === 'member' || parseRoute().name === 'community' ? 'top' : parseRoute().name}`;
  void check();
});
window.addEventListener('hashchange', () => {
  if (session !== null) void render().then(() => view.focus({ preventScroll: true }));
});
void boot();
