// Package run is the one run layer of both front ends (the nas CLI and the
// page's engine): they turn flags or clicks into a Config and hand it here.
//
//   - Registry: Register/Lookup/Methods/MethodsOn; New(cfg, Data) builds a
//     *Run (a search.Searcher with its Method and Config). Registered: darts
//     (spaces darts, nasnet), train, reinforce/evolution/random (darts,
//     nasnet, nb201), enas (darts, nasnet), compare (nb201). Another method
//     registers itself from an init in a file of this package (pnas.go).
//   - Drive(ctx, run, Hooks) is the one loop: events sink (EventLog),
//     OnEvent with Progress (iterations, total, unit, ETA), checkpoints at
//     epoch ends, every SaveEvery of wall time and at the stop, interrupt via
//     ctx, MaxIterations counted in full iterations (EndsIteration: one DARTS
//     iteration is its α and w halves, one sample for sampling methods).
//     A step error (search.NonFiniteError: NaN/Inf loss or gradient, found
//     before the update) stops it with nothing saved. KatibLines formats
//     metrics one way for every method.
//   - Checkpoints (Save/Load/Resume): core/state's format (version, CRC32C,
//     atomic write, orphan temp files removed), the Config, the step
//     machine's MarshalBinary and the length of events.jsonl, which
//     events.Open cuts back to on resume. Resume lists flags that contradict
//     the checkpoint (ConfigError) unless overridden.
//   - core/run/events: the events.jsonl writer (Log) and the one reader
//     (Read) of nas replay and the page (a package of its own, so the page
//     links it without the strategies).
//   - Compare is the NB201 comparison as a step machine (Results, Curves).
//
// Imports: core/search/..., core/train, core/nb201, core/state, core/data.
package run
