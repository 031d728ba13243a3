// With BENCH_PROFILE=1: a CPU profile of the relay's own isolate inside workerd (what Node cannot
// show: workerd's D1 client, console and router costs), over sequential single-lead deliveries on a
// relay started for it alone, so the inspector never touches the measured runs.
import { writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import WebSocket from "ws";
import { nextLeadId, WEBHOOK_PATH, webhookBody, webhookHeaders } from "./leads.mjs";
import { startRelay } from "./serve.mjs";

const WARMUP_DELIVERIES = 500;
const PROFILED_DELIVERIES = 3000;
const SAMPLING_INTERVAL_US = 100;

/** Profiles the relay's isolate (Miniflare's "core:user" worker) into `file`. */
export async function profileRelayIsolate(relayOptions, file) {
	const inspectorPort = await freePort();
	const relay = await startRelay({ ...relayOptions, inspectorPort });
	try {
		await deliver(relay, WARMUP_DELIVERIES);
		const targets = await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json();
		const target = targets.find((candidate) => candidate.title.includes("core:user"));
		if (!target) throw new Error("no relay isolate among the inspector's targets");
		const session = await connect(target.webSocketDebuggerUrl);
		try {
			await session.call("Profiler.enable");
			await session.call("Profiler.setSamplingInterval", { interval: SAMPLING_INTERVAL_US });
			await session.call("Profiler.start");
			await deliver(relay, PROFILED_DELIVERIES);
			const { profile } = await session.call("Profiler.stop");
			await writeFile(file, JSON.stringify(profile));
		} finally {
			session.close();
		}
	} finally {
		await relay.mf.dispose();
	}
}

async function deliver(relay, count) {
	for (let i = 0; i < count; i++) {
		const body = webhookBody([nextLeadId()]);
		const response = await fetch(
			new URL(`${WEBHOOK_PATH}?company_id=${relay.companyId}`, relay.url),
			{ method: "POST", headers: webhookHeaders(body), body },
		);
		if (response.status !== 200) throw new Error(`relay answered ${response.status}`);
		await response.arrayBuffer();
	}
}

/** A DevTools protocol session: call(method, params) answers the command's result. */
async function connect(url) {
	const socket = new WebSocket(url);
	await new Promise((resolve, reject) => {
		socket.once("open", resolve);
		socket.once("error", reject);
	});
	const pending = new Map();
	let lastId = 0;
	socket.on("message", (data) => {
		const message = JSON.parse(String(data));
		pending.get(message.id)?.(message.result);
		pending.delete(message.id);
	});
	return {
		call: (method, params = {}) =>
			new Promise((resolve) => {
				lastId += 1;
				pending.set(lastId, resolve);
				socket.send(JSON.stringify({ id: lastId, method, params }));
			}),
		close: () => socket.close(),
	};
}

function freePort() {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once("error", reject);
		server.listen(0, "127.0.0.1", () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}
