// Lead → Salesforce latency with the FORWARDS queue bound as deployed (issue 22, "the CRM at once"):
// single TikTok leads spaced like real traffic are POSTed to the relay on Miniflare, whose company
// connection points at a fake org on 127.0.0.1; each latency runs from the POST's answer to the org's
// create call for that lead. Run by `npm run bench` (or alone: BENCH_ONLY=crm npm run bench).
import { createServer } from "node:http";
import { nextLeadId, WEBHOOK_PATH, webhookBody, webhookHeaders } from "./leads.mjs";
import { startRelay } from "./serve.mjs";

const ADMIN_TOKEN = "bench-admin-token";
/** 32 bytes, base64: seals the connection's secrets in the bench relay's D1. */
const ENCRYPTION_KEY = Buffer.alloc(32, 7).toString("base64");
/** Leads measured, one at a time, and the gap between them (real ad traffic is sparse). */
const LEADS = Number(process.env.BENCH_CRM_LEADS ?? 40);
const GAP_MS = Number(process.env.BENCH_CRM_GAP_MS ?? 250);
/** Issue 22's goal: p95 from the answer to the org's create call. */
export const CRM_P95_GOAL_MS = 100;
/** A lead whose create never comes counts as this late (and fails the goal). */
const GIVE_UP_MS = 10_000;

/**
 * A fake Salesforce org: the refresh-token grant (its instance_url is this server) and the sObject
 * create/upsert answers of providers.md §6.1–6.2, each create call's arrival time recorded.
 */
async function startFakeOrg() {
	const creates = [];
	let ids = 0;
	const server = createServer((req, res) => {
		const chunks = [];
		req.on("data", (chunk) => chunks.push(chunk));
		req.on("end", () => {
			const at = performance.now();
			const json = (status, body) => {
				res.writeHead(status, {
					"Content-Type": "application/json;charset=UTF-8",
					"Sforce-Limit-Info": `api-usage=${ids}/15000`,
				});
				res.end(JSON.stringify(body));
			};
			if (req.url === "/services/oauth2/token") {
				return json(200, {
					access_token: "00DBench!fake.access.token",
					instance_url: origin,
					token_type: "Bearer",
					issued_at: String(Date.now()),
				});
			}
			if (req.url?.startsWith("/services/data/")) {
				ids += 1;
				creates.push({ at, path: req.url, body: Buffer.concat(chunks).toString() });
				return json(201, {
					id: `00QBench${String(ids).padStart(10, "0")}`,
					success: true,
					errors: [],
				});
			}
			json(404, [{ errorCode: "NOT_FOUND", message: "The requested resource does not exist" }]);
		});
	});
	await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
	const origin = `http://127.0.0.1:${server.address().port}`;
	return { origin, creates, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** Waits until the org has seen `count` creates, or gives up after GIVE_UP_MS. */
async function createArrived(org, count) {
	const until = performance.now() + GIVE_UP_MS;
	while (org.creates.length < count && performance.now() < until) {
		await new Promise((resolve) => setTimeout(resolve, 2));
	}
	return org.creates[count - 1]?.at;
}

function percentile(sorted, p) {
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Measures the latencies; answers { leads, gapMs, p50, p95, max, goalMs, pass }. */
export async function measureCrmLatency({ scriptPath, compatibilityDate, migrationsDir }) {
	const org = await startFakeOrg();
	let relay;
	try {
		relay = await startRelay({
			scriptPath,
			compatibilityDate,
			migrationsDir,
			vars: {
				ADMIN_TOKEN,
				ENCRYPTION_KEY,
				SALESFORCE_ALLOW_LOOPBACK_HTTP: "true",
				BIG_DELIVERY_LEADS: "0",
			},
			queueProducers: { FORWARDS: "leadwire-forwards" },
			// As wrangler.toml binds it: the consumer waits up to its batch timeout for more messages.
			queueConsumers: {
				"leadwire-forwards": { maxBatchSize: 5, maxBatchTimeout: 2, maxRetries: 100 },
			},
		});
		const put = await fetch(`${relay.url}api/admin/companies/${relay.companyId}/salesforce`, {
			method: "PUT",
			headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" },
			body: JSON.stringify({
				login_url: org.origin,
				consumer_key: "bench.consumer.key",
				consumer_secret: "bench-consumer-secret",
				refresh_token: "bench.refresh.token",
			}),
		});
		if (!put.ok) throw new Error(`bench connection not saved: ${put.status} ${await put.text()}`);
		const url = `${relay.url}${WEBHOOK_PATH.slice(1)}?company_id=${relay.companyId}`;
		const latencies = [];
		for (let i = 0; i < LEADS; i++) {
			const body = webhookBody([nextLeadId()]);
			const response = await fetch(url, { method: "POST", headers: webhookHeaders(body), body });
			const answered = performance.now();
			await response.text();
			if (!response.ok) throw new Error(`lead ${i} answered ${response.status}`);
			const created = await createArrived(org, i + 1);
			latencies.push(created === undefined ? GIVE_UP_MS : Math.max(0, created - answered));
			await new Promise((resolve) => setTimeout(resolve, GAP_MS));
		}
		const sorted = [...latencies].sort((a, b) => a - b);
		const p95 = percentile(sorted, 95);
		return {
			leads: LEADS,
			gapMs: GAP_MS,
			p50: round(percentile(sorted, 50)),
			p95: round(p95),
			max: round(sorted.at(-1)),
			creates: org.creates.length,
			goalMs: CRM_P95_GOAL_MS,
			pass: p95 <= CRM_P95_GOAL_MS && org.creates.length === LEADS,
		};
	} finally {
		await relay?.mf.dispose();
		await org.close();
	}
}

function round(ms) {
	return Math.round(ms * 10) / 10;
}

export const CRM_SECTION_START = "<!-- crm-latency:start -->";
export const CRM_SECTION_END = "<!-- crm-latency:end -->";

/** The RESULTS.md section, between markers so a later run replaces it. */
export function crmLatencySection(result) {
	return [
		CRM_SECTION_START,
		"## Lead → Salesforce latency, FORWARDS queue bound",
		"",
		`${result.leads} single TikTok leads, one every ${result.gapMs} ms, to the relay on Miniflare with the ` +
			"FORWARDS queue and its consumer bound as wrangler.toml binds them (max_batch_size 5, " +
			"max_batch_timeout 2 s). Each latency runs from the POST's answer to the fake org's create call " +
			"for that lead (a Node server on 127.0.0.1; token grant cached after the first lead). A new " +
			"lead's forward is sent from waitUntil straight after the answer; the queue message is only a " +
			"safety net, delayed past the send's lease (src/forwarders/deliver.ts). Before that change the " +
			"consumer's batch timeout was on every lead's path: p50 884 ms, p95 1.76 s (issue 22).",
		"",
		"| leads | p50 ms | p95 ms | max ms | creates | goal p95 ms | pass |",
		"|---:|---:|---:|---:|---:|---:|:---:|",
		`| ${result.leads} | ${result.p50} | ${result.p95} | ${result.max} | ${result.creates} | ≤ ${result.goalMs} | ${result.pass ? "yes" : "no"} |`,
		CRM_SECTION_END,
	].join("\n");
}

/** Puts the section into RESULTS.md text: replacing an earlier one, else at the end. */
export function withCrmSection(markdown, section) {
	const start = markdown.indexOf(CRM_SECTION_START);
	const end = markdown.indexOf(CRM_SECTION_END);
	if (start >= 0 && end > start) {
		return markdown.slice(0, start) + section + markdown.slice(end + CRM_SECTION_END.length);
	}
	return `${markdown.trimEnd()}\n\n${section}\n`;
}
