// The page's engine workers. nasEngines(n, toApp, status) starts n Web Workers
// (worker.js), each a Go engine.wasm instance from one compiled module, and
// relays between them and the app: the app sends JSON commands (send) and
// receives JSON snapshot strings (toApp), whatever the number of workers.
//
// The engine keeps one run per scene (protocol.Runs): a start command selects
// its scene, and the run of the scene left waits, parked, until a start with
// keep brings it back. With n = 1, or for any method but DARTS, worker 0 runs
// the current scene's search alone as it always did. DARTS with n > 1 runs
// data-parallel (core/search/darts Replica): every worker builds the same
// search and takes its shard of each batch; each round here collects the
// workers' partial vectors (the shard's share of the batch-mean gradient, BN
// statistics deltas, loss, accuracy), sums them in float64 in worker order,
// and hands every worker the same sum, so the replicas stay identical. Worker
// 0 posts the snapshots. Each scene running DARTS (the DARTS scene, the
// lecture) has its own replicas in every worker and its own state here.
'use strict';
function nasEngines(n, toApp, status) {
  const workers = [];
  const waiting = new Map(); // rid → resolve
  let rid = 0;
  let ready = 0;
  const queue = []; // commands before every worker is ready
  // The data-parallel runs by scene: {scene, ready (promise: built or kept), running,
  // rate, t0, steps, queued (single steps asked for), tell (a snapshot is owed),
  // over (the search is), dead (replaced or reset), busy (pump runs)}.
  const runs = new Map();
  let cur = null; // the current scene's data-parallel run; null: worker 0 runs it alone
  let speculative = null; // the start command sent ahead of the app
  let holding = true; // commands queue until every worker is ready

  function fail(d, text) {
    if (d) {
      d.dead = true;
      if (runs.get(d.scene) === d) runs.delete(d.scene);
      if (cur === d) cur = null;
    }
    toApp(JSON.stringify({ type: 'error', scene: d ? d.scene : undefined, method: 'darts', text }));
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
  // One data-parallel step of d (one or more rounds). Returns false when d
  // was replaced or reset: its replicas are gone, the round is dropped. A
  // parked run finishes its round.
  async function step(d) {
    for (;;) {
      const parts = await all('partial', d.scene);
      if (d.dead) return false;
      const len = parts[0].vec.length;
      const acc = new Float64Array(len);
      for (const p of parts) {
        const v = p.vec;
        for (let i = 0; i < len; i++) acc[i] += v[i];
      }
      const res = await all('apply', { scene: d.scene, sum: Float32Array.from(acc) });
      if (d.dead) return false;
      const v = res[0].value || {};
      if (v.over) { d.running = false; d.queued = 0; d.over = true; }
      if (v.done) return true;
    }
  }
  // pump steps d while it runs (at its rate), its queued single steps while
  // it is paused, and posts the snapshot owed when it stops; one pump per run
  // at a time, and a command that changes d while a round is in flight is
  // seen when the round ends.
  async function pump(d) {
    if (d.busy) return;
    d.busy = true;
    try {
      if (!(await d.ready)) return;
      while (!d.dead) {
        if (d.running) {
          if (d.rate > 0) {
            const wait = d.t0 + (d.steps * 1000) / d.rate - performance.now();
            if (wait > 0) { await new Promise((r) => setTimeout(r, wait)); continue; }
          }
          if (!(await step(d))) return;
          d.steps++;
          if (!d.running) d.tell = true;
        } else if (d.queued > 0 && !d.over) {
          d.queued--;
          if (!(await step(d))) return;
          d.tell = true;
        } else if (d.tell && !d.over) {
          d.tell = false;
          await all('snapshot', { scene: d.scene, running: false });
        } else {
          return;
        }
      }
    } catch (e) {
      fail(d, String(e.message || e));
    } finally {
      d.busy = false;
    }
  }
  function pause(d) {
    d.running = false;
    d.tell = true;
    pump(d);
  }
  // A data-parallel start: a new run on every worker, or with keep the
  // scene's parked run, which every worker confirms it still holds.
  function startDP(json, c) {
    const old = runs.get(c.scene);
    const ask = () => Promise.all(workers.map((w, k) => request(w, 'start', { cmd: json, shard: k, shards: n })
      .then((r) => { if (r.error) throw new Error(r.error); return r.value; })));
    if (c.keep && old && !old.dead) {
      cur = old;
      old.rate = c.rate || 0; old.t0 = performance.now(); old.steps = 0;
      old.ready = ask().then((kinds) => {
        if (kinds.every((k) => k === 'kept')) return true;
        fail(old, 'engine: the workers did not all keep the ' + c.scene + ' search; press reset');
        return false;
      }, (e) => { fail(old, String(e.message || e)); return false; });
      return;
    }
    if (old) old.dead = true;
    const d = { scene: c.scene, running: true, rate: c.rate || 0, t0: performance.now(), steps: 0,
      queued: 0, tell: false, over: false, dead: false, busy: false };
    runs.set(c.scene, d);
    cur = d;
    status('building the search on ' + n + ' workers…');
    d.ready = ask().then(() => {
      if (!d.dead) status('computing the first step…');
      return true;
    }, (e) => { fail(d, String(e.message || e)); return false; });
    pump(d);
  }
  // sync tells worker 0, which stamps every message with the highest command
  // seq it has seen, that the app's command seq was handled here (a
  // data-parallel run's pause or resume, the speculative start): its later
  // snapshots then say they come after it.
  function sync(seq) {
    if (seq > 0) workers[0].postMessage(JSON.stringify({ cmd: 'sync', seq }));
  }
  function send(json, ahead) {
    if (holding) { queue.push(json); return; }
    let c;
    try { c = JSON.parse(json); } catch (e) { workers[0].postMessage(json); return; }
    // the app's start is the speculative one but for its seq (its last field)
    if (c.cmd === 'start' && !ahead && json.replace(/,"seq":\d+\}$/, '}') === speculative) {
      speculative = null;
      sync(c.seq);
      return;
    }
    if (c.cmd === 'start') {
      if (!ahead) speculative = null;
      if (cur && cur.scene !== c.scene) pause(cur); // parked: it finishes its round and waits
      cur = null;
      if (n > 1 && c.method === 'darts') { startDP(json, c); sync(c.seq); return; }
      workers[0].postMessage(json);
      return;
    }
    if (!cur) { workers[0].postMessage(json); return; }
    const d = cur;
    switch (c.cmd) {
      case 'pause': pause(d); break;
      case 'resume': if (d.over) break; d.running = true; d.queued = 0; d.t0 = performance.now(); d.steps = 0; pump(d); break;
      case 'step': // one half while paused; steps asked for while one runs queue up
        if (!d.running && !d.over) { d.queued++; pump(d); }
        break;
      case 'rate': d.rate = c.rate || 0; d.t0 = performance.now(); d.steps = 0; break;
      case 'reset': d.dead = true; runs.delete(d.scene); cur = null; workers[0].postMessage(json); return;
      default: workers[0].postMessage(json); return;
    }
    sync(c.seq);
  }
  // Every worker runs: unless the app already asked for something, start the
  // search its URL will ask for (worker 0 computes the app's start command),
  // so the first steps run while the app still compiles; the app's identical
  // start then continues that run.
  // A lone worker starts the URL's search itself (worker.js autostart): its
  // first steps then do not wait for this thread, which the app keeps busy
  // while it starts. cmd is that start command ("" if none); the app's
  // identical start continues it.
  function autostarted(cmd) {
    if (typeof nasMark === 'function') nasMark('engines_ready');
    status('');
    holding = false;
    speculative = cmd || null;
    for (const m of queue.splice(0)) send(m);
  }
  async function allReady() {
    if (typeof nasMark === 'function') nasMark('engines_ready');
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
          if ('autostarted' in d) { autostarted(d.autostarted); return; }
          const resolve = waiting.get(d.rid);
          waiting.delete(d.rid);
          if (resolve) resolve(d);
          return;
        }
        if (d.indexOf('"type":"ready"') >= 0) {
          if (++ready === n && n > 1) allReady(); // n = 1: autostarted follows
          return;
        }
        toApp(d);
      };
      w.onerror = (e) => fail(null, 'The search engine worker failed: ' + e.message);
      w.postMessage(n === 1 ? { module, autostart: location.search } : { module });
      workers.push(w);
    }
  }
  return { n, send, start };
}
