/* global document, window, location, history, vegaEmbed, vegaInterpreter */
/* leadtime dashboard: fleet overview, asset page, simulations. Plain JS, Vega-Lite charts, hash routes:
 *   #/                 fleet overview
 *   #/asset/<id>       one asset: HI, anomaly score, RUL with its interval, indicator trends
 *   #/simulations      run a staffing scenario, watch progress, SLA vs staffing
 *   #/quality          data quality: series that skip or stop, publisher sequence gaps (live loop)
 * A write token can be handed over as #token=<t> (kept in this tab's sessionStorage). */
'use strict';

const view = document.getElementById('view');
const statusEl = document.getElementById('status');

(function takeToken() {
  const m = /^#token=([^&]+)/.exec(location.hash);
  if (m) {
    sessionStorage.setItem('leadtime-token', decodeURIComponent(m[1]));
    history.replaceState(null, '', location.pathname + '#/');
  }
})();
const token = () => sessionStorage.getItem('leadtime-token') || '';

/**
 * Each navigation is a new route generation; an answer that arrives after the user (or a test)
 * has moved on belongs to a page no longer shown, and must not draw over the current one (a slow
 * fleet overview used to overwrite the quality page clicked while it loaded).
 */
let routeGen = 0;
class Superseded extends Error {}
/** A rejection handler that answers `fallback` for a failed optional read, but not for a superseded one. */
const unlessSuperseded = (fallback) => (err) => {
  if (err instanceof Superseded) throw err;
  return fallback;
};

async function api(path, options = {}) {
  const gen = routeGen;
  const headers = { ...(options.headers || {}) };
  if (token()) headers.authorization = `Bearer ${token()}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const r = await fetch(path, {
    ...options,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const body = await r.json().catch(() => ({}));
  if (gen !== routeGen) throw new Superseded(path);
  if (!r.ok) throw new Error(body.message || `${r.status} ${r.statusText}`);
  return body;
}

const esc = (s) =>
  String(s).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );
const fmt = (v, digits = 2) =>
  v === null || v === undefined || Number.isNaN(v) ? '–' : Number(v).toFixed(digits);
const DAY = 86_400_000;
const days = (ms) => (ms === null || ms === undefined ? '–' : (ms / DAY).toFixed(1) + ' d');

/** Renders a Vega-Lite spec as SVG into the element; marks it data-rendered when done. */
async function chart(el, spec) {
  el.classList.add('chart');
  try {
    await vegaEmbed(
      el,
      { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', width: 'container', ...spec },
      {
        actions: false,
        renderer: 'svg',
        // expressions interpreted, not compiled with Function(): the page's CSP forbids eval
        ast: true,
        expr: vegaInterpreter.expressionInterpreter,
      },
    );
    el.dataset.rendered = 'true';
  } catch (err) {
    el.innerHTML = `<p class="error">chart failed: ${esc(err.message)}</p>`;
    el.dataset.rendered = 'error';
  }
}

function setNav(name) {
  document
    .querySelectorAll('nav a[data-nav]')
    .forEach((a) => a.classList.toggle('active', a.dataset.nav === name));
}

function fail(err) {
  if (err instanceof Superseded) return; // the page it was for is gone
  view.innerHTML = `<h1>Something went wrong</h1><p class="error">${esc(err.message || err)}</p>`;
}

/** Every active ticket (paging through the cursor). */
async function activeTickets(extra = '') {
  const out = [];
  let since = '';
  for (;;) {
    const page = await api(
      `/v1/tickets?status=active&limit=500${extra}${since ? `&since=${since}` : ''}`,
    ).catch(unlessSuperseded({ tickets: [], more: false }));
    out.push(...page.tickets);
    if (!page.more) return out;
    since = page.next;
  }
}

function ticketTable(tickets, id = 'tickets') {
  if (!tickets.length) return '<p class="muted">No tickets.</p>';
  return `<table id="${id}"><thead><tr><th>ticket</th><th>asset</th><th>priority</th><th>status</th><th>opened</th><th>respond by</th><th>resolve by</th><th>RUL (h) [interval]</th><th>why</th></tr></thead><tbody>${tickets
    .map(
      (
        t,
      ) => `<tr><td>${esc(t.id)}</td><td><a href="#/asset/${encodeURIComponent(t.asset)}">${esc(t.asset)}</a></td>
        <td><span class="badge" style="background:${PRIORITY_COLORS.range[PRIORITY_COLORS.domain.indexOf(t.priority)]}">${esc(t.priority)}</span></td>
        <td>${esc(t.status)}</td><td>${esc(t.openedAt.slice(0, 16).replace('T', ' '))}</td><td>${esc(t.sla.respondBy.slice(0, 16).replace('T', ' '))}</td>
        <td>${esc(t.sla.resolveBy.slice(0, 16).replace('T', ' '))}</td>
        <td>${t.rul ? `${fmt(t.rul.hours.estimate, 0)} [${fmt(t.rul.hours.lower, 0)}, ${fmt(t.rul.hours.upper, 0)}]` : '–'}</td>
        <td class="muted">${esc((t.evidence.reasons || []).join('; '))}</td></tr>`,
    )
    .join('')}</tbody></table>`;
}

async function ticketsPage() {
  setNav('tickets');
  view.innerHTML = '<h1>Tickets</h1><p class="muted">loading…</p>';
  const all = [];
  let since = '';
  for (;;) {
    const page = await api(`/v1/tickets?limit=500${since ? `&since=${since}` : ''}`);
    all.push(...page.tickets);
    if (!page.more) break;
    since = page.next;
  }
  const active = all.filter((t) => t.status !== 'resolved' && t.status !== 'closed');
  view.innerHTML = `<h1>Tickets</h1>
    <p class="muted">${all.length} tickets, ${active.length} active. Newest first.</p>
    ${ticketTable(all.slice().reverse(), 'tickets')}`;
}

// ---- fleet ------------------------------------------------------------------------------------

async function fleetPage() {
  setNav('fleet');
  view.innerHTML = '<h1>Fleet</h1><p class="muted">loading…</p>';
  const [{ assets, health }, open] = await Promise.all([api('/v1/assets'), activeTickets()]);
  const alarms = assets.filter((a) => a.health && a.health.alarm).length;
  const withRul = assets.filter((a) => a.health && a.health.rul !== null);
  const rows = [...assets].sort(
    (a, b) =>
      (a.health?.rul ?? Infinity) - (b.health?.rul ?? Infinity) ||
      (a.health?.healthIndex ?? 1) - (b.health?.healthIndex ?? 1),
  );
  view.innerHTML = `
    <h1>Fleet</h1>
    <div class="cards">
      <div class="card kpi"><div class="muted">assets</div><div class="v" id="kpi-assets">${assets.length}</div></div>
      <div class="card kpi"><div class="muted">in alarm</div><div class="v" id="kpi-alarms">${alarms}</div></div>
      <div class="card kpi"><div class="muted">with a RUL estimate</div><div class="v">${withRul.length}</div></div>
      <div class="card kpi"><div class="muted">open tickets</div><div class="v" id="kpi-tickets">${open.length}</div></div>
    </div>
    ${health.available ? '' : `<p class="muted">No health model yet: ${esc(health.reason || '')}</p>`}
    <div class="grid">
      <div class="card"><h2>Health index by asset</h2><div id="chart-hi"></div></div>
      <div class="card"><h2>Remaining useful life (days)</h2><div id="chart-rul"></div></div>
      <div class="card"><h2>Open tickets by priority</h2><div id="chart-tickets"></div></div>
    </div>
    <h2>Assets</h2>
    <table id="assets">
      <thead><tr><th>asset</th><th>state</th><th>health index</th><th>anomaly score</th><th>RUL</th><th>last data</th><th>channels</th></tr></thead>
      <tbody>${rows
        .map(
          (a) => `<tr>
            <td><a href="#/asset/${encodeURIComponent(a.asset)}">${esc(a.asset)}</a></td>
            <td>${a.health ? (a.health.alarm ? '<span class="badge alarm">alarm</span>' : '<span class="badge ok">ok</span>') : '–'}</td>
            <td>${fmt(a.health?.healthIndex)}</td>
            <td>${fmt(a.health?.anomalyScore, 1)}</td>
            <td>${a.timeUnit === 'ms' ? days(a.health?.rul) : fmt(a.health?.rul, 0)}</td>
            <td>${a.timeUnit === 'ms' ? new Date(a.last).toISOString().slice(0, 16).replace('T', ' ') : a.last}</td>
            <td class="muted">${esc(a.channels.join(', '))}</td></tr>`,
        )
        .join('')}</tbody>
    </table>`;
  const data = assets
    .filter((a) => a.health)
    .map((a) => ({
      asset: a.asset,
      hi: a.health.healthIndex,
      rulDays: a.health.rul === null ? null : a.timeUnit === 'ms' ? a.health.rul / DAY : a.health.rul,
      state: a.health.alarm ? 'alarm' : 'ok',
    }));
  const color = {
    field: 'state',
    type: 'nominal',
    scale: { domain: ['ok', 'alarm'], range: ['#16a34a', '#dc2626'] },
  };
  const byPriority = ['P1', 'P2', 'P3', 'P4'].map((p) => ({
    priority: p,
    tickets: open.filter((t) => t.priority === p).length,
  }));
  await Promise.all([
    chart(document.getElementById('chart-tickets'), {
      height: 220,
      data: { values: byPriority },
      mark: 'bar',
      encoding: {
        x: { field: 'priority', type: 'nominal', sort: ['P1', 'P2', 'P3', 'P4'] },
        y: { field: 'tickets', type: 'quantitative', title: 'open tickets', axis: { tickMinStep: 1 } },
        color: { field: 'priority', type: 'nominal', scale: PRIORITY_COLORS, legend: null },
      },
    }),
    chart(document.getElementById('chart-hi'), {
      height: 220,
      data: { values: data.filter((d) => d.hi !== null) },
      mark: 'bar',
      encoding: {
        x: { field: 'asset', type: 'nominal', sort: 'y', axis: { labelAngle: -45 } },
        y: { field: 'hi', type: 'quantitative', title: 'HI (1 healthy, 0 failure)' },
        color,
        tooltip: [{ field: 'asset' }, { field: 'hi', format: '.2f' }],
      },
    }),
    chart(document.getElementById('chart-rul'), {
      height: 220,
      data: { values: data.filter((d) => d.rulDays !== null) },
      mark: 'bar',
      encoding: {
        x: { field: 'asset', type: 'nominal', sort: 'y', axis: { labelAngle: -45 } },
        y: { field: 'rulDays', type: 'quantitative', title: 'RUL' },
        color,
        tooltip: [{ field: 'asset' }, { field: 'rulDays', format: '.1f' }],
      },
    }),
  ]);
}

// ---- asset ------------------------------------------------------------------------------------

async function assetPage(id) {
  setNav('fleet');
  view.innerHTML = `<h1>${esc(id)}</h1><p class="muted">loading…</p>`;
  const [h, assetTickets] = await Promise.all([
    api(`/v1/assets/${encodeURIComponent(id)}/health`),
    api(`/v1/tickets?asset=${encodeURIComponent(id)}&limit=1000`).then(
      (p) => p.tickets,
      unlessSuperseded([]),
    ),
  ]);
  const ms = h.timeUnit === 'ms';
  const time = ms
    ? { field: 't', type: 'temporal', title: null }
    : { field: 't', type: 'quantitative', title: 'cycle' };
  const asT = (t) => (ms ? new Date(t).toISOString() : t);
  const markers = [
    ...(h.anomaly.firstAlertT !== null ? [{ t: asT(h.anomaly.firstAlertT), what: 'first alert' }] : []),
    ...(h.failureT !== null ? [{ t: asT(h.failureT), what: 'failure' }] : []),
    ...(ms ? assetTickets.map((t) => ({ t: t.openedAt, what: `ticket ${t.priority}` })) : []),
  ];
  view.innerHTML = `
    <p><a href="#/">← fleet</a></p>
    <h1>${esc(h.asset)}</h1>
    <div class="cards">
      <div class="card kpi"><div class="muted">health index</div><div class="v">${fmt(h.healthIndex)}</div></div>
      <div class="card kpi"><div class="muted">anomaly score / threshold</div><div class="v">${fmt(h.anomaly.score, 1)} / ${fmt(h.anomaly.threshold, 1)}</div></div>
      <div class="card kpi"><div class="muted">RUL (${h.rul ? Math.round(h.rul.coverage * 100) + '% interval' : 'no model'})${h.rul && h.rul.ageOnly ? ' · by age: no wear seen yet' : ''}</div>
        <div class="v">${h.rul ? (ms ? `${days(h.rul.estimate)} [${days(h.rul.lower)}, ${days(h.rul.upper)}]` : `${fmt(h.rul.estimate, 0)} [${fmt(h.rul.lower, 0)}, ${fmt(h.rul.upper, 0)}]`) : '–'}</div></div>
      <div class="card kpi"><div class="muted">state</div><div class="v">${h.anomaly.alarm ? '<span class="badge alarm">alarm</span>' : '<span class="badge ok">ok</span>'}</div></div>
    </div>
    ${h.rulReason ? `<p class="muted">${esc(h.rulReason)}</p>` : ''}
    <p class="muted">Driving the latest score: ${h.anomaly.contributors.map((c) => esc(c.channel)).join(', ') || '–'}</p>
    <div class="grid">
      <div class="card"><h2>Health index (failure threshold at 0)</h2><div id="chart-hi"></div></div>
      <div class="card"><h2>Anomaly score (Mahalanobis D², log scale)</h2><div id="chart-anomaly"></div></div>
      <div class="card"><h2>RUL over time with its interval</h2><div id="chart-rul"></div></div>
      <div class="card"><h2>Condition indicators</h2><div id="chart-indicators"></div></div>
    </div>
    <h2>Tickets</h2>
    ${ticketTable(assetTickets, 'asset-tickets')}`;
  const rule = (values) => ({
    data: { values },
    mark: { type: 'rule', strokeDash: [4, 3] },
    encoding: {
      x: time,
      color: {
        field: 'what',
        type: 'nominal',
        // only the markers present, so the legend names what is drawn
        scale: {
          domain: [...new Set(values.map((v) => v.what))],
          range: [...new Set(values.map((v) => v.what))].map((w) => MARKER_COLORS[w]),
        },
        title: null,
      },
    },
  });
  const hiValues = h.history.healthIndex.map((p) => ({ t: asT(p.t), value: p.value }));
  const anomaly = h.history.anomalyScore.map((p) => ({ t: asT(p.t), value: Math.max(p.value, 1e-3) }));
  const rul = h.history.rul.map((p) => ({
    t: asT(p.t),
    rul: ms ? p.rul / DAY : p.rul,
    lower: ms ? p.lower / DAY : p.lower,
    upper: ms ? p.upper / DAY : p.upper,
  }));
  const indicatorNames = ['rms', 'kurtosis', 'temperature'];
  const series = await Promise.all(
    indicatorNames.map((c) =>
      api(`/v1/assets/${encodeURIComponent(id)}/series?channel=${c}`).then(
        (s) => s.points.map((p) => ({ t: asT(p.t), value: p.value, channel: c })),
        unlessSuperseded([]),
      ),
    ),
  );
  const trueRul =
    h.failureT === null
      ? []
      : h.history.rul.map((p) => ({ t: asT(p.t), truth: ms ? (h.failureT - p.t) / DAY : h.failureT - p.t }));
  await Promise.all([
    chart(document.getElementById('chart-hi'), {
      height: 220,
      layer: [
        {
          data: { values: hiValues },
          mark: 'line',
          encoding: { x: time, y: { field: 'value', type: 'quantitative', title: 'HI' } },
        },
        {
          data: { values: [{ y: 0 }] },
          mark: { type: 'rule', color: '#dc2626' },
          encoding: { y: { field: 'y', type: 'quantitative' } },
        },
        rule(markers),
      ],
    }),
    chart(document.getElementById('chart-anomaly'), {
      height: 220,
      layer: [
        {
          data: { values: anomaly },
          mark: 'line',
          encoding: {
            x: time,
            y: { field: 'value', type: 'quantitative', scale: { type: 'log' }, title: 'D²' },
          },
        },
        {
          data: { values: [{ y: h.anomaly.threshold }] },
          mark: { type: 'rule', color: '#d97706' },
          encoding: { y: { field: 'y', type: 'quantitative' } },
        },
        rule(markers),
      ],
    }),
    chart(document.getElementById('chart-rul'), {
      height: 220,
      layer: rul.length
        ? [
            {
              data: { values: rul },
              mark: { type: 'area', opacity: 0.25 },
              encoding: {
                x: time,
                y: { field: 'lower', type: 'quantitative', title: ms ? 'RUL (days)' : 'RUL' },
                y2: { field: 'upper' },
              },
            },
            {
              data: { values: rul },
              mark: 'line',
              encoding: { x: time, y: { field: 'rul', type: 'quantitative' } },
            },
            ...(trueRul.length
              ? [
                  {
                    data: { values: trueRul },
                    mark: { type: 'line', strokeDash: [2, 2], color: '#6b7280' },
                    encoding: { x: time, y: { field: 'truth', type: 'quantitative' } },
                  },
                ]
              : []),
          ]
        : [
            {
              data: { values: [{ text: h.rulReason || 'no RUL predictions' }] },
              mark: { type: 'text' },
              encoding: { text: { field: 'text' } },
            },
          ],
    }),
    chart(document.getElementById('chart-indicators'), {
      height: 90,
      data: { values: series.flat() },
      facet: { row: { field: 'channel', type: 'nominal', title: null } },
      spec: {
        width: 420,
        height: 70,
        mark: 'line',
        encoding: {
          x: time,
          y: { field: 'value', type: 'quantitative', scale: { zero: false }, title: null },
        },
      },
      resolve: { scale: { y: 'independent' } },
      width: undefined,
    }),
  ]);
}

// ---- simulations ------------------------------------------------------------------------------

async function simulationsPage() {
  setNav('simulations');
  const [scenarios, jobs] = await Promise.all([api('/v1/scenarios'), api('/v1/simulations')]);
  view.innerHTML = `
    <h1>Staffing simulations</h1>
    <form id="sim-form" class="card">
      <label>scenario <select name="example">${scenarios.map((s) => `<option>${esc(s.name)}</option>`).join('')}</select></label>
      <label>pool to staff <select name="pool"></select></label>
      <label>staff at peak (shifts scaled) <input name="sizes" size="12" placeholder="e.g. 3,4,5" /></label>
      <label>replications <input name="replications" type="number" min="1" max="100" value="4" style="width:5rem" /></label>
      <label>write token <input name="token" type="password" size="18" value="${esc(token())}" /></label>
      <label>&nbsp;<button type="submit" id="run">Run</button></label>
    </form>
    <p id="staff-hint" class="muted"></p>
    <p id="job-state" class="muted"></p>
    <div id="results"></div>
    <h2>Jobs</h2>
    <table id="jobs"><thead><tr><th>job</th><th>status</th><th>request</th><th>finished</th></tr></thead>
    <tbody>${jobRows(jobs)}</tbody></table>`;
  const form = document.getElementById('sim-form');
  const pools = () => scenarios.find((s) => s.name === form.example.value)?.pools ?? {};
  const fillPools = () => {
    const p = pools();
    form.pool.innerHTML = Object.keys(p)
      .map((k) => `<option>${esc(k)}</option>`)
      .join('');
    fillSizes();
  };
  // the sizes around the pool's staff level (its peak on duty): each run scales its shifts to it
  const fillSizes = () => {
    const n = pools()[form.pool.value] ?? 1;
    form.sizes.value = [n - 1, n, n + 1].filter((x) => x >= 1).join(',');
    document.getElementById('staff-hint').textContent =
      `${form.pool.value}: ${n} on duty at peak now; each run scales the pool's base size and every shift to the staff level asked for`;
  };
  form.example.addEventListener('change', fillPools);
  form.pool.addEventListener('change', fillSizes);
  fillPools();
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (form.token.value) sessionStorage.setItem('leadtime-token', form.token.value);
    // an empty field is one run of the scenario as it is (not a run at 0 staff)
    const sizes = form.sizes.value
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '')
      .map(Number)
      .filter((n) => Number.isInteger(n) && n >= 0);
    const body = { example: form.example.value, replications: Number(form.replications.value) };
    if (sizes.length) body.staffing = { pool: form.pool.value, sizes };
    document.getElementById('run').disabled = true;
    try {
      const job = await api('/v1/simulations', { method: 'POST', body });
      await watchJob(job.id);
    } catch (err) {
      if (err instanceof Superseded) return; // the user left the page; the job runs on
      document.getElementById('job-state').innerHTML = `<span class="error">${esc(err.message)}</span>`;
    } finally {
      const run = document.getElementById('run');
      if (run) run.disabled = false;
    }
  });
}

function jobRows(jobs) {
  return jobs
    .slice()
    .reverse()
    .map(
      (j) =>
        `<tr><td><a href="#/simulations/${j.id}">${j.id.slice(0, 8)}</a></td><td>${esc(j.status)}</td><td class="muted">${esc(JSON.stringify(j.request).slice(0, 80))}</td><td>${esc(j.finishedAt ?? '')}</td></tr>`,
    )
    .join('');
}

async function refreshJobs() {
  const body = document.querySelector('#jobs tbody');
  if (body) body.innerHTML = jobRows(await api('/v1/simulations'));
}

async function watchJob(id) {
  const state = document.getElementById('job-state');
  for (;;) {
    const job = await api(`/v1/simulations/${id}`);
    state.innerHTML = `job ${id.slice(0, 8)}: <b>${job.status}</b> <progress id="job-progress" max="1" value="${job.progress.fraction}"></progress> ${Math.round(job.progress.fraction * 100)}%`;
    if (job.status === 'done') {
      await refreshJobs();
      return showResult(job);
    }
    if (job.status === 'failed') {
      state.innerHTML += ` <span class="error">${esc(job.error)}</span>`;
      return;
    }
    await new Promise((r) => setTimeout(r, 400));
  }
}

const MARKER_COLORS = {
  'first alert': '#d97706',
  failure: '#dc2626',
  'ticket P1': '#7f1d1d',
  'ticket P2': '#9a3412',
  'ticket P3': '#1e40af',
  'ticket P4': '#374151',
};

const PRIORITY_COLORS = {
  domain: ['P1', 'P2', 'P3', 'P4'],
  range: ['#dc2626', '#d97706', '#2563eb', '#6b7280'],
};

/** The scenario's goals on SLA clocks ("P1.respond.sla>=0.95", its `targets`) as { tier, clock, value }. */
function slaGoals(config) {
  return ((config && config.targets) || []).flatMap((t) => {
    const m = /^\s*(P[1-4])\.(respond|onsite|resolve)\.sla\s*>=\s*([0-9.]+)\s*$/.exec(t);
    return m ? [{ tier: m[1], clock: m[2], value: Number(m[3]) }] : [];
  });
}

const clip = (v, lo, hi) => (v === null || v === undefined ? null : Math.min(hi, Math.max(lo, v)));
/** "91.4% [90.9, 92.0]": a share with its 95% interval, clipped to 0-100%. */
const shareCi = (i) =>
  !i || i.mean === null
    ? '–'
    : `${(100 * i.mean).toFixed(1)}%` +
      (i.lower === null
        ? ''
        : ` [${(100 * clip(i.lower, 0, 1)).toFixed(1)}, ${(100 * clip(i.upper, 0, 1)).toFixed(1)}]`);
const minutesText = (m) =>
  m >= 1440 && m % 1440 === 0 ? `${m / 1440}d` : m >= 60 && m % 60 === 0 ? `${m / 60}h` : `${m}m`;
const clockText = (c) => (!c || c === '24/7' ? '24/7' : `${c} calendar (business time)`);

async function showResult(job) {
  const out = document.getElementById('results');
  const runs = job.result.staffing ? job.result.staffing.runs : [{ size: null, result: job.result }];
  const pool = job.result.staffing?.pool;
  const first = runs[0].result;
  const currency = first.config?.currency || 'cost units';
  const goals = slaGoals(first.config).filter((g) => g.clock === 'respond');
  const staffTitle = pool ? `${pool} staff at peak (shifts scaled)` : null;
  const rows = [];
  for (const run of runs)
    for (const [p, r] of Object.entries(run.result.priorities)) {
      const a = r.respond.sla ? r.respond.sla.attainment : null;
      rows.push({
        size: run.size,
        priority: p,
        respondSla: a ? a.mean * 100 : null,
        // intervals drawn within 0-100%
        respondLo: a ? 100 * clip(a.lower ?? a.mean, 0, 1) : null,
        respondHi: a ? 100 * clip(a.upper ?? a.mean, 0, 1) : null,
        respondMean: r.respond.mean.mean,
      });
    }
  const week = (r) => (7 * 24 * 60) / Math.max(1, r.horizon - r.warmup);
  const costs = runs.map((run) => ({
    size: run.size,
    cost: Object.values(run.result.pools).reduce((s, p) => s + (p.cost.mean ?? 0), 0) * week(run.result),
  }));
  const warnings = runs.flatMap((run) =>
    (run.result.warnings || []).map((w) => ({
      ...w,
      plan: run.size === null ? null : `${pool}=${run.size}`,
    })),
  );
  const tiers = Object.keys(first.priorities);
  // only the priorities the scenario has, so the legend names what is drawn
  const present = PRIORITY_COLORS.domain.filter((p) => rows.some((r) => r.priority === p));
  const goalRows = goals
    .filter((g) => present.includes(g.tier))
    .map((g) => ({ priority: g.tier, goal: 100 * g.value }));
  out.innerHTML = `
    ${
      warnings.length
        ? `<section id="warnings" class="warnings" role="alert"><h2>${warnings.length === 1 ? 'Warning' : `${warnings.length} warnings`}: read the figures below with care</h2><ul>${warnings
            .map(
              (w) => `<li><b>${esc(w.code)}</b>${w.plan ? ` (${esc(w.plan)})` : ''}: ${esc(w.message)}</li>`,
            )
            .join('')}</ul></section>`
        : '<p id="warnings" class="no-warnings">No warnings.</p>'
    }
    <p class="muted">SLA clocks: ${tiers.map((p) => `${esc(p)} ${esc(clockText(first.priorities[p].clock))}`).join(', ')}.
      ${goals.length ? `Goals (the scenario's targets): ${goals.map((g) => `${g.tier} respond ≥ ${Math.round(g.value * 1000) / 10}%`).join(', ')}.` : 'The scenario sets no goal on the respond SLA; the waiting chart shows each tier\u2019s time target.'}</p>
    <div class="grid">
      <div class="card"><h2>Respond-SLA attainment ${pool ? `vs ${esc(staffTitle)}` : 'per priority'} (95% CI)${goalRows.length ? ', dashed: the goal' : ''}</h2><div id="chart-sla"></div></div>
      <div class="card"><h2>Mean time to respond (minutes), dashed: the tier's time target</h2><div id="chart-wait"></div></div>
      ${pool ? `<div class="card"><h2>Staff cost per week, ${esc(currency)}</h2><div id="chart-cost"></div></div>` : ''}
    </div>
    <h2>SLA per run</h2>
    <table id="sla-table"><thead><tr>${pool ? `<th>${esc(staffTitle)}</th>` : ''}<th>tier</th><th>SLA clock</th><th>respond within target [95% CI]</th><th>resolve within target [95% CI]</th><th>open at horizon</th></tr></thead>
    <tbody>${runs
      .flatMap((run) =>
        Object.entries(run.result.priorities).map(
          ([p, r]) =>
            `<tr>${pool ? `<td>${run.size}</td>` : ''}<td>${esc(p)}</td><td>${esc(clockText(r.clock))}</td>` +
            `<td>${r.respond.sla ? `${shareCi(r.respond.sla.attainment)} within ${minutesText(r.respond.sla.target)}` : '–'}</td>` +
            `<td>${r.resolve.sla ? `${shareCi(r.resolve.sla.attainment)} within ${minutesText(r.resolve.sla.target)}` : '–'}</td>` +
            `<td>${fmt(r.openAtHorizon.count.mean, 1)}</td></tr>`,
        ),
      )
      .join('')}</tbody></table>`;
  const x = pool
    ? { field: 'size', type: 'ordinal', title: staffTitle, axis: { labelAngle: 0 } }
    : { field: 'priority', type: 'nominal', title: null, axis: { labelAngle: 0 } };
  const color = {
    field: 'priority',
    type: 'nominal',
    scale: {
      domain: present,
      range: present.map((p) => PRIORITY_COLORS.range[PRIORITY_COLORS.domain.indexOf(p)]),
    },
  };
  const y = {
    type: 'quantitative',
    title: '% of tickets within the time target',
    scale: { domain: [0, 100] },
  };
  // the goal: a dashed dark line across each bar (the bars have the priority colours), or a dashed
  // line in the priority's colour across the sweep
  const goalLayer = goalRows.length
    ? [
        pool
          ? {
              name: 'goal',
              data: { values: goalRows },
              mark: { type: 'rule', strokeDash: [6, 3], strokeWidth: 2 },
              encoding: { y: { field: 'goal', ...y }, color },
            }
          : {
              name: 'goal',
              data: { values: goalRows },
              mark: { type: 'rule', color: '#111827', strokeDash: [6, 3], strokeWidth: 2 },
              encoding: {
                x: { ...x, bandPosition: 0 },
                x2: { field: 'priority', bandPosition: 1 },
                y: { field: 'goal', ...y },
              },
            },
      ]
    : [];
  const targets = Object.entries(first.priorities)
    .filter(([, r]) => r.respond.sla)
    .map(([p, r]) => ({ priority: p, target: r.respond.sla.target }));
  const slaRows = rows.filter((r) => r.respondSla !== null);
  await Promise.all([
    chart(document.getElementById('chart-sla'), {
      height: 240,
      layer: [
        {
          data: { values: slaRows },
          mark: pool ? { type: 'line', point: true } : 'bar',
          encoding: { x, y: { field: 'respondSla', ...y }, color },
        },
        {
          data: { values: slaRows },
          mark: 'errorbar',
          encoding: {
            x,
            y: { field: 'respondLo', ...y },
            y2: { field: 'respondHi' },
            ...(pool ? { color } : {}),
          },
        },
        ...goalLayer,
      ],
    }),
    chart(document.getElementById('chart-wait'), {
      height: 240,
      layer: [
        {
          data: { values: rows },
          mark: pool ? { type: 'line', point: true } : 'bar',
          encoding: { x, y: { field: 'respondMean', type: 'quantitative', title: 'minutes' }, color },
        },
        ...(targets.length
          ? [
              {
                name: 'time_target',
                data: { values: targets },
                mark: { type: 'rule', strokeDash: [4, 3] },
                encoding: { y: { field: 'target', type: 'quantitative', title: 'minutes' }, color },
              },
            ]
          : []),
      ],
    }),
    ...(pool
      ? [
          chart(document.getElementById('chart-cost'), {
            height: 240,
            data: { values: costs },
            mark: 'bar',
            encoding: {
              x,
              y: { field: 'cost', type: 'quantitative', title: `cost per week, ${currency}` },
              tooltip: [
                { field: 'size', title: staffTitle },
                { field: 'cost', format: ',.0f', title: `per week, ${currency}` },
              ],
            },
          }),
        ]
      : []),
  ]);
}

// ---- data quality -----------------------------------------------------------------------------

/** An interval in the series' time unit, for people: 12 h, 1.5 d, 30 s; cycles as they are. */
function interval(v, unit) {
  if (v === null || v === undefined) return '–';
  if (unit !== 'ms') return `${fmt(v, v % 1 ? 1 : 0)} ${esc(unit)}`;
  const steps = [
    [DAY, 'd'],
    [3_600_000, 'h'],
    [60_000, 'min'],
    [1000, 's'],
  ];
  for (const [size, name] of steps) if (v >= size) return `${+(v / size).toFixed(1)} ${name}`;
  return `${v} ms`;
}

const when = (t, unit) =>
  t === null || t === undefined
    ? '–'
    : unit === 'ms'
      ? new Date(t).toISOString().slice(0, 16).replace('T', ' ')
      : String(t);

async function qualityPage() {
  setNav('quality');
  const k = Number(new URLSearchParams(location.hash.split('?')[1] || '').get('k')) || 3;
  view.innerHTML = '<h1>Data quality</h1><p class="muted">loading…</p>';
  const q = await api(`/v1/quality/gaps?k=${k}`);
  const rows = q.series;
  view.innerHTML = `
    <h1>Data quality</h1>
    <form id="quality-form" class="card">
      <label>gap: an interval over k x the series' median interval, k = <input name="k" type="number" min="1" max="1000" step="0.5" value="${k}" style="width:5rem" /></label>
      <label>&nbsp;<button type="submit">Apply</button></label>
    </form>
    <div class="cards">
      <div class="card kpi"><div class="muted">series checked</div><div class="v" id="kpi-series">${q.totals.series}</div></div>
      <div class="card kpi"><div class="muted">with gaps</div><div class="v" id="kpi-gaps">${q.totals.withGaps}</div></div>
      <div class="card kpi"><div class="muted">stopped</div><div class="v" id="kpi-stopped">${q.totals.stopped}</div></div>
      <div class="card kpi"><div class="muted">samples missing (estimate)</div><div class="v" id="kpi-missing">${q.totals.missingEstimate}</div></div>
    </div>
    ${
      rows.length
        ? `<div class="card"><h2>Where the series skip or stop</h2><div id="chart-gaps"></div></div>
    <h2>Series that skip or stop</h2>
    <table id="quality-series"><thead><tr><th>asset</th><th>channel</th><th>state</th><th>samples</th><th>usual interval</th><th>gaps</th><th>missing (est.)</th><th>last sample</th><th>first gaps</th></tr></thead>
    <tbody>${rows
      .map(
        (
          r,
        ) => `<tr><td><a href="#/asset/${encodeURIComponent(r.asset)}">${esc(r.asset)}</a></td><td>${esc(r.channel)}</td>
        <td>${r.stopped ? '<span class="badge alarm">stopped</span>' : ''} ${r.gapCount ? '<span class="badge warn">gaps</span>' : ''}</td>
        <td>${r.samples}</td><td>${interval(r.medianInterval, r.timeUnit)}</td><td>${r.gapCount}</td><td>${r.missingEstimate}</td>
        <td>${when(r.last, r.timeUnit)}</td>
        <td class="muted">${r.gaps
          .slice(0, 3)
          .map(
            (g) =>
              `${when(g.from, r.timeUnit)} → ${when(g.to, r.timeUnit)} (${fmt(g.intervals, 1)} intervals)`,
          )
          .join('; ')}${r.gapCount > 3 ? '; …' : ''}</td></tr>`,
      )
      .join('')}</tbody></table>`
        : `<p class="muted" id="quality-none">No series skips or stops (k = ${esc(k)}).</p>`
    }
    <h2>Publishers (live loop)</h2>
    ${
      q.publishers === undefined
        ? '<p class="muted" id="publishers-none">Sequence gaps per publisher are counted while the server runs the live loop (<code>leadtime serve --mqtt</code>); <code>leadtime ingest mqtt</code> prints them in its summary and keeps them on the run record.</p>'
        : q.publishers.length === 0
          ? '<p class="muted" id="publishers-none">No message with a publisher stamp received yet.</p>'
          : `<table id="publishers"><thead><tr><th>publisher</th><th>messages</th><th>sequence</th><th>redelivered</th><th>missing</th><th>missing ranges</th></tr></thead>
    <tbody>${q.publishers
      .map(
        (
          p,
        ) => `<tr><td>${esc(p.publisher)}</td><td>${p.received}</td><td>${p.first}..${p.last}</td><td>${p.duplicates}</td>
        <td>${p.missing === null ? '<span class="muted">shared group: see the union</span>' : p.missing ? `<span class="badge alarm">${p.missing}</span>` : '0'}</td>
        <td class="muted">${p.missingRanges.map(([a, b]) => (a === b ? a : `${a}..${b}`)).join(', ')}</td></tr>`,
      )
      .join('')}</tbody></table>`
    }`;
  document.getElementById('quality-form').addEventListener('submit', (e) => {
    e.preventDefault();
    location.hash = `#/quality?k=${encodeURIComponent(e.target.k.value)}`;
  });
  if (!rows.length) return;
  // one bar per gap (sample before -> sample after) and per stopped series (last sample -> newest in the fleet)
  const ms = rows.every((r) => r.timeUnit === 'ms');
  const asX = (t) => (ms ? new Date(t).toISOString() : t);
  const spans = rows.flatMap((r) => [
    ...r.gaps.map((g) => ({
      series: `${r.asset} / ${r.channel}`,
      from: asX(g.from),
      to: asX(g.to),
      what: 'gap',
      intervals: +g.intervals.toFixed(1),
    })),
    ...(r.stopped
      ? [
          {
            series: `${r.asset} / ${r.channel}`,
            from: asX(r.last),
            to: asX(r.asOf),
            what: 'stopped',
            intervals: null,
          },
        ]
      : []),
  ]);
  await chart(document.getElementById('chart-gaps'), {
    height: Math.max(60, 22 * new Set(spans.map((s) => s.series)).size),
    data: { values: spans },
    mark: { type: 'bar', minBandSize: 3 },
    encoding: {
      y: { field: 'series', type: 'nominal', title: null },
      x: ms
        ? {
            field: 'from',
            type: 'temporal',
            title: 'UTC',
            scale: { type: 'utc' },
            axis: { format: '%b %d %H:%M' },
          }
        : { field: 'from', type: 'quantitative', title: rows[0].timeUnit },
      x2: { field: 'to' },
      color: {
        field: 'what',
        type: 'nominal',
        scale: { domain: ['gap', 'stopped'], range: ['#d97706', '#dc2626'] },
        title: null,
      },
      tooltip: [
        { field: 'series' },
        { field: 'what' },
        { field: 'from' },
        { field: 'to' },
        { field: 'intervals' },
      ],
    },
  });
}

// ---- routing ----------------------------------------------------------------------------------

async function route() {
  routeGen++;
  const hash = location.hash || '#/';
  statusEl.textContent = token() ? 'write token set' : 'read-only (no token)';
  try {
    let m;
    if ((m = /^#\/asset\/(.+)$/.exec(hash))) await assetPage(decodeURIComponent(m[1]));
    else if ((m = /^#\/simulations\/([\w-]+)$/.exec(hash))) {
      await simulationsPage();
      await watchJob(m[1]);
    } else if (hash.startsWith('#/simulations')) await simulationsPage();
    else if (hash.startsWith('#/tickets')) await ticketsPage();
    else if (hash.startsWith('#/quality')) await qualityPage();
    else await fleetPage();
    document.body.dataset.page = hash;
  } catch (err) {
    fail(err);
  }
}

window.addEventListener('hashchange', route);
route();
