// HTTP load with autocannon: every request is a fresh, correctly signed single-lead TikTok webhook
// (built in setupRequest), and a tracker notes which lead ids were sent, answered 200, or refused.
import autocannon from "autocannon";
import { nextLeadId, webhookBody, webhookHeaders } from "./leads.mjs";

export const CONNECTIONS = 10;

export function createTracker() {
	return { sent: new Set(), acked: new Set(), refused: new Set() };
}

/**
 * One timed autocannon run against `url` + `path`; resolves to a slice: counts, duration and the
 * latency of every answer. Latencies are kept raw because the percentiles of separate autocannon runs
 * cannot be merged exactly. Each is autocannon's own per-request time (request written to response
 * complete, hrtime) from its `response` event, for every answer as in autocannon's default table.
 */
export async function runLoad({ url, path, seconds, tracker, connections = CONNECTIONS }) {
	const latenciesMs = [];
	const instance = autocannon({
		url: new URL(path, url).href,
		connections,
		pipelining: 1,
		duration: seconds,
		timeout: 10,
		requests: [
			{
				method: "POST",
				setupRequest: (request, context) => signedLeadRequest(request, context, tracker),
				onResponse: (status, _body, context) => recordAnswer(tracker, status, context),
			},
		],
	});
	instance.on("response", (_client, _status, _bytes, responseTimeMs) => {
		latenciesMs.push(responseTimeMs);
	});
	const result = await instance;
	return {
		ok: result["2xx"],
		non2xx: result.non2xx,
		errors: result.errors,
		timeouts: result.timeouts,
		seconds: result.duration,
		latenciesMs,
	};
}

/** Gives the request a new lead id, body and signature; the id rides along in the connection's context. */
function signedLeadRequest(request, context, tracker) {
	const leadId = nextLeadId();
	const body = webhookBody([leadId]);
	context.leadId = leadId;
	tracker.sent.add(leadId);
	return { ...request, body, headers: { ...request.headers, ...webhookHeaders(body) } };
}

function recordAnswer(tracker, status, context) {
	if (status === 200) tracker.acked.add(context.leadId);
	else tracker.refused.add(context.leadId);
}

/**
 * One scenario's numbers from all its slices: req/s is total 2xx over total measured seconds, p50/p99
 * are exact (nearest rank) over every latency of every slice, CPU is total workerd ms over total 2xx.
 */
export function mergeSlices(slices) {
	const sum = (pick) => slices.reduce((total, slice) => total + pick(slice), 0);
	const ok = sum((slice) => slice.ok);
	const seconds = sum((slice) => slice.seconds);
	const latencies = Float64Array.from(slices.flatMap((slice) => slice.latenciesMs)).sort();
	const cpuKnown = slices.every((slice) => slice.cpuMs !== null);
	return {
		reqPerSec: ok / seconds,
		p50Ms: percentile(latencies, 50),
		p99Ms: percentile(latencies, 99),
		ok,
		non2xx: sum((slice) => slice.non2xx),
		errors: sum((slice) => slice.errors),
		timeouts: sum((slice) => slice.timeouts),
		seconds: round(seconds),
		slices: slices.length,
		sliceReqPerSec: slices.map((slice) => round(slice.ok / slice.seconds)),
		workerdCpuMsPer2xx: cpuKnown && ok > 0 ? sum((slice) => slice.cpuMs) / ok : null,
		connections: CONNECTIONS,
	};
}

/** Nearest-rank percentile of ascending `sorted`, in ms rounded to 0.01; null when empty. */
function percentile(sorted, p) {
	if (sorted.length === 0) return null;
	const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
	return round(sorted[rank - 1]);
}

function round(value) {
	return Math.round(value * 100) / 100;
}
