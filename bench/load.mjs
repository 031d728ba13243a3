// HTTP load with autocannon: every request is a fresh, correctly signed single-lead TikTok webhook
// (built in setupRequest), and a tracker notes which lead ids were sent, answered 200, or refused.
import autocannon from "autocannon";
import { nextLeadId, webhookBody, webhookHeaders } from "./leads.mjs";

const CONNECTIONS = 10;

export function createTracker() {
	return { sent: new Set(), acked: new Set(), refused: new Set() };
}

/** One timed autocannon run against `url` + `path`; resolves to the numbers the report shows. */
export async function runLoad({ url, path, seconds, tracker, connections = CONNECTIONS }) {
	const result = await autocannon({
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
	return summarise(result, connections);
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

function summarise(result, connections) {
	return {
		reqPerSec: result["2xx"] / result.duration,
		p50Ms: result.latency.p50,
		p99Ms: result.latency.p99,
		ok: result["2xx"],
		non2xx: result.non2xx,
		errors: result.errors,
		timeouts: result.timeouts,
		seconds: result.duration,
		connections,
	};
}
