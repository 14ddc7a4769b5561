// The page's engine workers. nasEngines(n, toApp, status) starts n Web Workers
// (worker.js), each a Go engine.wasm instance from one compiled module, and
// relays between them and the app: the app sends JSON commands (send) and
// receives JSON snapshot strings (toApp), whatever the number of workers.
//
// With n = 1, or for any scene but DARTS, worker 0 runs the search alone as it
// always did. DARTS with n > 1 runs data-parallel (core/search/darts
// Replica): every worker builds the same search and takes its shard of each
// batch; each round here collects the workers' partial vectors (the shard's
// share of the batch-mean gradient, BN statistics deltas, loss, accuracy),
// sums them in float64 in worker order, and hands every worker the same sum,
// so the replicas stay identical. Worker 0 posts the snapshots.
'use strict';
function nasEngines(n, toApp, status) {
  const workers = [];
  const waiting = new Map(); // rid → resolve
  let rid = 0;
  let ready = 0;
  const queue = []; // commands before every worker is ready
  let dp = null; // the data-parallel run: {gen, running, rate, t0, steps, busy}
  let gen = 0;
  let speculative = null; // the start command sent ahead of the app
  let holding = true; // commands queue until every worker is ready

  function fail(text) {
    dp = null;
    toApp(JSON.stringify({ type: 'error', scene: 'darts', method: 'darts', text }));
  }
  function request(w, op, arg) {
    return new Promise((resolve) => {
      const id = ++rid;
      waiting.set(id, resolve);
      w.postMessage({ replica: op, rid: id, arg });
    });
  }
  function all(op, arg) {
    return Promise.all(workers.map((w) => request(w, op, arg))).then((rs) => {
      for (const r of rs) if (r.error) throw new Error(r.error);
      return rs;
    });
  }
  // One data-parallel step (one or more rounds). Returns false when a newer
  // command replaced this run.
  async function step(g) {
    for (;;) {
      const parts = await all('partial');
      if (!dp || dp.gen !== g) return false;
      const len = parts[0].vec.length;
      const acc = new Float64Array(len);
      for (const p of parts) {
        const v = p.vec;
        for (let i = 0; i < len; i++) acc[i] += v[i];
      }
      const res = await all('apply', Float32Array.from(acc));
      if (!dp || dp.gen !== g) return false;
      const v = res[0].value || {};
      if (v.over) { dp.running = false; dp.queued = 0; dp.over = true; }
      if (v.done) return true;
    }
  }
  async function loop(g) {
    if (dp.busy) return;
    dp.busy = true;
    try {
      while (dp && dp.gen === g && dp.running) {
        if (dp.rate > 0) {
          const wait = dp.t0 + (dp.steps * 1000) / dp.rate - performance.now();
          if (wait > 0) { await new Promise((r) => setTimeout(r, wait)); continue; }
        }
        if (!(await step(g))) return;
        dp.steps++;
      }
      if (dp && dp.gen === g && !dp.over) await all('snapshot', false);
    } catch (e) {
      fail(String(e.message || e));
    } finally {
      if (dp && dp.gen === g) dp.busy = false;
    }
  }
  async function single(g) {
    dp.busy = true;
    try {
      while (dp && dp.gen === g && !dp.running && dp.queued > 0) {
        dp.queued--;
        if (!(await step(g))) return;
      }
      if (dp && dp.gen === g) {
        dp.busy = false;
        if (dp.running) loop(g); else if (!dp.over) await all('snapshot', false);
      }
    } catch (e) {
      fail(String(e.message || e));
    }
  }
  async function startDP(json, c) {
    const g = ++gen;
    dp = { gen: g, running: false, rate: c.rate || 0, t0: performance.now(), steps: 0, busy: false, queued: 0 };
    status('building the search on ' + n + ' workers…');
    try {
      await Promise.all(workers.map((w, k) => request(w, 'start', { cmd: json, shard: k, shards: n })
        .then((r) => { if (r.error) throw new Error(r.error); })));
    } catch (e) {
      fail(String(e.message || e));
      return;
    }
    if (!dp || dp.gen !== g) return;
    status('computing the first step…');
    dp.running = true;
    loop(g);
  }
  function send(json, ahead) {
    if (holding) { queue.push(json); return; }
    let c;
    try { c = JSON.parse(json); } catch (e) { workers[0].postMessage(json); return; }
    if (c.cmd === 'start' && !ahead && json === speculative) { speculative = null; return; }
    if (c.cmd === 'start') {
      if (!ahead) speculative = null;
      if (n > 1 && c.scene === 'darts') { startDP(json, c); return; }
      dp = null;
      gen++;
      workers[0].postMessage(json);
      return;
    }
    if (!dp) { workers[0].postMessage(json); return; }
    switch (c.cmd) {
      case 'pause': dp.running = false; if (!dp.busy) all('snapshot', false); break;
      case 'resume': if (dp.over) break; dp.running = true; dp.queued = 0; dp.t0 = performance.now(); dp.steps = 0; loop(dp.gen); break;
      case 'step': // one half while paused; steps asked for while one runs queue up
        if (!dp.running && !dp.over) { dp.queued++; if (!dp.busy) single(dp.gen); }
        break;
      case 'rate': dp.rate = c.rate || 0; dp.t0 = performance.now(); dp.steps = 0; break;
      case 'reset': dp = null; gen++; workers[0].postMessage(json); break;
      default: workers[0].postMessage(json);
    }
  }
  // Every worker runs: unless the app already asked for something, start the
  // search its URL will ask for (worker 0 computes the app's start command),
  // so the first steps run while the app still compiles; the app's identical
  // start then continues that run.
  async function allReady() {
    status('');
    const r = queue.length === 0 ? await request(workers[0], 'command', location.search) : {};
    holding = false;
    if (queue.length === 0 && typeof r.value === 'string' && r.value !== '') {
      speculative = r.value;
      send(r.value, true);
    }
    for (const m of queue.splice(0)) send(m);
  }
  function start(module) {
    status('starting ' + n + (n === 1 ? ' engine…' : ' engines…'));
    for (let k = 0; k < n; k++) {
      const w = new Worker('worker.js');
      w.onmessage = (e) => {
        const d = e.data;
        if (typeof d !== 'string') {
          const resolve = waiting.get(d.rid);
          waiting.delete(d.rid);
          if (resolve) resolve(d);
          return;
        }
        if (d.indexOf('"type":"ready"') >= 0) {
          if (++ready === n) allReady();
          return;
        }
        toApp(d);
      };
      w.onerror = (e) => fail('The search engine worker failed: ' + e.message);
      w.postMessage({ module });
      workers.push(w);
    }
  }
  return { n, send, start };
}
