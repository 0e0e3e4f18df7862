// Node flags of the production server, used by `npm start` and `npm run serve` (package.json, checked by
// the server smoke test) and by every test and benchmark that starts it (support/server-process.ts).
//
// --max-semi-space-size=64: a submission allocates a few hundred short-lived objects (form fields, the
// validated answers, SQL parameters), and with V8's default young generation (16 MiB semi-spaces on this
// machine) collecting them took a tenth of the server's CPU time at 64 concurrent clients. 64 MiB
// semi-spaces made a submission cost ≈ 15% less CPU, for ≈ 100 MiB more memory at most.
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=64']
