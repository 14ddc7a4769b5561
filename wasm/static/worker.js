// The search engine's Web Worker: runs engine.wasm (Go, no Ebiten) off the page's
// thread. The page posts {module: WebAssembly.Module} (compiled once for every
// worker; {wasm: ArrayBuffer} also works; autostart: see below) first, then JSON command strings;
// the engine posts JSON snapshot strings back (see wasm/protocol). Objects
// {replica: op, rid, arg} are the coordinator's data-parallel rounds
// (coordinator.js, wasm/engine/replica.go): answered {rid, vec | value | error}.
importScripts('wasm_exec.js');
// The engine's last lines of output: when the Go program ends (a panic, a
// fatal error), the page is told why instead of waiting for snapshots that
// never come.
const tail = [];
const log = console.log.bind(console);
console.log = (...a) => { tail.push(a.join(' ')); if (tail.length > 16) tail.shift(); log(...a); };
function stopped() {
  const why = tail.find((l) => /^(panic|fatal error)/.test(l)) || tail[tail.length - 1] || 'no message';
  self.postMessage(JSON.stringify({ type: 'error', text: 'The search engine stopped: ' + why + ' (reload the page)' }));
}
const pending = [];
let started = false;
function handle(d) {
  if (d !== null && typeof d === 'object' && d.replica) {
    let v;
    try { v = self.nasReplica(d.replica, d.arg); } catch (err) { v = { error: String(err) }; }
    if (v instanceof Float32Array) self.postMessage({ rid: d.rid, vec: v }, [v.buffer]);
    else if (v !== null && typeof v === 'object' && v.error) self.postMessage({ rid: d.rid, error: v.error });
    else self.postMessage({ rid: d.rid, value: v });
    return;
  }
  self.nasEngine(d);
}
self.onmessage = async (e) => {
  const d = e.data;
  if (d !== null && typeof d === 'object' && (d.module || d.wasm)) {
    try {
      const go = new Go();
      const instance = d.module
        ? await WebAssembly.instantiate(d.module, go.importObject)
        : (await WebAssembly.instantiate(d.wasm, go.importObject)).instance;
      go.run(instance).then(stopped, stopped); // main registers self.nasEngine, posts "ready", then blocks on select{}: it ends only when the program dies
      started = true;
      // {autostart: location.search} (a lone worker): start the search the
      // page's URL asks for right here, without waiting for the page's
      // thread (busy starting the app), and say which start command it was.
      if (typeof d.autostart === 'string') {
        let cmd = '';
        try {
          const v = self.nasReplica('command', d.autostart);
          if (typeof v === 'string') cmd = v;
        } catch (err) { /* no speculative start: the app's own start follows */ }
        if (cmd !== '') self.nasEngine(cmd);
        self.postMessage({ autostarted: cmd });
      }
      for (const m of pending.splice(0)) handle(m);
    } catch (err) {
      self.postMessage(JSON.stringify({ type: 'error', text: 'engine.wasm failed to start: ' + err }));
    }
    return;
  }
  if (started) handle(d); else pending.push(d);
};
