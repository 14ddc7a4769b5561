// The search engine's Web Worker: runs engine.wasm (Go, no Ebiten) off the page's
// thread. The page posts {wasm: ArrayBuffer} first, then JSON command strings;
// the engine posts JSON snapshot strings back (see wasm/protocol).
importScripts('wasm_exec.js');
const pending = [];
self.onmessage = async (e) => {
  if (e.data && e.data.wasm) {
    try {
      const go = new Go();
      const { instance } = await WebAssembly.instantiate(e.data.wasm, go.importObject);
      go.run(instance); // main registers self.nasEngine, posts "ready", then blocks on select{}
      for (const m of pending.splice(0)) self.nasEngine(m);
    } catch (err) {
      self.postMessage(JSON.stringify({ type: 'error', text: 'engine.wasm failed to start: ' + err }));
    }
    return;
  }
  if (self.nasEngine) self.nasEngine(e.data); else pending.push(e.data);
};
