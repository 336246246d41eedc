/**
 * The seed planner: k, model (wc, ic with p, lt) -> POST /v1/datasets/{id}/seeds (needs a session
 * with write scope: type a key), progress from the job's Server-Sent Events (the cookie
 * authenticates the EventSource), then the seeds listed and drawn on the community super-graph
 * (each seed attached to its community).
 */
import { ApiError, get, send } from '../api.js';
import { fmt, h } from '../dom.js';
import type { Serialized } from '../graph.js';
import { graphBox, legend, superGraph } from './communities.js';
import { base, type ViewCtx } from './context.js';
import { memberLink } from './rankings.js';

interface JobView { id: string; state: string; progress: number; snapshot?: number; error?: { code: string; message: string } }
interface SeedsResult { k: number; model: string; p: number | null; seeds: { id: string; order: number }[]; spread: { mean: number; ci95: [number, number]; runs: number } | null }

const DRAWN_SEEDS = 50;

function follow(jobId: string, onEvent: (j: JobView) => void): Promise<JobView> {
  return new Promise((resolve, reject) => {
    const es = new EventSource(`/v1/jobs/${encodeURIComponent(jobId)}/events`);
    const on = (ev: MessageEvent<string>) => {
      const j = JSON.parse(ev.data) as JobView;
      onEvent(j);
      // The server ends the stream with the job; close so EventSource does not reconnect.
      if (j.state === 'succeeded' || j.state === 'failed' || j.state === 'cancelled') {
        es.close();
        resolve(j);
      }
    };
    es.addEventListener('state', on);
    es.addEventListener('progress', on);
    es.onerror = () => {
      if (es.readyState === EventSource.CLOSED) reject(new Error('the progress stream closed'));
    };
  });
}

export async function seedsView(ctx: ViewCtx): Promise<void> {
  const k = h('input', { id: 'seed-k', type: 'number', min: 1, max: 10000, value: 10, required: true });
  const model = h('select', { id: 'seed-model' }, h('option', { value: 'wc' }, 'weighted cascade (wc)'), h('option', { value: 'ic' }, 'independent cascade (ic)'), h('option', { value: 'lt' }, 'linear threshold (lt)'));
  const p = h('input', { id: 'seed-p', type: 'number', min: 0.001, max: 1, step: 0.001, value: 0.05, disabled: true });
  model.addEventListener('change', () => { p.disabled = model.value !== 'ic'; });
  const start = h('button', { type: 'submit', class: 'primary', id: 'seed-start' }, 'Start seeds job');
  const progress = h('progress', { id: 'seed-progress', max: 1, value: 0, 'aria-label': 'seeds job progress' });
  const status = h('p', { id: 'seed-status', role: 'status' }, 'No job started.');
  const result = h('div', { id: 'seed-result' });
  const g = graphBox('Seeds (orange) attached to their communities on the super-graph.', 'seeds-graph');
  g.figure.hidden = true;

  const keyInput = h('input', { id: 'upgrade-key', type: 'password', autocomplete: 'off', placeholder: 'sn_… (write or admin key)', style: 'min-width:320px' });
  const keyError = h('span', { class: 'error', role: 'alert' });
  const upgrade = h('form', { id: 'upgrade-form', class: 'planner' },
    h('label', {}, 'API key with write scope', keyInput), h('button', { type: 'submit' }, 'Use this key'), keyError);
  const scopeNote = h('p', { class: 'muted', id: 'scope-note' });
  const planner = h('form', { class: 'planner', id: 'seed-form' },
    h('label', {}, 'Seeds (k)', k), h('label', {}, 'Diffusion model', model), h('label', {}, 'Edge probability p (ic)', p), start);
  const refreshScope = () => {
    const write = ctx.scope() === 'write' || ctx.scope() === 'admin';
    start.disabled = !write;
    upgrade.hidden = write;
    scopeNote.textContent = write ? '' : 'This session can read only (the login link gives read scope). Starting a job needs a key with write scope:';
  };
  upgrade.addEventListener('submit', (e) => {
    e.preventDefault();
    keyError.textContent = '';
    ctx.upgrade(keyInput.value.trim()).then(() => { keyInput.value = ''; refreshScope(); start.focus(); }, (err: Error) => { keyError.textContent = err.message; });
  });
  planner.addEventListener('submit', (e) => {
    e.preventDefault();
    void run();
  });

  async function run(): Promise<void> {
    start.disabled = true;
    result.replaceChildren();
    g.figure.hidden = true;
    progress.value = 0;
    try {
      const body = { k: Number(k.value), model: model.value, ...(model.value === 'ic' && { p: Number(p.value) }) };
      const acc = await send<{ jobId: string }>('POST', `${base(ctx.dataset)}/seeds`, body);
      status.textContent = `Job ${acc.jobId} queued…`;
      const done = await follow(acc.jobId, (j) => {
        progress.value = j.progress;
        status.textContent = `Job ${j.id}: ${j.state}, ${Math.round(j.progress * 100)}%`;
      });
      if (done.state !== 'succeeded' || done.snapshot === undefined) {
        status.textContent = `Job ${done.id} ${done.state}${done.error ? `: ${done.error.message}` : ''}`;
        return;
      }
      status.textContent = `Job ${done.id} finished: seeds in snapshot ${done.snapshot}.`;
      status.dataset['state'] = 'succeeded';
      await showSeeds(await get<SeedsResult>(`${base(ctx.dataset)}/seeds/${done.snapshot}`));
    } catch (e) {
      status.textContent = e instanceof ApiError ? `${e.code}: ${e.message}` : String(e);
    } finally {
      refreshScope();
    }
  }

  async function showSeeds(r: SeedsResult): Promise<void> {
    const spread = r.spread ? `expected spread ${fmt(r.spread.mean)} members (95% CI ${fmt(r.spread.ci95[0])}–${fmt(r.spread.ci95[1])}, ${fmt(r.spread.runs)} simulations)` : 'spread not estimated';
    const drawn = r.seeds.slice(0, DRAWN_SEEDS);
    const communities = await Promise.all(drawn.map((s) => get<{ member: { community: number } }>(`${base(ctx.dataset)}/members/${encodeURIComponent(s.id)}`).then((x) => x.member.community, () => -1)));
    result.replaceChildren(
      h('h2', {}, `${r.seeds.length} seeds (${r.model}${r.p !== null ? `, p = ${r.p}` : ''})`),
      h('p', {}, spread),
      h('table', { id: 'seeds-table' },
        h('thead', {}, h('tr', {}, h('th', { class: 'num', scope: 'col' }, 'Order'), h('th', { scope: 'col' }, 'Member'), h('th', { scope: 'col' }, 'Community'))),
        h('tbody', {}, ...r.seeds.map((s, i) => h('tr', {}, h('td', { class: 'num' }, s.order), h('td', {}, memberLink(ctx, s.id)), h('td', {}, i < communities.length ? `#${communities[i]}` : '–'))))),
    );
    g.figure.hidden = false;
    const seedKeys = new Set(drawn.map((s) => `seed:${s.id}`));
    await superGraph(ctx, g.box, (sg: Serialized) => ({
      ...sg,
      nodes: [...sg.nodes, ...drawn.map((s) => ({ key: `seed:${s.id}`, attributes: { seed: true, id: s.id } }))],
      edges: [...sg.edges, ...drawn.flatMap((s, i) => {
        const c = communities[i]!;
        const target = sg.nodes.find((n) => Number(n.attributes?.['community'] ?? n.attributes?.['id'] ?? n.key) === c);
        return target ? [{ source: `seed:${s.id}`, target: target.key, attributes: { weight: 1 } }] : [];
      })],
    }), seedKeys);
  }

  ctx.root.replaceChildren(
    h('h1', {}, 'Seed planner'),
    h('p', { class: 'muted' }, 'Choose k members whose activity would spread furthest (IMM influence maximisation, Tang et al. 2015) under a diffusion model.'),
    scopeNote, upgrade, planner,
    h('div', { class: 'pager' }, progress, status),
    h('div', { class: 'grid' }, result, h('div', {}, legend(), g.figure)),
  );
  refreshScope();
}
