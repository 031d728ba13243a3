// Workerd CPU of whole 1000-lead TikTok deliveries on the relay, for comparison with the Workers Free
// plan's 10 ms CPU limit per request. Sequential, after the timed load, so nothing else runs on the
// relay's workerd; Miniflare runs D1 and KV in that same process, so this counts their work too.
import { nextLeadId, WEBHOOK_PATH, webhookBody, webhookHeaders } from "./leads.mjs";
import { cpuMsOf } from "./workerd-cpu.mjs";

const TIMEOUT_MS = 60_000;

/** Posts `deliveries` signed deliveries of `leads` new leads each; answers CPU and wall ms per delivery. */
export async function measureBatchDeliveries(relay, { deliveries = 5, leads = 1000 } = {}) {
	// One unmeasured delivery first, so the isolate's routing cache and JIT are warm as in production.
	await post(relay, leads);
	const cpuBefore = cpuMsOf(relay.workerdPid);
	const started = performance.now();
	let created = 0;
	for (let i = 0; i < deliveries; i++) created += await post(relay, leads);
	const wallMs = performance.now() - started;
	const cpuAfter = cpuMsOf(relay.workerdPid);
	return {
		deliveries,
		leadsPerDelivery: leads,
		created,
		workerdCpuMsPerDelivery:
			cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / deliveries,
		wallMsPerDelivery: wallMs / deliveries,
	};
}

async function post(relay, leads) {
	const body = webhookBody(Array.from({ length: leads }, nextLeadId));
	const response = await fetch(
		new URL(`${WEBHOOK_PATH}?company_id=${relay.companyId}`, relay.url),
		{
			method: "POST",
			headers: webhookHeaders(body),
			body,
			signal: AbortSignal.timeout(TIMEOUT_MS),
		},
	);
	const answer = await response.json();
	if (response.status !== 200 || answer.created !== leads) {
		throw new Error(`1000-lead delivery answered ${response.status}: ${JSON.stringify(answer)}`);
	}
	return answer.created;
}
